package dev.taillight.collector.store;

import static java.util.Objects.requireNonNull;

/**
 * The time range of one log group that {@code taillight pull} has already fetched into the index, so an
 * interrupted pull resumes where it stopped instead of starting over.
 *
 * @param logGroup the log group
 * @param fromTime start of the fetched range, epoch ms (inclusive)
 * @param toTime end of the fetched range, epoch ms (exclusive)
 * @param updatedAt when the checkpoint was written, epoch ms
 */
public record PullCheckpoint(String logGroup, long fromTime, long toTime, long updatedAt) {
  public PullCheckpoint {
    requireNonNull(logGroup, "logGroup");
    if (toTime < fromTime) {
      throw new IllegalArgumentException("toTime " + toTime + " is before fromTime " + fromTime);
    }
  }
}
