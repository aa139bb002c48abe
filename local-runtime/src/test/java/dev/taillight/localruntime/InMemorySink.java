package dev.taillight.localruntime;

import dev.taillight.collector.LogSink;
import dev.taillight.collector.RawEvent;
import java.util.ArrayList;
import java.util.List;

/** A sink that keeps every event, for assertions. */
final class InMemorySink implements LogSink {
  private final List<RawEvent> events = new ArrayList<>();

  @Override
  public synchronized void accept(RawEvent event) {
    events.add(event);
  }

  synchronized List<RawEvent> events() {
    return List.copyOf(events);
  }

  synchronized List<String> messages(String logStream) {
    return events.stream().filter(e -> e.logStream().equals(logStream)).map(RawEvent::message).toList();
  }

  synchronized List<String> streams() {
    return events.stream().map(RawEvent::logStream).distinct().toList();
  }
}
