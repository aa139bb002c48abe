package dev.taillight.collector;

import dev.taillight.collector.internal.LazyAttributes;
import java.util.List;
import java.util.Map;

/**
 * One span read from a span line, in any language's exporter format.
 *
 * @param traceId 32 lowercase hex digits (X-Ray ids are normalised to this form)
 * @param spanId 16 lowercase hex digits
 * @param parentSpanId 16 hex digits, or null for a root span
 * @param name the span name
 * @param kind OTLP span kind name: SERVER, CONSUMER, CLIENT, PRODUCER, INTERNAL
 * @param startEpochNanos start time
 * @param endEpochNanos end time
 * @param statusCode UNSET, OK or ERROR
 * @param statusMessage the status description, or null
 * @param serviceName the {@code service.name} resource attribute, or null
 * @param attributes span attributes merged over resource attributes; values are String, Long, Double,
 *     Boolean or List of those
 * @param events span events (exceptions, timeout warnings with stack dumps)
 * @param links links to other spans (batch messages)
 * @param logGroup the log group the span line came from, or null when not from a log
 * @param logStream the log stream the span line came from, or null
 */
public record SpanData(
    String traceId,
    String spanId,
    String parentSpanId,
    String name,
    String kind,
    long startEpochNanos,
    long endEpochNanos,
    String statusCode,
    String statusMessage,
    String serviceName,
    Map<String, Object> attributes,
    List<Event> events,
    List<Link> links,
    String logGroup,
    String logStream) {

  public SpanData {
    attributes = immutable(attributes);
    events = List.copyOf(events);
    links = List.copyOf(links);
  }

  /**
   * The map as it is when it is already immutable (the attributes a span line's reader made, which point into the
   * line), else {@link Map#copyOf}.
   */
  private static Map<String, Object> immutable(Map<String, Object> attributes) {
    return attributes instanceof LazyAttributes ? attributes : Map.copyOf(attributes);
  }

  /** The invocation id ({@code faas.invocation_id}) this span belongs to, or null. */
  public String invocationId() {
    Object v = attributes.get("faas.invocation_id");
    return v == null ? null : v.toString();
  }

  public long durationNanos() {
    return endEpochNanos - startEpochNanos;
  }

  /** A span event. */
  public record Event(String name, long epochNanos, Map<String, Object> attributes) {
    public Event {
      attributes = immutable(attributes);
    }
  }

  /** A link to another span. */
  public record Link(String traceId, String spanId, Map<String, Object> attributes) {
    public Link {
      attributes = immutable(attributes);
    }
  }
}
