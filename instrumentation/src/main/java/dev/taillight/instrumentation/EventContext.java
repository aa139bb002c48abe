package dev.taillight.instrumentation;

import java.util.List;
import java.util.Map;

/**
 * Recognises the event source of an invocation and finds the trace context it carries.
 *
 * <p>Sources: API Gateway REST (v1) and HTTP API (v2), ALB, Function URLs (W3C {@code traceparent} /
 * {@code tracestate} headers first, then {@code X-Amzn-Trace-Id}); SQS (message attribute
 * {@code traceparent}, then the {@code AWSTraceHeader} system attribute; one link per message);
 * SNS (message attribute {@code traceparent}); EventBridge ({@code detail.traceparent} if the producer
 * put one there); Kinesis, DynamoDB, S3, schedules (trigger only); direct invokes ({@code traceparent}
 * / {@code X-Amzn-Trace-Id} in {@code ClientContext.custom}).
 *
 * <p>Works on a Map tree or on aws-lambda-java-events objects (see {@link Fields}). Never throws:
 * events of unknown shape are trigger {@code other}, source {@code direct}, no parent.
 */
final class EventContext {
  private EventContext() {}

  /**
   * Sets kind, {@code faas.trigger}, {@code aws.lambda.event_source}, source-specific attributes and
   * links on {@code span}.
   *
   * @return the parent context the event carries, or null
   */
  static TraceContext apply(Object event, Map<String, String> clientCustom, SpanRecord span) {
    span.kind = SpanRecord.KIND_SERVER;
    TraceContext parent = null;
    String trigger = "other";
    String source = "direct";
    try {
      if (Fields.readable(event)) {
        List<?> records = Fields.list(event, "Records");
        if (records != null && !records.isEmpty()) {
          Object first = records.get(0);
          String es = Fields.string(first, "eventSource");
          if (es == null) {
            es = Fields.string(first, "EventSource");
          }
          if ("aws:sqs".equals(es)) {
            trigger = "pubsub";
            source = "sqs";
            parent = sqs(records, span);
          } else if ("aws:sns".equals(es)) {
            trigger = "pubsub";
            source = "sns";
            parent = sns(records, span);
          } else if ("aws:kinesis".equals(es)) {
            trigger = "pubsub";
            source = "kinesis";
            span.kind = SpanRecord.KIND_CONSUMER;
            span.set("messaging.system", "aws_kinesis");
            span.set("messaging.operation.type", "process");
            span.set("messaging.batch.message_count", records.size());
            span.set("messaging.destination.name", lastPart(Fields.string(first, "eventSourceARN"), '/'));
          } else if ("aws:dynamodb".equals(es)) {
            trigger = "datasource";
            source = "dynamodb";
          } else if ("aws:s3".equals(es)) {
            trigger = "datasource";
            source = "s3";
          }
        } else if (Fields.readable(Fields.get(event, "requestContext"))) {
          trigger = "http";
          source = http(event, span);
          parent = fromHeaders(event);
        } else if (Fields.get(event, "detail-type") != null && Fields.get(event, "source") != null) {
          String detailType = Fields.string(event, "detail-type");
          if ("Scheduled Event".equals(detailType)) {
            trigger = "timer";
            source = "schedule";
          } else {
            trigger = "pubsub";
            source = "eventbridge";
            span.set("aws.eventbridge.source", Fields.string(event, "source"));
            span.set("aws.eventbridge.detail_type", detailType);
            Object detail = Fields.get(event, "detail");
            if (detail instanceof Map) {
              parent = TraceContext.fromTraceparent(
                  Fields.string(detail, "traceparent"), Fields.string(detail, "tracestate"));
            }
          }
        }
      }
      if (parent == null && clientCustom != null && !clientCustom.isEmpty()) {
        parent = TraceContext.fromTraceparent(
            header(clientCustom, "traceparent"), header(clientCustom, "tracestate"));
        if (parent == null) {
          parent = TraceContext.fromXRay(header(clientCustom, "X-Amzn-Trace-Id"));
        }
      }
    } catch (RuntimeException e) {
      Problems.report("reading the event's trace context", e);
    }
    span.set("faas.trigger", trigger);
    span.set("aws.lambda.event_source", source);
    return parent;
  }

  private static String header(Map<String, String> map, String name) {
    Object v = Fields.get(map, name);
    return v == null ? null : v.toString();
  }

