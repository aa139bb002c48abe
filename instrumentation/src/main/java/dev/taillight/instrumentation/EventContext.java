package dev.taillight.instrumentation;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
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
 * <p>Works on a Map tree or on aws-lambda-java-events objects (see {@link #get}). Never throws:
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
      if (readable(event)) {
        List<?> records = list(event, "Records");
        if (records != null && !records.isEmpty()) {
          Object first = records.get(0);
          String es = string(first, "eventSource");
          if (es == null) {
            es = string(first, "EventSource");
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
            span.set("messaging.destination.name", lastPart(string(first, "eventSourceARN"), '/'));
          } else if ("aws:dynamodb".equals(es)) {
            trigger = "datasource";
            source = "dynamodb";
          } else if ("aws:s3".equals(es)) {
            trigger = "datasource";
            source = "s3";
          }
        } else if (readable(get(event, "requestContext"))) {
          trigger = "http";
          source = http(event, span);
          parent = fromHeaders(event);
        } else if (get(event, "detail-type") != null && get(event, "source") != null) {
          String detailType = string(event, "detail-type");
          if ("Scheduled Event".equals(detailType)) {
            trigger = "timer";
            source = "schedule";
          } else {
            trigger = "pubsub";
            source = "eventbridge";
            span.set("aws.eventbridge.source", string(event, "source"));
            span.set("aws.eventbridge.detail_type", detailType);
            Object detail = get(event, "detail");
            if (detail instanceof Map) {
              parent = TraceContext.fromTraceparent(
                  string(detail, "traceparent"), string(detail, "tracestate"));
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
    Object v = get(map, name);
    return v == null ? null : v.toString();
  }

  private static String http(Object event, SpanRecord span) {
    Object rc = get(event, "requestContext");
    String source;
    String method = string(event, "httpMethod");
    Object http = get(rc, "http");
    if (get(rc, "elb") != null) {
      source = "alb";
    } else if (http != null) {
      String domain = string(rc, "domainName");
      source = domain != null && domain.contains(".lambda-url.") ? "function-url" : "apigateway-http";
      method = string(http, "method");
      span.set("url.path", string(http, "path"));
      String routeKey = string(event, "routeKey");
      if (routeKey != null && !"$default".equals(routeKey)) {
        int sp = routeKey.indexOf(' ');
        span.set("http.route", sp >= 0 ? routeKey.substring(sp + 1) : routeKey);
      }
    } else {
      source = "apigateway-rest";
      span.set("http.route", string(event, "resource"));
    }
    if (http == null) {
      span.set("url.path", string(event, "path"));
    }
    span.set("http.request.method", method);
    return source;
  }

  private static TraceContext fromHeaders(Object event) {
    TraceContext ctx = fromHeaderMap(get(event, "headers"));
    if (ctx == null) {
      ctx = fromHeaderMap(get(event, "multiValueHeaders"));
    }
    return ctx;
  }

  private static TraceContext fromHeaderMap(Object headers) {
    if (!(headers instanceof Map)) {
      return null;
    }
    TraceContext ctx = TraceContext.fromTraceparent(
        string(headers, "traceparent"), string(headers, "tracestate"));
    return ctx != null ? ctx : TraceContext.fromXRay(string(headers, "X-Amzn-Trace-Id"));
  }

  private static TraceContext sqs(List<?> records, SpanRecord span) {
    span.kind = SpanRecord.KIND_CONSUMER;
    span.set("messaging.system", "aws_sqs");
    span.set("messaging.operation.type", "process");
    span.set("messaging.batch.message_count", records.size());
    span.set("messaging.destination.name", lastPart(string(records.get(0), "eventSourceARN"), ':'));
    TraceContext only = null;
    for (Object r : records) {
      Object attrs = get(r, "messageAttributes");
      TraceContext ctx = TraceContext.fromTraceparent(
          attributeValue(attrs, "traceparent"), attributeValue(attrs, "tracestate"));
      if (ctx == null) {
        ctx = TraceContext.fromXRay(string(get(r, "attributes"), "AWSTraceHeader"));
      }
      if (ctx != null) {
        span.addLink(link(ctx, "messaging.message.id", string(r, "messageId")));
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
      Object sns = get(r, "Sns");
      if (span.get("messaging.destination.name") == null) {
        span.set("messaging.destination.name", lastPart(string(sns, "TopicArn"), ':'));
      }
      Object attrs = get(sns, "MessageAttributes");
      TraceContext ctx = TraceContext.fromTraceparent(
          attributeValue(attrs, "traceparent"), attributeValue(attrs, "tracestate"));
      if (ctx == null) {
        ctx = TraceContext.fromXRay(attributeValue(attrs, "X-Amzn-Trace-Id"));
      }
      if (ctx != null) {
        span.addLink(link(ctx, "messaging.message.id", string(sns, "MessageId")));
        only = ctx;
      }
    }
    return records.size() == 1 && only != null && only.hasSpanId() ? only : null;
  }

  /** A message attribute's value: SQS {@code stringValue}, SNS {@code Value}, or a plain string. */
  private static String attributeValue(Object attributes, String name) {
    Object a = get(attributes, name);
    if (a == null) {
      return null;
    }
    if (a instanceof String s) {
      return s;
    }
    String v = string(a, "stringValue");
    return v != null ? v : string(a, "Value");
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

  // ------------------------------------------------------------------------------------ reading fields
  // Reads a named field from an event in any of the shapes a handler may receive it: the Map tree of a raw
  // JSON event, or an object of aws-lambda-java-events (through its public getters, found by reflection so
  // users need not add that dependency for us). Names match loosely: case and non-alphanumerics are
  // ignored, so "detail-type" finds getDetailType() and "Sns" finds getSNS(). Never throws; a missing
  // field is null. Getters are only called on classes of com.amazonaws.services.lambda.runtime.events,
  // never on user objects. (Part of this class, not one of its own: every class is a cold-start cost.)

  private static final String EVENTS_PACKAGE = "com.amazonaws.services.lambda.runtime.events.";

  /** Getter tables per class; a holder so a cold JVM only pays for ClassValue when a bean shows up. */
  private static final class Getters {
  static final ClassValue<Map<String, Method>> GETTERS = new ClassValue<>() {
    @Override
    protected Map<String, Method> computeValue(Class<?> type) {
      Map<String, Method> map = new HashMap<>();
      for (Method m : type.getMethods()) {
        if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
            || m.getDeclaringClass() == Object.class) {
          continue;
        }
        String n = m.getName();
        String prop;
        if (n.startsWith("get") && n.length() > 3) {
          prop = n.substring(3);
        } else if (n.startsWith("is") && n.length() > 2) {
          prop = n.substring(2);
        } else {
          continue;
        }
        map.putIfAbsent(normalize(prop), m);
      }
      return map;
    }
  };
  }

  static Object get(Object obj, String name) {
    if (obj == null) {
      return null;
    }
    try {
      if (obj instanceof Map<?, ?> map) {
        Object v = map.get(name);
        if (v != null || map.isEmpty()) {
          return v;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (e.getKey() instanceof String k && looseEquals(k, name)) {
            return e.getValue();
          }
        }
        return null;
      }
      Class<?> type = obj.getClass();
      if (!type.getName().startsWith(EVENTS_PACKAGE)) {
        return null;
      }
      Method m = Getters.GETTERS.get(type).get(normalize(name));
      return m == null ? null : m.invoke(obj);
    } catch (Throwable e) {
      Problems.report("reading event field " + name, e);
      return null;
    }
  }

  /** Follows a path of names. */
  static Object path(Object obj, String... names) {
    Object v = obj;
    for (String n : names) {
      v = get(v, n);
      if (v == null) {
        return null;
      }
    }
    return v;
  }

  static String string(Object obj, String name) {
    Object v = get(obj, name);
    if (v == null) {
      return null;
    }
    if (v instanceof List<?> list) {
      // multi-value headers: the first value
      return list.isEmpty() || list.get(0) == null ? null : list.get(0).toString();
    }
    return v.toString();
  }

  static List<?> list(Object obj, String name) {
    Object v = get(obj, name);
    return v instanceof List<?> l ? l : null;
  }

  /** True for a Map tree or an aws-lambda-java-events object, the shapes {@link #get} can read. */
  static boolean readable(Object obj) {
    return obj instanceof Map || (obj != null && obj.getClass().getName().startsWith(EVENTS_PACKAGE));
  }

  /** Equal ignoring case and non-alphanumerics (ASCII), without allocating. */
  static boolean looseEquals(String a, String b) {
    int i = 0;
    int j = 0;
    int na = a.length();
    int nb = b.length();
    while (true) {
      while (i < na && !alnum(a.charAt(i))) {
        i++;
      }
      while (j < nb && !alnum(b.charAt(j))) {
        j++;
      }
      if (i == na || j == nb) {
        return i == na && j == nb;
      }
      char x = a.charAt(i++);
      char y = b.charAt(j++);
      if (x != y && lower(x) != lower(y)) {
        return false;
      }
    }
  }

  private static boolean alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c > 127;
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c > 127 ? Character.toLowerCase(c) : c;
  }

  static String normalize(String s) {
    int n = s.length();
    boolean plain = true;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
        plain = false;
        break;
      }
    }
    if (plain) {
      return s;
    }
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        sb.append((char) (c + 32));
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        sb.append(c);
      } else if (c > 127 && Character.isLetterOrDigit(c)) {
        sb.append(Character.toLowerCase(c));
      }
    }
    return sb.toString();
  }
}
