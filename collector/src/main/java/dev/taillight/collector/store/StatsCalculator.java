package dev.taillight.collector.store;

import dev.taillight.collector.InvocationStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds one function's invocations into {@link FunctionStats}.
 *
 * <p>Peak concurrency is a sweep over start/end moments: an invocation occupies its log stream (execution
 * environment) from start until end (or start + duration, or just its start when neither is known). At equal
 * times ends are processed before starts, so back-to-back invocations of one environment do not overlap. The
 * peak is the largest number of distinct streams busy at once.
 */
final class StatsCalculator {
  private final long from;
  private final long to;
  private final long[] bucketInvocations;
  private final long[] bucketErrors;
  private long invocations;
  private long errors;
  private long timeouts;
  private long coldStarts;
  private double initSum;
  private long initCount;
  private double billed;
  private double cost;
  private double coldCost;
  private Integer maxMemoryUsed;
  private Integer memorySize;
  private double[] durations = new double[64];
  private int durationCount;
  private final List<long[]> intervals = new ArrayList<>(); // {start, end, stream}

  StatsCalculator(long from, long to, int buckets) {
    this.from = from;
    this.to = to;
    this.bucketInvocations = new long[buckets];
    this.bucketErrors = new long[buckets];
  }

  static FunctionStats empty(String function, long from, long to, int buckets) {
    return new StatsCalculator(from, to, buckets).result(function);
  }

  void add(long stream, long start, Long end, InvocationStatus status, boolean cold, Double init, Double duration,
      Double billedMs, Double costUsd, Integer memSize, Integer maxMem) {
    invocations++;
    int bucket = (int) Math.min(bucketInvocations.length - 1,
        (start - from) * bucketInvocations.length / Math.max(1, to - from));
    bucketInvocations[bucket]++;
    if (status.failed()) {
      errors++;
      bucketErrors[bucket]++;
    }
    if (status == InvocationStatus.TIMEOUT) {
      timeouts++;
    }
    if (cold) {
      coldStarts++;
      if (init != null) {
        initSum += init;
        initCount++;
      }
    }
    if (duration != null && status.finished()) {
      if (durationCount == durations.length) {
        durations = Arrays.copyOf(durations, durations.length * 2);
      }
      durations[durationCount++] = duration;
    }
    if (billedMs != null) {
      billed += billedMs;
    }
    if (costUsd != null) {
      cost += costUsd;
      if (cold && init != null && billedMs != null && billedMs > 0) {
        coldCost += costUsd * Math.min(1.0, init / billedMs);
      }
    }
    if (maxMem != null && (maxMemoryUsed == null || maxMem > maxMemoryUsed)) {
      maxMemoryUsed = maxMem;
    }
    if (memSize != null && (memorySize == null || memSize > memorySize)) {
      memorySize = memSize;
    }
    long endTime = end != null ? end : duration != null ? start + (long) Math.ceil(duration) : start;
    intervals.add(new long[] {start, Math.max(start, endTime), stream});
  }

  FunctionStats result(String function) {
    double[] sorted = Arrays.copyOf(durations, durationCount);
    Arrays.sort(sorted);
    List<FunctionStats.Bucket> series = new ArrayList<>(bucketInvocations.length);
    for (int i = 0; i < bucketInvocations.length; i++) {
      long bucketStart = from + (to - from) * i / bucketInvocations.length;
      series.add(new FunctionStats.Bucket(bucketStart, bucketInvocations[i], bucketErrors[i]));
    }
    return new FunctionStats(function, from, to, invocations, errors, timeouts, coldStarts,
        initCount == 0 ? null : initSum / initCount, percentile(sorted, 50), percentile(sorted, 95),
        percentile(sorted, 99), billed, cost, coldCost, maxMemoryUsed, memorySize, peakConcurrency(), series);
  }

  /** Nearest-rank percentile: the smallest value with at least p% of values at or below it. */
  static Double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return null;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private int peakConcurrency() {
    // events: {time, type (0 = end, 1 = start), stream}; ends sort first at equal times
    long[][] events = new long[intervals.size() * 2][];
    int n = 0;
    for (long[] iv : intervals) {
      events[n++] = new long[] {iv[0], 1, iv[2]};
      events[n++] = new long[] {iv[1], 0, iv[2]};
    }
    Arrays.sort(events, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    Map<Long, Integer> busy = new HashMap<>();
    int peak = 0;
    for (long[] e : events) {
      if (e[1] == 1) {
        busy.merge(e[2], 1, Integer::sum);
        peak = Math.max(peak, busy.size());
      } else {
        busy.computeIfPresent(e[2], (k, v) -> v == 1 ? null : v - 1);
      }
    }
    return peak;
  }
}
