package dev.taillight.collector.insights;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One CloudWatch Logs Insights query as StartQuery takes it.
 *
 * @param queryString the query in the Logs Insights query language
 * @param logGroups the log groups to query (1 to {@link InsightsQueries#MAX_GROUPS})
 * @param startSeconds start of the time range, epoch seconds, inclusive
 * @param endSeconds end of the time range, epoch seconds, inclusive (as StartQuery counts it)
 */
public record InsightsQuery(String queryString, List<String> logGroups, long startSeconds, long endSeconds) {
  public InsightsQuery {
    requireNonNull(queryString, "queryString");
    logGroups = List.copyOf(logGroups);
    if (logGroups.isEmpty() || logGroups.size() > InsightsQueries.MAX_GROUPS) {
      throw new IllegalArgumentException("a query takes 1 to " + InsightsQueries.MAX_GROUPS + " log groups, not "
          + logGroups.size());
    }
    if (endSeconds < startSeconds) {
      throw new IllegalArgumentException("endSeconds " + endSeconds + " is before startSeconds " + startSeconds);
    }
  }

  /** The same query over an earlier part of the range: up to {@code endSeconds} (inclusive). */
  public InsightsQuery until(long endSeconds) {
    return new InsightsQuery(queryString, logGroups, startSeconds, endSeconds);
  }
}
