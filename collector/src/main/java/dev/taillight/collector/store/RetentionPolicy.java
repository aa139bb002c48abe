package dev.taillight.collector.store;

import java.time.Duration;

/**
 * How much the index keeps: events older than {@code maxAge} and, while the database is larger than {@code
 * maxBytes}, the oldest events are deleted (with their invocations and spans), and the freed pages are given
 * back to the file system.
 *
 * @param maxAge keep events younger than this, or null for no age limit
 * @param maxBytes keep the database at most this large (bytes of used pages), or 0 for no size limit
 */
public record RetentionPolicy(Duration maxAge, long maxBytes) {

  /** Keeps everything. */
  public static final RetentionPolicy NONE = new RetentionPolicy(null, 0);

  /** What the {@code taillight} command applies: 14 days, 2 GiB. */
  public static final RetentionPolicy DEFAULT = new RetentionPolicy(Duration.ofDays(14), 2L << 30);

  public RetentionPolicy {
    if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
      throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
    }
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
  }
}
