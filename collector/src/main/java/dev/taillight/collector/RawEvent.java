package dev.taillight.collector;

import static java.util.Objects.requireNonNull;

/**
 * One log event as CloudWatch Logs stores it: the unit every {@link LogSource} delivers and every
 * {@link LogSink} accepts.
 *
 * @param logGroup the log group name, e.g. {@code /aws/lambda/orders-api}
 * @param logStream the log stream name; for Lambda one stream is one execution environment
 * @param timestamp when the function wrote the line, epoch milliseconds
 * @param ingestionTime when CloudWatch stored it, epoch milliseconds ({@code 0} when unknown, e.g. plain text
 *     files); later than {@code timestamp} by seconds in practice
 * @param eventId CloudWatch's event id, unique within a log group; sources that have none make a stable one
 *     from the other fields so that de-duplication still works
 * @param message the line as the function wrote it, without the trailing newline
 */
public record RawEvent(
    String logGroup, String logStream, long timestamp, long ingestionTime, String eventId, String message) {

  public RawEvent {
    requireNonNull(logGroup, "logGroup");
    requireNonNull(logStream, "logStream");
    requireNonNull(eventId, "eventId");
    requireNonNull(message, "message");
  }

  /** Creates an event with an id derived from its content, for sources that have no CloudWatch id. */
  public static RawEvent of(String logGroup, String logStream, long timestamp, String message) {
    return new RawEvent(logGroup, logStream, timestamp, 0L, syntheticId(logGroup, logStream, timestamp, message),
        message);
  }

  /**
   * A stable id for an event that came without one: the same group, stream, timestamp and message always give
   * the same id, so a file read twice is de-duplicated like CloudWatch events are.
   */
  public static String syntheticId(String logGroup, String logStream, long timestamp, String message) {
    long h = 1125899906842597L;
    h = 31 * h + logGroup.hashCode();
    h = 31 * h + logStream.hashCode();
    h = 31 * h + Long.hashCode(timestamp);
    h = 31 * h + message.hashCode();
    h = 31 * h + message.length();
    return "s" + Long.toUnsignedString(timestamp, 36) + "-" + Long.toUnsignedString(h, 36);
  }
}
