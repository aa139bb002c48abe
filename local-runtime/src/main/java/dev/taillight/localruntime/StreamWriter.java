package dev.taillight.localruntime;

import dev.taillight.collector.LogSink;
import dev.taillight.collector.RawEvent;
import java.time.Clock;

/**
 * Writes the events of one log stream into the sink: timestamps from the injected clock, never going backwards
 * within the stream (CloudWatch wants each batch in order), and event ids unique within the group.
 *
 * <p>Thread-safe: the environment's controller thread and its output pumps write concurrently; the order of
 * {@link #write} calls is the order of the stream. Never throws: a failing sink is reported once to stderr.
 */
final class StreamWriter {
  private final LogSink sink;
  private final Clock clock;
  private final String logGroup;
  private final String logStream;
  private final String idPrefix;
  private long lastTimestamp;
  private long sequence;
  private boolean sinkFailed;

  StreamWriter(LogSink sink, Clock clock, String logGroup, String logStream, String idPrefix) {
    this.sink = sink;
    this.clock = clock;
    this.logGroup = logGroup;
    this.logStream = logStream;
    this.idPrefix = idPrefix;
  }

  String logStream() {
    return logStream;
  }

  /** Writes one event (ignored when {@code message} is null, the way formats without a line return null). */
  synchronized void write(String message) {
    if (message == null) {
      return;
    }
    long now = Math.max(clock.millis(), lastTimestamp);
    lastTimestamp = now;
    String id = idPrefix + "-" + Long.toString(now, 36) + "-" + (++sequence);
    try {
      sink.accept(new RawEvent(logGroup, logStream, now, now, id, message));
    } catch (RuntimeException e) {
      if (!sinkFailed) {
        sinkFailed = true;
        System.err.println("taillight local runtime: log sink rejected an event of " + logStream + ": " + e);
      }
    }
  }
}
