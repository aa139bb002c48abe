package dev.taillight.collector;

import java.util.List;

/**
 * What a {@link LogSource} is doing right now, for a status line.
 *
 * @param mode short description, e.g. {@code polling}, {@code live tail}, {@code file}, {@code local}
 * @param requestsPerSecond API requests per second over the last few seconds (0 for non-AWS sources)
 * @param eventsDelivered events delivered since start
 * @param duplicatesDropped events seen again (look-back re-reads, retries) and not delivered twice
 * @param groups per log group state
 * @param message the latest notable condition in words (throttled, waiting for a group...), or null
 */
public record SourceStatus(
    String mode,
    double requestsPerSecond,
    long eventsDelivered,
    long duplicatesDropped,
    List<GroupStatus> groups,
    String message) {

  public SourceStatus {
    groups = List.copyOf(groups);
  }

  /**
   * One log group's state.
   *
   * @param logGroup the group name
   * @param lagMillis how far behind real time the newest delivered event is, or -1 when nothing was seen
   * @param state e.g. {@code following}, {@code waiting for group}, {@code throttled}, {@code sampled}
   * @param requestsPerSecond API requests per second for this group over the last few seconds (0 when the
   *     source makes no per-group requests)
   */
  public record GroupStatus(String logGroup, long lagMillis, String state, double requestsPerSecond) {

    /** A group state without a request rate. */
    public GroupStatus(String logGroup, long lagMillis, String state) {
      this(logGroup, lagMillis, state, 0);
    }
  }
}
