package dev.taillight.collector.parse;

/** Why a line that looked structured was kept as a plain application line. Counted per kind. */
public enum ParseFailure {
  /** Began with {@code &#123;} but is not complete JSON (truncated, cut by CloudWatch's 256 KB limit...). */
  MALFORMED_JSON,
  /** Looked like an OTLP span line but its spans could not be read. */
  BAD_SPAN_LINE,
  /** An {@code __otel_otlp_stdout} envelope whose payload could not be decoded (base64, gzip, protobuf). */
  BAD_ENVELOPE,
  /** A {@code platform.*} JSON record or a TEXT platform line missing what it must carry. */
  BAD_PLATFORM_LINE
}
