package dev.taillight.collector;

/** What a log line is, once parsed. */
public enum LineKind {
  /** A line written by the Lambda platform: INIT_START, START, END, REPORT, INIT_REPORT, RESTORE_*, ... */
  PLATFORM,
  /** A span line written by an instrumentation (OTLP JSON or the {@code __otel_otlp_stdout} envelope). */
  SPAN,
  /** Anything the function's own code printed. */
  APP
}
