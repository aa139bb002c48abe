package dev.taillight.collector;

import java.util.ArrayList;
import java.util.List;

/**
 * Accepts log events: the collector pipeline, a CloudWatch Logs writer (PutLogEvents), a JSON-lines file.
 *
 * <p>Threading: {@link #accept} may be called from several threads; an implementation either is thread-safe
 * or says otherwise. {@link #accept} must not block for long; implementations that do I/O buffer and ship in
 * the background, and {@link #flush} waits for everything accepted so far to be delivered. After {@link
 * #close} (which flushes) further events are rejected with {@link IllegalStateException}.
 */
public interface LogSink extends AutoCloseable {

  /** Takes one event. Never throws for the event's content. */
  void accept(RawEvent event);

  /** Blocks until every event accepted so far has been delivered (or failed and been reported). */
  default void flush() {}

  /** Flushes and releases resources. */
  @Override
  default void close() {
    flush();
  }

  /** A sink that drops everything. */
  static LogSink noop() {
    return NoopLogSink.INSTANCE;
  }

  /** A sink that hands every event to each of {@code sinks} in order: the no-op for none, the one for one. */
  static LogSink composite(List<? extends LogSink> sinks) {
    if (sinks.isEmpty()) {
      return noop();
    }
    if (sinks.size() == 1) {
      return sinks.get(0);
    }
    List<LogSink> copy = List.copyOf(sinks);
    return new LogSink() {
      @Override
      public void accept(RawEvent event) {
        for (LogSink s : copy) {
          s.accept(event);
        }
      }

      @Override
      public void flush() {
        for (LogSink s : copy) {
          s.flush();
        }
      }

      @Override
      public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (LogSink s : copy) {
          try {
            s.close();
          } catch (RuntimeException e) {
            failures.add(e);
          }
        }
        if (!failures.isEmpty()) {
          RuntimeException first = failures.get(0);
          failures.subList(1, failures.size()).forEach(first::addSuppressed);
          throw first;
        }
      }
    };
  }

  /** See {@link #composite(List)}. */
  static LogSink composite(LogSink... sinks) {
    return composite(List.of(sinks));
  }
}

enum NoopLogSink implements LogSink {
  INSTANCE;

  @Override
  public void accept(RawEvent event) {}
}
