package dev.taillight.collector.insights;

/**
 * One row of a Logs Insights result: a log line that matched the query.
 *
 * @param logGroup the log group (the account id of {@code @log} removed)
 * @param logStream the log stream
 * @param timestamp the event's timestamp, epoch ms
 * @param requestId the Lambda request id Logs Insights found in the line ({@code @requestId}), or null
 * @param message the line
 * @param ptr the row's {@code @ptr} (an opaque pointer to the event), or null
 */
public record MatchedLine(String logGroup, String logStream, long timestamp, String requestId, String message,
    String ptr) {}
