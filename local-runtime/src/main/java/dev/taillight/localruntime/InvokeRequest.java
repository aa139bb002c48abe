package dev.taillight.localruntime;

import static java.util.Objects.requireNonNull;

/**
 * One invocation to run: the event and, optionally, the trace context it arrives with.
 *
 * @param payload the event as the function receives it (normally JSON; any text is passed through as is)
 * @param traceHeader an X-Ray trace header ({@code Root=1-...;Parent=...;Sampled=1}) to continue, e.g. an SQS
 *     message's {@code AWSTraceHeader}; {@code null} starts a new trace
 * @param clientContext the {@code Lambda-Runtime-Client-Context} value (JSON), or {@code null} for none
 */
public record InvokeRequest(String payload, String traceHeader, String clientContext) {

  public InvokeRequest {
    requireNonNull(payload, "payload");
  }

  /** An invocation with this event and a new trace. */
  public static InvokeRequest of(String payload) {
    return new InvokeRequest(payload, null, null);
  }

  /** The same invocation continuing the trace in {@code traceHeader}. */
  public InvokeRequest withTraceHeader(String traceHeader) {
    return new InvokeRequest(payload, traceHeader, clientContext);
  }
}
