package dev.taillight.localruntime;

/**
 * Hears what the local runtime does besides writing log lines: environments starting and stopping,
 * throttles, finished invocations. The CLI prints these as status notes.
 *
 * <p>Threading: called from the runtime's threads, possibly several at once; implementations must be
 * thread-safe and quick. Exceptions thrown by a listener are caught and ignored.
 */
public interface RuntimeListener {

  /** An execution environment finished initialising (or failed to) and owns log stream {@code logStream}. */
  default void environmentStarted(String logStream, String initializationType) {}

  /** An environment was shut down: {@code reason} is e.g. {@code idle}, {@code timeout}, {@code closed}. */
  default void environmentStopped(String logStream, String reason) {}

  /** An invocation was refused because the concurrency limit was reached. */
  default void throttled(InvocationResult result) {}

  /** An invocation finished (any status but THROTTLED). */
  default void invocationFinished(InvocationResult result) {}

  /** A listener that ignores everything. */
  static RuntimeListener noop() {
    return NoopListener.INSTANCE;
  }
}

enum NoopListener implements RuntimeListener {
  INSTANCE
}
