package dev.taillight.collector.insights;

/**
 * How far a Logs Insights query is, from its latest GetQueryResults answer.
 *
 * @param queryId the query's id
 * @param status Scheduled, Running, Complete, Failed, Cancelled, Timeout or Unknown
 * @param recordsMatched log events that matched so far
 * @param recordsScanned log events scanned so far
 * @param bytesScanned bytes scanned so far (what Logs Insights bills)
 * @param elapsedMillis time since the query was started
 */
public record QueryProgress(String queryId, String status, long recordsMatched, long recordsScanned,
    long bytesScanned, long elapsedMillis) {}
