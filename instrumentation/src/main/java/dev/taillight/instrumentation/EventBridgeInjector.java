package dev.taillight.instrumentation;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * EventBridge: the X-Ray {@code TraceHeader} of each entry (EventBridge hands it to Lambda targets as
 * the invocation's trace header) unless the caller set one.
 */
final class EventBridgeInjector {
  private EventBridgeInjector() {}

  static SdkRequest inject(SdkRequest request, TraceContext ctx) {
    if (!(request instanceof PutEventsRequest r)) {
      return request;
    }
    String header = ctx.xrayHeader();
    List<PutEventsRequestEntry> entries = new ArrayList<>(r.entries().size());
    for (PutEventsRequestEntry e : r.entries()) {
      entries.add(e.traceHeader() == null ? e.toBuilder().traceHeader(header).build() : e);
    }
    return r.toBuilder().entries(entries).build();
  }
}
