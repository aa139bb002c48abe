package dev.taillight.instrumentation;

/**
 * Puts the request id, trace id and span id of the running invocation into the logging framework's
 * per-thread context (keys {@code AWSRequestId}, {@code trace_id}, {@code span_id}) so log patterns can
 * print them, and removes them when the invocation ends.
 *
 * <p>Frameworks are detected once; the classes that call them are only loaded when the framework is on
 * the classpath. Called on the invocation's thread; implementations never throw.
 */
interface LogCorrelation {
  String REQUEST_ID = "AWSRequestId";
  String TRACE_ID = "trace_id";
  String SPAN_ID = "span_id";

  void put(String requestId, String traceId, String spanId);

  void remove();

  static LogCorrelation noop() {
    return Noop.INSTANCE;
  }

  /** SLF4J's MDC and/or Log4j2's ThreadContext, whichever {@code loader} can see; else null. */
  static LogCorrelation detect(ClassLoader loader) {
    return create(Tracer.present("org.slf4j.MDC", loader),
        Tracer.present("org.apache.logging.log4j.ThreadContext", loader));
  }

  /** SLF4J's MDC and/or Log4j2's ThreadContext, as told (both known to be there); null for neither. */
  static LogCorrelation create(boolean slf4j, boolean log4j) {
    try {
      if (slf4j && log4j) {
        return new Both(new Slf4jMdc(), new Log4jThreadContext());
      }
      if (slf4j) {
        return new Slf4jMdc();
      }
      if (log4j) {
        return new Log4jThreadContext();
      }
    } catch (LinkageError e) {
      Problems.report("log correlation setup", e);
    }
    return null;
  }

  /** Does nothing. */
  final class Noop implements LogCorrelation {
    static final Noop INSTANCE = new Noop();

    @Override
    public void put(String requestId, String traceId, String spanId) {}

    @Override
    public void remove() {}
  }

  /** Both frameworks at once. */
  final class Both implements LogCorrelation {
    private final LogCorrelation a;
    private final LogCorrelation b;

    Both(LogCorrelation a, LogCorrelation b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void put(String requestId, String traceId, String spanId) {
      a.put(requestId, traceId, spanId);
      b.put(requestId, traceId, spanId);
    }

    @Override
    public void remove() {
      a.remove();
      b.remove();
    }
  }
}
