package dev.taillight.instrumentation;

import org.apache.logging.log4j.ThreadContext;

/** {@link LogCorrelation} into Log4j2's ThreadContext. Loaded only when log4j-api is on the classpath. */
final class Log4jThreadContext implements LogCorrelation {
  @Override
  public void put(String requestId, String traceId, String spanId) {
    try {
      if (requestId != null) {
        ThreadContext.put(REQUEST_ID, requestId);
      }
      ThreadContext.put(TRACE_ID, traceId);
      ThreadContext.put(SPAN_ID, spanId);
    } catch (Throwable t) {
      Problems.report("Log4j2 ThreadContext", t);
    }
  }

  @Override
  public void remove() {
    try {
      ThreadContext.remove(REQUEST_ID);
      ThreadContext.remove(TRACE_ID);
      ThreadContext.remove(SPAN_ID);
    } catch (Throwable t) {
      Problems.report("Log4j2 ThreadContext", t);
    }
  }
}