  private static String http(Object event, SpanRecord span) {
    Object rc = Fields.get(event, "requestContext");
    String source;
    String method = Fields.string(event, "httpMethod");
    Object http = Fields.get(rc, "http");
    if (Fields.get(rc, "elb") != null) {
      source = "alb";
    } else if (http != null) {
      String domain = Fields.string(rc, "domainName");
      source = domain != null && domain.contains(".lambda-url.") ? "function-url" : "apigateway-http";
      method = Fields.string(http, "method");
      span.set("url.path", Fields.string(http, "path"));
      String routeKey = Fields.string(event, "routeKey");
      if (routeKey != null && !"$default".equals(routeKey)) {
        int sp = routeKey.indexOf(' ');
        span.set("http.route", sp >= 0 ? routeKey.substring(sp + 1) : routeKey);
      }
    } else {
      source = "apigateway-rest";
      span.set("http.route", Fields.string(event, "resource"));
    }
    if (http == null) {
      span.set("url.path", Fields.string(event, "path"));
    }
    span.set("http.request.method", method);
    return source;
  }

  private static TraceContext fromHeaders(Object event) {
    TraceContext ctx = fromHeaderMap(Fields.get(event, "headers"));
    if (ctx == null) {
      ctx = fromHeaderMap(Fields.get(event, "multiValueHeaders"));
    }
    return ctx;
  }

  private static TraceContext fromHeaderMap(Object headers) {
    if (!(headers instanceof Map)) {
      return null;
    }
    TraceContext ctx = TraceContext.fromTraceparent(
        Fields.string(headers, "traceparent"), Fields.string(headers, "tracestate"));
    return ctx != null ? ctx : TraceContext.fromXRay(Fields.string(headers, "X-Amzn-Trace-Id"));
  }

  private static TraceContext sqs(List<?> records, SpanRecord span) {
    span.kind = SpanRecord.KIND_CONSUMER;
    span.set("messaging.system", "aws_sqs");
    span.set("messaging.operation.type", "process");
    span.set("messaging.batch.message_count", records.size());
    span.set("messaging.destination.name", lastPart(Fields.string(records.get(0), "eventSourceARN"), ':'));
    TraceContext only = null;
    for (Object r : records) {
      Object attrs = Fields.get(r, "messageAttributes");
      TraceContext ctx = TraceContext.fromTraceparent(
          attributeValue(attrs, "traceparent"), attributeValue(attrs, "tracestate"));
      if (ctx == null) {
        ctx = TraceContext.fromXRay(Fields.string(Fields.get(r, "attributes"), "AWSTraceHeader"));
      }
      if (ctx != null) {
        span.addLink(link(ctx, "messaging.message.id", Fields.string(r, "messageId")));
        only = ctx;
      }
    }
    return records.size() == 1 && only != null && only.hasSpanId() ? only : null;
  }

  private static TraceContext sns(List<?> records, SpanRecord span) {
    span.kind = SpanRecord.KIND_CONSUMER;
    span.set("messaging.system", "aws_sns");
    span.set("messaging.operation.type", "process");
    span.set("messaging.batch.message_count", records.size());
    TraceContext only = null;
    for (Object r : records) {
      Object sns = Fields.get(r, "Sns");
      if (span.get("messaging.destination.name") == null) {
        span.set("messaging.destination.name", lastPart(Fields.string(sns, "TopicArn"), ':'));
      }
      Object attrs = Fields.get(sns, "MessageAttributes");
      TraceContext ctx = TraceContext.fromTraceparent(
          attributeValue(attrs, "traceparent"), attributeValue(attrs, "tracestate"));
      if (ctx == null) {
        ctx = TraceContext.fromXRay(attributeValue(attrs, "X-Amzn-Trace-Id"));
      }
      if (ctx != null) {
        span.addLink(link(ctx, "messaging.message.id", Fields.string(sns, "MessageId")));
        only = ctx;
      }
    }
    return records.size() == 1 && only != null && only.hasSpanId() ? only : null;
  }

  /** A message attribute's value: SQS {@code stringValue}, SNS {@code Value}, or a plain string. */
  private static String attributeValue(Object attributes, String name) {
    Object a = Fields.get(attributes, name);
    if (a == null) {
      return null;
    }
    if (a instanceof String s) {
      return s;
    }
    String v = Fields.string(a, "stringValue");
    return v != null ? v : Fields.string(a, "Value");
  }

  private static SpanRecord.Link link(TraceContext ctx, String key, String value) {
    return new SpanRecord.Link(ctx.traceIdHigh(), ctx.traceIdLow(), ctx.spanId(), ctx.traceState(),
        value == null ? null : new Object[] {key, value});
  }

  static String lastPart(String s, char sep) {
    if (s == null) {
      return null;
    }
    int i = s.lastIndexOf(sep);
    return i >= 0 ? s.substring(i + 1) : s;
  }
}
