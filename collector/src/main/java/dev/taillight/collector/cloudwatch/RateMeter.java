package dev.taillight.collector.cloudwatch;

import java.time.Clock;

/** Counts events in one-second buckets over the last {@value #SECONDS} seconds. Thread-safe. */
final class RateMeter {
  static final int SECONDS = 10;

  private final Clock clock;
  private final long[] bucketSecond = new long[SECONDS];
  private final int[] counts = new int[SECONDS];

  RateMeter(Clock clock) {
    this.clock = clock;
  }

  synchronized void record() {
    long second = Math.floorDiv(clock.millis(), 1000);
    int i = (int) Math.floorMod(second, SECONDS);
    if (bucketSecond[i] != second) {
      bucketSecond[i] = second;
      counts[i] = 0;
    }
    counts[i]++;
  }

  /** The average rate over the last {@value #SECONDS} whole seconds plus the current one. */
  synchronized double perSecond() {
    long now = clock.millis();
    long second = Math.floorDiv(now, 1000);
    long total = 0;
    for (int i = 0; i < SECONDS; i++) {
      if (bucketSecond[i] > second - SECONDS && bucketSecond[i] <= second) {
        total += counts[i];
      }
    }
    double span = (SECONDS - 1) + Math.floorMod(now, 1000) / 1000.0;
    return total / Math.max(1.0, span);
  }
}
