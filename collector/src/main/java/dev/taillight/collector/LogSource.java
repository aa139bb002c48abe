package dev.taillight.collector;

/**
 * Produces log events: CloudWatch polling, Live Tail, a file or stdin, the local runtime.
 *
 * <p>{@link #start} returns at once; the source delivers events to the sink from its own thread(s), each
 * event once (sources de-duplicate by {@link RawEvent#eventId()}). A finite source (a file) closes nothing
 * itself: it delivers everything and then reports {@link #isFinished()}. {@link #close} stops delivery and
 * waits for the source's threads to end; it is idempotent. Sources never throw for bad input or transient
 * AWS errors: they retry, back off and report through {@link #status()}.
 */
public interface LogSource extends AutoCloseable {

  /** Begins delivering events to {@code sink}. Call once. */
  void start(LogSink sink);

  /** True once a finite source has delivered everything it has; always false for a live source. */
  boolean isFinished();

  /** A snapshot of what the source is doing, for status lines (mode, per-group lag, request rate). */
  SourceStatus status();

  /** Stops the source and waits for its threads. */
  @Override
  void close();
}
