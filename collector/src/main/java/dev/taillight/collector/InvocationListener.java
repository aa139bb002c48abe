package dev.taillight.collector;

/**
 * Receives what the collector pipeline rebuilds from log events, as it happens.
 *
 * <p>Threading: the pipeline calls a listener from one thread at a time, in the order it correlated things,
 * so implementations need no locking for their own state; they must return quickly (a TUI hands the work to
 * its own thread). A listener that throws is reported and kept; it never stops the pipeline.
 */
public interface InvocationListener {

  /** A line was correlated; {@code line.requestId()} says which invocation it joined, if any. */
  default void onLine(LogLine line) {}

  /** A new invocation started (START seen, or its first line arrived). */
  default void onInvocationStarted(Invocation invocation) {}

  /** An invocation ended (REPORT seen, or it was declared lost): the final snapshot. */
  default void onInvocationFinished(Invocation invocation) {}

  /** A span arrived (it is also part of its invocation's snapshot). */
  default void onSpan(SpanData span) {}

  /** A listener that ignores everything. */
  static InvocationListener noop() {
    return NoopInvocationListener.INSTANCE;
  }
}

enum NoopInvocationListener implements InvocationListener {
  INSTANCE
}
