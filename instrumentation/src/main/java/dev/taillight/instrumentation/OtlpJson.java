package dev.taillight.instrumentation;

import java.util.List;

/**
 * Writes an invocation span and its children as one line of OTLP JSON ({@code ExportTraceServiceRequest}
 * in the OTLP/JSON encoding), by hand into a reused byte buffer: no JSON library, no string
 * concatenation, no per-invocation formatting objects.
 *
 * <p>Keeps the line under CloudWatch's 256 KB event limit: values were already capped when recorded;
 * if the line is still too long it is written again without links and child spans, then without
 * events, and the bytes removed are added to {@code aws.lambda.truncated}.
 */
final class OtlpJson {
  /** CloudWatch Logs accepts events up to 256 KB including 26 bytes of overhead; keep a margin. */
  static final int MAX_LINE_BYTES = 256 * 1024 - 1024;

  static final String SCOPE_NAME = "dev.taillight.instrumentation";
  static final String SCOPE_VERSION = "0.1.0";

  private static final String HEAD = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[";
  private static final String SCOPE = "]},\"scopeSpans\":[{\"scope\":{\"name\":\"" + SCOPE_NAME
      + "\",\"version\":\"" + SCOPE_VERSION + "\"},\"spans\":[";
  private static final String TAIL = "]}]}]}\n";

  private OtlpJson() {}

  /** Renders resource attributes (key/value pairs) once; the bytes are reused for every line. */
  static byte[] resource(Object[] keyValues) {
    JsonOut out = new JsonOut(1024);
    attributes(out, keyValues, keyValues.length);
    return out.toByteArray();
  }

  /**
   * Writes the whole line (ending in a newline) for {@code span} into {@code out}.
   *
   * @param resource the rendered resource attributes from {@link #resource}
   */
  static void line(JsonOut out, byte[] resource, SpanRecord span) {
    int start = out.length();
    List<SpanRecord> children = span.children();
    write(out, resource, span, children, 0, span.truncated);
    int first = out.length() - start;
    if (first <= MAX_LINE_BYTES) {
      return;
    }
    out.reset(start);
    write(out, resource, span, List.of(), 1, span.truncated + 1);
    int second = out.length() - start;
    if (second <= MAX_LINE_BYTES) {
      out.reset(start);
      write(out, resource, span, List.of(), 1, span.truncated + (first - second));
      return;
    }
    out.reset(start);
    write(out, resource, span, List.of(), 2, span.truncated + 1);
    int third = out.length() - start;
    out.reset(start);
    write(out, resource, span, List.of(), 2, span.truncated + (first - third));
  }

  /** level 0: everything; 1: no links, no children; 2: also no events. */
  private static void write(
      JsonOut out, byte[] resource, SpanRecord span, List<SpanRecord> children, int level, long truncated) {
    out.raw(HEAD).raw(resource).raw(SCOPE);
    for (SpanRecord child : children) {
      span(out, child, 0, child.truncated);
      out.raw(',');
    }
    span(out, span, level, truncated);
    out.raw(TAIL);
  }

  private static void span(JsonOut out, SpanRecord s, int level, long truncated) {
    out.raw("{\"traceId\":\"").hex16(s.traceIdHigh).hex16(s.traceIdLow);
    out.raw("\",\"spanId\":\"").hex16(s.spanId).raw('"');
    if (s.parentSpanId != 0) {
      out.raw(",\"parentSpanId\":\"").hex16(s.parentSpanId).raw('"');
    }
    if (s.traceState != null) {
      out.raw(",\"traceState\":");
      out.string(s.traceState, 512);
    }
    out.raw(",\"name\":");
    out.string(s.name == null ? "" : s.name, 1024);
    out.raw(",\"kind\":").number(s.kind);
    out.raw(",\"startTimeUnixNano\":").quotedNumber(s.startNanos);
    out.raw(",\"endTimeUnixNano\":").quotedNumber(s.endNanos);
    if (level < 2 && s.events != null && !s.events.isEmpty()) {
      out.raw(",\"events\":[");
      for (int i = 0; i < s.events.size(); i++) {
        SpanRecord.Event e = s.events.get(i);
        if (i > 0) {
          out.raw(',');
        }
        out.raw("{\"timeUnixNano\":").quotedNumber(e.timeNanos()).raw(",\"name\":");
        out.string(e.name());
        out.raw(",\"attributes\":[");
        attributes(out, e.keyValues(), e.keyValues().length);
        out.raw("]}");
      }
      out.raw(']');
    }
    if (level < 1 && s.links != null && !s.links.isEmpty()) {
      out.raw(",\"links\":[");
      for (int i = 0; i < s.links.size(); i++) {
        SpanRecord.Link l = s.links.get(i);
        if (i > 0) {
          out.raw(',');
        }
        out.raw("{\"traceId\":\"").hex16(l.traceIdHigh()).hex16(l.traceIdLow());
        out.raw("\",\"spanId\":\"").hex16(l.spanId()).raw('"');
        if (l.traceState() != null) {
          out.raw(",\"traceState\":");
          out.string(l.traceState(), 512);
        }
        if (l.keyValues() != null && l.keyValues().length > 0) {
          out.raw(",\"attributes\":[");
          attributes(out, l.keyValues(), l.keyValues().length);
          out.raw(']');
        }
        out.raw('}');
      }
      out.raw(']');
    }
    if (s.statusCode != SpanRecord.STATUS_UNSET) {
      out.raw(",\"status\":{");
      if (s.statusMessage != null) {
        out.raw("\"message\":");
        out.string(s.statusMessage, SpanRecord.MAX_VALUE_CHARS);
        out.raw(',');
      }
      out.raw("\"code\":").number(s.statusCode).raw('}');
    }
    out.raw(",\"attributes\":[");
    int n = s.attributeCount;
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.raw(',');
      }
      attribute(out, s.keys[i], s.values[i]);
    }
    if (truncated > 0) {
      if (n > 0) {
        out.raw(',');
      }
      attribute(out, "aws.lambda.truncated", truncated);
    }
    out.raw("]}");
  }

  private static void attributes(JsonOut out, Object[] kv, int length) {
    boolean first = true;
    for (int i = 0; i + 1 < length; i += 2) {
      if (kv[i + 1] == null) {
        continue;
      }
      if (!first) {
        out.raw(',');
      }
      first = false;
      attribute(out, (String) kv[i], kv[i + 1]);
    }
  }

  private static void attribute(JsonOut out, String key, Object value) {
    out.raw(keyPrefix(key));
    value(out, value);
    out.raw('}');
  }

  /**
   * {@code {"key":"<key>","value":} rendered once per key: keys are a small fixed set, and encoding
   * them char by char on every line was the largest cost of a warm invocation on C1.
   */
  private static byte[] keyPrefix(String key) {
    byte[] b = KEYS.get(key);
    if (b == null) {
      JsonOut o = new JsonOut(key.length() + 20);
      o.raw("{\"key\":");
      o.string(key);
      o.raw(",\"value\":");
      b = o.toByteArray();
      if (KEYS.size() < 1024) {
        KEYS.put(key, b);
      }
    }
    return b;
  }

  private static final java.util.concurrent.ConcurrentHashMap<String, byte[]> KEYS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static void value(JsonOut out, Object value) {
    if (value instanceof String s) {
      out.raw("{\"stringValue\":");
      out.string(s);
      out.raw('}');
    } else if (value instanceof Boolean b) {
      out.raw(b ? "{\"boolValue\":true}" : "{\"boolValue\":false}");
    } else if (value instanceof Long || value instanceof Integer) {
      out.raw("{\"intValue\":").quotedNumber(((Number) value).longValue()).raw('}');
    } else if (value instanceof Number n) {
      out.raw("{\"doubleValue\":").decimal(n.doubleValue()).raw('}');
    } else if (value instanceof List<?> list) {
      out.raw("{\"arrayValue\":{\"values\":[");
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.raw(',');
        }
        Object v = list.get(i);
        value(out, v == null ? "" : v);
      }
      out.raw("]}}");
    } else {
      out.raw("{\"stringValue\":");
      out.string(String.valueOf(value), SpanRecord.MAX_VALUE_CHARS);
      out.raw('}');
    }
  }
}
