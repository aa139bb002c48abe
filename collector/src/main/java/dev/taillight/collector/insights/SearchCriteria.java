package dev.taillight.collector.insights;

/**
 * What a search pushed down to CloudWatch Logs Insights looks for: the criteria of {@code taillight search}, the
 * same ones {@code dev.taillight.collector.store.InvocationQuery} applies to the local index. Every criterion
 * left unset matches everything.
 *
 * @param text a filter pattern over log lines (words, {@code "phrases"}, {@code ?optional}, {@code -excluded},
 *     {@code prefix*}), or null
 * @param errorsOnly only failed invocations (error, timeout, crash, init failure)
 * @param timeoutsOnly only timed-out invocations
 * @param coldStart true for cold starts only, false for warm only, null for both
 * @param minDurationMs duration at least this many ms, or null
 * @param maxDurationMs duration at most this many ms, or null
 */
public record SearchCriteria(
    String text,
    boolean errorsOnly,
    boolean timeoutsOnly,
    Boolean coldStart,
    Double minDurationMs,
    Double maxDurationMs) {

  public SearchCriteria {
    text = text == null || text.isBlank() ? null : text.strip();
    if (minDurationMs != null && maxDurationMs != null && minDurationMs > maxDurationMs) {
      throw new IllegalArgumentException(
          "minimum duration " + minDurationMs + " ms is above maximum " + maxDurationMs + " ms");
    }
  }

  /** No criteria: every invocation. */
  public static SearchCriteria all() {
    return new SearchCriteria(null, false, false, null, null, null);
  }
}
