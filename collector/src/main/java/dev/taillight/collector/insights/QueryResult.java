package dev.taillight.collector.insights;

import java.util.List;

/**
 * What a finished Logs Insights query returned.
 *
 * @param query the query that ran
 * @param lines the matched lines, newest first
 * @param progress the final statistics (records matched, bytes scanned)
 * @param unreadable rows that lacked a timestamp, log group or stream and were skipped
 */
public record QueryResult(InsightsQuery query, List<MatchedLine> lines, QueryProgress progress, int unreadable) {
  public QueryResult {
    lines = List.copyOf(lines);
  }

  /** Whether Logs Insights stopped at its row limit, so older matches in the range may be missing. */
  public boolean capped() {
    return lines.size() + unreadable >= InsightsQueries.MAX_ROWS;
  }
}
