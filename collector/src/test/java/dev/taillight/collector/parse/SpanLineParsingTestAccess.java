package dev.taillight.collector.parse;

/** Lets tests in other packages build the envelope line of {@link SpanLineParsingTest}. */
public final class SpanLineParsingTestAccess {
  private SpanLineParsingTestAccess() {}

  /** An otlp-stdout-span-exporter envelope line with one payments-worker span (status ERROR). */
  public static String paymentsEnvelope() throws java.io.IOException {
    return SpanLineParsingTest.envelope(SpanLineParsingTest.otelSpan());
  }
}
