package dev.taillight.instrumentation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/** SNS: message attribute {@code traceparent} (delivered to Lambda subscribers as MessageAttributes). */
final class SnsInjector {
  static final int MAX_ATTRIBUTES = 10;

  private SnsInjector() {}

  static SdkRequest inject(SdkRequest request, TraceContext ctx) {
    if (request instanceof PublishRequest r) {
      return r.toBuilder().messageAttributes(attributes(r.messageAttributes(), ctx)).build();
    }
    if (request instanceof PublishBatchRequest r) {
      List<PublishBatchRequestEntry> entries = new ArrayList<>(r.publishBatchRequestEntries().size());
      for (PublishBatchRequestEntry e : r.publishBatchRequestEntries()) {
        entries.add(e.toBuilder().messageAttributes(attributes(e.messageAttributes(), ctx)).build());
      }
      return r.toBuilder().publishBatchRequestEntries(entries).build();
    }
    return request;
  }

  private static Map<String, MessageAttributeValue> attributes(
      Map<String, MessageAttributeValue> existing, TraceContext ctx) {
    if (existing.containsKey("traceparent") || existing.size() >= MAX_ATTRIBUTES) {
      return existing;
    }
    Map<String, MessageAttributeValue> m = new LinkedHashMap<>(existing);
    m.put("traceparent", MessageAttributeValue.builder().dataType("String").stringValue(ctx.traceparent()).build());
    return m;
  }
}
