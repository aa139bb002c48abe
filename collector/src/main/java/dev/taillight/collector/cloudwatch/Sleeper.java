package dev.taillight.collector.cloudwatch;

import java.time.Duration;

/**
 * Waits: the one place the CloudWatch sources and sinks pause, so tests can pass a sleeper that advances a fake
 * clock instead of sleeping. Implementations throw {@link InterruptedException} when the waiting thread is
 * interrupted (that is how {@code close()} wakes a sleeping source).
 */
@FunctionalInterface
public interface Sleeper {

  /** Waits for {@code duration}; returns at once for zero or negative durations. */
  void sleep(Duration duration) throws InterruptedException;

  /** The real thing: {@link Thread#sleep}. */
  static Sleeper system() {
    return d -> {
      long ms = d.toMillis();
      if (ms > 0) {
        Thread.sleep(ms);
      }
    };
  }
}
