package dev.taillight.collector.cloudwatch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Remembers the ids of events delivered whose timestamp is still inside the re-read window, so a re-read event
 * is recognised. Ids older than the window are forgotten ({@link #forgetBefore}): memory is bounded by the
 * number of events in the window, not by how long the tail runs. Not thread-safe.
 */
final class EventDeduplicator {
  private final Set<String> ids = new HashSet<>();
  private final TreeMap<Long, List<String>> byTimestamp = new TreeMap<>();

  /** True when the id was not seen before (and remembers it). */
  boolean firstTime(String eventId, long timestamp) {
    if (!ids.add(eventId)) {
      return false;
    }
    byTimestamp.computeIfAbsent(timestamp, t -> new ArrayList<>(2)).add(eventId);
    return true;
  }

  /** Forgets ids of events with a timestamp before {@code timestamp}: no later read can return them. */
  void forgetBefore(long timestamp) {
    Map<Long, List<String>> old = byTimestamp.headMap(timestamp, false);
    for (List<String> l : old.values()) {
      l.forEach(ids::remove);
    }
    old.clear();
  }

  int size() {
    return ids.size();
  }
}
