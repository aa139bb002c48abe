package dev.taillight.collector.cloudwatch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Exponential back-off: {@code initial}, doubling per consecutive failure, capped at {@code max}.
 *
 * @param initial the first delay
 * @param max the largest delay
 */
public record Backoff(Duration initial, Duration max) {

  public Backoff {
    requireNonNull(initial, "initial");
    requireNonNull(max, "max");
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 <= initial <= max, got " + initial + " and " + max);
    }
  }

  /** 200 ms doubling up to 20 s. */
  public static Backoff standard() {
    return new Backoff(Duration.ofMillis(200), Duration.ofSeconds(20));
  }

  /** The delay before retry number {@code attempt} (1 for the first retry). */
  public Duration delay(int attempt) {
    long ms = initial.toMillis();
    for (int i = 1; i < attempt && ms < max.toMillis(); i++) {
      ms *= 2;
    }
    return Duration.ofMillis(Math.min(ms, max.toMillis()));
  }
}
