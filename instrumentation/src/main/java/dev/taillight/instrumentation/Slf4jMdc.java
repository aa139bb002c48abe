package dev.taillight.instrumentation;

import org.slf4j.MDC;

/** {@link LogCorrelation} into SLF4J's MDC. Loaded only when SLF4J is on the classpath. */
final class Slf4jMdc implements LogCorrelation {
  @Override
  public void put(String requestId, String traceId, String spanId) {
    try {
      if (requestId != null) {
        MDC.put(REQUEST_ID, requestId);
      }
      MDC.put(TRACE_ID, traceId);
      MDC.put(SPAN_ID, spanId);
    } catch (Throwable t) {
      Problems.report("SLF4J MDC", t);
    }
  }

  @Override
  public void remove() {
    try {
      MDC.remove(REQUEST_ID);
      MDC.remove(TRACE_ID);
      MDC.remove(SPAN_ID);
    } catch (Throwable t) {
      Problems.report("SLF4J MDC", t);
    }
  }
}
