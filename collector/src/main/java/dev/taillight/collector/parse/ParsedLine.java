package dev.taillight.collector.parse;

import dev.taillight.collector.LineKind;
import dev.taillight.collector.SpanData;
import java.util.List;

/**
 * One log event's message after parsing, before correlation: what kind of line it is and what it names.
 *
 * @param kind platform, span or application line
 * @param level the log level when the line carried one (upper case; {@code WARNING} is given as {@code WARN},
 *     {@code CRITICAL} as {@code FATAL}), else null
 * @param requestId the request id the line itself names (a platform line, a {@code ts\treqid\tLEVEL} prefix, a
 *     JSON {@code requestId}/{@code AWSRequestId}/{@code function_request_id}, a span's
 *     {@code faas.invocation_id}), or null when it names none
 * @param text the human-readable text: a JSON record's message, the text after the
 *     {@code ts\treqid\tLEVEL\t} prefix, the whole line otherwise (trailing line break removed)
 * @param platform what a platform line says, or null for other kinds
 * @param spans the spans of a span line (empty for other kinds)
 * @param errorType the error type an application line reports ({@code errorType} of the runtime's error record),
 *     or null
 * @param errorMessage the error message an application line reports, or null
 * @param failure why a structured-looking line was kept as plain text, or null when it parsed
 */
public record ParsedLine(
    LineKind kind,
    String level,
    String requestId,
    String text,
    PlatformRecord platform,
    List<SpanData> spans,
    String errorType,
    String errorMessage,
    ParseFailure failure) {

  static ParsedLine app(String level, String requestId, String text) {
    return new ParsedLine(LineKind.APP, level, requestId, text, null, List.of(), null, null, null);
  }

  static ParsedLine failed(String text, ParseFailure failure) {
    return new ParsedLine(LineKind.APP, null, null, text, null, List.of(), null, null, failure);
  }

  static ParsedLine platform(PlatformRecord record, String text) {
    return new ParsedLine(LineKind.PLATFORM, null, record.requestId(), text, record, List.of(), null, null, null);
  }
}
