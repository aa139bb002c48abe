package dev.taillight.collector.store;

import java.util.List;

/**
 * Aggregates for one function over a time range (invocations whose start lies in {@code [from, to)}).
 *
 * <p>Durations are REPORT durations in ms; percentiles use the nearest-rank method over finished invocations
 * that have a duration. "Errors" counts every failed invocation (error, timeout, crash, init failure, lost);
 * "timeouts" counts timeouts alone.
 *
 * @param function the function name
 * @param from range start, epoch ms (inclusive)
 * @param to range end, epoch ms (exclusive)
 * @param invocations invocations started in the range (running ones included)
 * @param errors failed invocations
 * @param timeouts timed-out invocations
 * @param coldStarts cold-start invocations
 * @param meanInitDurationMs mean Init Duration over cold starts that reported one, or null
 * @param p50DurationMs median duration, or null when no invocation finished with a duration
 * @param p95DurationMs 95th percentile duration, or null
 * @param p99DurationMs 99th percentile duration, or null
 * @param totalBilledMs sum of billed durations
 * @param costUsd sum of estimated costs ({@link dev.taillight.collector.Invocation#costUsd()})
 * @param coldStartCostUsd the init share of cold starts' cost: per cold start, cost x init duration / billed
 *     duration (on-demand init is billed since August 2025, so it is part of billed duration)
 * @param maxMemoryUsedMb highest Max Memory Used, or null
 * @param memorySizeMb highest configured Memory Size, or null
 * @param peakConcurrency most execution environments (log streams) running an invocation at the same moment
 * @param series invocations and errors per equal time bucket over the range, oldest first
 */
public record FunctionStats(
    String function,
    long from,
    long to,
    long invocations,
    long errors,
    long timeouts,
    long coldStarts,
    Double meanInitDurationMs,
    Double p50DurationMs,
    Double p95DurationMs,
    Double p99DurationMs,
    double totalBilledMs,
    double costUsd,
    double coldStartCostUsd,
    Integer maxMemoryUsedMb,
    Integer memorySizeMb,
    int peakConcurrency,
    List<Bucket> series) {

  public FunctionStats {
    series = List.copyOf(series);
  }

  /** Cold starts as a percentage of invocations (0 when there were none). */
  public double coldStartPercent() {
    return invocations == 0 ? 0 : 100.0 * coldStarts / invocations;
  }

  /** Errors as a percentage of invocations (0 when there were none). */
  public double errorPercent() {
    return invocations == 0 ? 0 : 100.0 * errors / invocations;
  }

  /**
   * One time bucket of the series.
   *
   * @param start bucket start, epoch ms
   * @param invocations invocations started in the bucket
   * @param errors failed invocations started in the bucket
   */
  public record Bucket(long start, long invocations, long errors) {}
}
