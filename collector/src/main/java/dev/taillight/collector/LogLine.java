package dev.taillight.collector;

import static java.util.Objects.requireNonNull;

/**
 * One log line after parsing and correlation.
 *
 * @param event the event as received
 * @param function the function name (from the log group {@code /aws/lambda/NAME}, or the group itself)
 * @param kind platform, span or application line
 * @param level the log level when the line carried one (INFO, ERROR...), else null
 * @param requestId the invocation this line belongs to, or null when it fell outside any invocation (e.g.
 *     init-phase lines before the first START)
 * @param text the human-readable text of the line (the message of a JSON log record, the line itself
 *     otherwise)
 */
public record LogLine(RawEvent event, String function, LineKind kind, String level, String requestId, String text) {

  public LogLine {
    requireNonNull(event, "event");
    requireNonNull(function, "function");
    requireNonNull(kind, "kind");
    requireNonNull(text, "text");
  }

  public long timestamp() {
    return event.timestamp();
  }
}
