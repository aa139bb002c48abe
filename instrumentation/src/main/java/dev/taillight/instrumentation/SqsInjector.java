package dev.taillight.instrumentation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** SQS: message attribute {@code traceparent} and system attribute {@code AWSTraceHeader}. */
final class SqsInjector {
  /** SQS accepts at most 10 message attributes per message. */
  static final int MAX_ATTRIBUTES = 10;

  private SqsInjector() {}

  static SdkRequest inject(SdkRequest request, TraceContext ctx) {
    if (request instanceof SendMessageRequest r) {
      return r.toBuilder()
          .messageAttributes(attributes(r.messageAttributes(), ctx))
          .messageSystemAttributes(system(r.messageSystemAttributes(), ctx))
          .build();
    }
    if (request instanceof SendMessageBatchRequest r) {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>(r.entries().size());
      for (SendMessageBatchRequestEntry e : r.entries()) {
        entries.add(e.toBuilder()
            .messageAttributes(attributes(e.messageAttributes(), ctx))
            .messageSystemAttributes(system(e.messageSystemAttributes(), ctx))
            .build());
      }
      return r.toBuilder().entries(entries).build();
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
    if (ctx.traceState() != null && m.size() < MAX_ATTRIBUTES && !m.containsKey("tracestate")) {
      m.put("tracestate", MessageAttributeValue.builder().dataType("String").stringValue(ctx.traceState()).build());
    }
    return m;
  }

  private static Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> system(
      Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> existing, TraceContext ctx) {
    if (existing.containsKey(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER)) {
      return existing;
    }
    Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> m = new LinkedHashMap<>(existing);
    m.put(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
        MessageSystemAttributeValue.builder().dataType("String").stringValue(ctx.xrayHeader()).build());
    return m;
  }
}
