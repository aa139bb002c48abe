package dev.taillight.collector.parse;

import dev.taillight.collector.SpanData;
import dev.taillight.collector.TraceIds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The span-line reader as it was before attributes were kept as slices: everything decoded at once into HashMaps.
 * Kept in the tests as the reference the single-pass reader ({@link OtlpJson}) must agree with.
 *
 * <p>Original description:
 * Reads an OTLP/JSON {@code ExportTraceServiceRequest} (resourceSpans / scopeSpans / spans) into {@link SpanData}
 * with a {@link JsonCursor}. Accepts both the OTLP/JSON encoding (hex ids, kind and status code as integers,
 * 64-bit numbers as strings) and the proto3 JSON mapping's variants (enum names, numbers as numbers, base64 ids).
 */
final class EagerOtlpJson {
  private EagerOtlpJson() {}

  /** Reads the request object at the cursor and adds its spans to {@code out}. */
  static void request(JsonCursor c, String fallbackService, String group, String stream, List<SpanData> out) {
    c.beginObject();
    while (c.nextField()) {
      if (c.fieldIs("resourceSpans") && c.peek() == '[') {
        c.beginArray();
        while (c.nextElement()) {
          resourceSpans(c, fallbackService, group, stream, out);
        }
      } else {
        c.skipValue();
      }
    }
  }

  private static void resourceSpans(JsonCursor c, String fallbackService, String group, String stream,
      List<SpanData> out) {
    Map<String, Object> resource = Map.of();
    List<SpanBuilder> spans = new ArrayList<>(4);
    c.beginObject();
    while (c.nextField()) {
      if (c.fieldIs("resource") && c.peek() == '{') {
        resource = new HashMap<>();
        c.beginObject();
        while (c.nextField()) {
          if (c.fieldIs("attributes") && c.peek() == '[') {
            attributes(c, resource);
          } else {
            c.skipValue();
          }
        }
      } else if ((c.fieldIs("scopeSpans") || c.fieldIs("instrumentationLibrarySpans")) && c.peek() == '[') {
        c.beginArray();
        while (c.nextElement()) {
          c.beginObject();
          while (c.nextField()) {
            if (c.fieldIs("spans") && c.peek() == '[') {
              c.beginArray();
              while (c.nextElement()) {
                spans.add(span(c));
              }
            } else {
              c.skipValue();
            }
          }
        }
      } else {
        c.skipValue();
      }
    }
    for (SpanBuilder b : spans) {
      SpanData s = b.build(resource, fallbackService, group, stream);
      if (s != null) {
        out.add(s);
      }
    }
  }

  private static SpanBuilder span(JsonCursor c) {
    SpanBuilder b = new SpanBuilder();
    c.beginObject();
    while (c.nextField()) {
      if (c.tryNull()) {
        continue;
      }
      if (c.fieldIs("traceId")) {
        b.traceId = SpanBuilder.traceId(c.string());
      } else if (c.fieldIs("spanId")) {
        b.spanId = c.string();
      } else if (c.fieldIs("parentSpanId")) {
        b.parentSpanId = c.string();
      } else if (c.fieldIs("name")) {
        b.name = c.string();
      } else if (c.fieldIs("kind")) {
        if (c.peek() == '"') {
          b.kind(c.string());
        } else {
          b.kind(c.longValue());
        }
      } else if (c.fieldIs("startTimeUnixNano")) {
        b.start = c.longValue();
      } else if (c.fieldIs("endTimeUnixNano")) {
        b.end = c.longValue();
      } else if (c.fieldIs("attributes") && c.peek() == '[') {
        attributes(c, b.attributes);
      } else if (c.fieldIs("events") && c.peek() == '[') {
        c.beginArray();
        while (c.nextElement()) {
          b.events.add(event(c));
        }
      } else if (c.fieldIs("links") && c.peek() == '[') {
        c.beginArray();
        while (c.nextElement()) {
          SpanData.Link l = link(c);
          if (l != null) {
            b.links.add(l);
          }
        }
      } else if (c.fieldIs("status") && c.peek() == '{') {
        c.beginObject();
        while (c.nextField()) {
          if (c.fieldIs("code") && !c.tryNull()) {
            if (c.peek() == '"') {
              b.status(c.string());
            } else {
              b.status(c.longValue());
            }
          } else if (c.fieldIs("message") && !c.tryNull()) {
            String msg = c.string();
            b.statusMessage = msg.isEmpty() ? null : msg;
          } else {
            c.skipValue();
          }
        }
      } else {
        c.skipValue();
      }
    }
    return b;
  }

  private static SpanData.Event event(JsonCursor c) {
    String name = "";
    long time = 0;
    Map<String, Object> attrs = Map.of();
    c.beginObject();
    while (c.nextField()) {
      if (c.tryNull()) {
        continue;
      }
      if (c.fieldIs("name")) {
        name = c.string();
      } else if (c.fieldIs("timeUnixNano")) {
        time = c.longValue();
      } else if (c.fieldIs("attributes") && c.peek() == '[') {
        attrs = new HashMap<>();
        attributes(c, attrs);
      } else {
        c.skipValue();
      }
    }
    return new SpanData.Event(name, time, attrs);
  }

  private static SpanData.Link link(JsonCursor c) {
    String traceId = null;
    String spanId = null;
    Map<String, Object> attrs = Map.of();
    c.beginObject();
    while (c.nextField()) {
      if (c.tryNull()) {
        continue;
      }
      if (c.fieldIs("traceId")) {
        traceId = SpanBuilder.traceId(c.string());
      } else if (c.fieldIs("spanId")) {
        spanId = c.string();
      } else if (c.fieldIs("attributes") && c.peek() == '[') {
        attrs = new HashMap<>();
        attributes(c, attrs);
      } else {
        c.skipValue();
      }
    }
    String tid = TraceIds.normalize(traceId);
    String sid = SpanBuilder.spanId(spanId);
    return tid == null || sid == null ? null : new SpanData.Link(tid, sid, attrs);
  }

  /** Reads an attributes array ({@code [{"key":..,"value":{..}}]}) into {@code into}. */
  static void attributes(JsonCursor c, Map<String, Object> into) {
    c.beginArray();
    while (c.nextElement()) {
      String key = null;
      Object value = null;
      c.beginObject();
      while (c.nextField()) {
        if (c.fieldIs("key")) {
          key = c.string();
        } else if (c.fieldIs("value") && c.peek() == '{') {
          value = anyValue(c);
        } else {
          c.skipValue();
        }
      }
      if (key != null && value != null) {
        into.put(key, value);
      }
    }
  }

  /** Reads an AnyValue object; null for an empty one. */
  private static Object anyValue(JsonCursor c) {
    Object value = null;
    c.beginObject();
    while (c.nextField()) {
      if (c.tryNull()) {
        continue;
      }
      if (c.fieldIs("stringValue")) {
        value = c.string();
      } else if (c.fieldIs("intValue")) {
        value = c.longValue();
      } else if (c.fieldIs("boolValue")) {
        value = c.bool();
      } else if (c.fieldIs("doubleValue")) {
        value = jdkDouble(c);
      } else if (c.fieldIs("arrayValue") && c.peek() == '{') {
        List<Object> list = new ArrayList<>();
        c.beginObject();
        while (c.nextField()) {
          if (c.fieldIs("values") && c.peek() == '[') {
            c.beginArray();
            while (c.nextElement()) {
              if (c.peek() == '{') {
                Object v = anyValue(c);
                if (v != null) {
                  list.add(v);
                }
              } else {
                c.skipValue();
              }
            }
          } else {
            c.skipValue();
          }
        }
        value = Collections.unmodifiableList(list);
      } else if (c.fieldIs("kvlistValue") && c.peek() == '{') {
        Map<String, Object> map = new HashMap<>();
        c.beginObject();
        while (c.nextField()) {
          if (c.fieldIs("values") && c.peek() == '[') {
            attributes(c, map);
          } else {
            c.skipValue();
          }
        }
        value = Collections.unmodifiableMap(map);
      } else if (c.fieldIs("bytesValue")) {
        value = c.string();
      } else {
        c.skipValue();
      }
    }
    return value;
  }

  /** {@link JsonCursor#doubleValue} as it was: the JDK's parser for every number (to check the cursor's fast path). */
  private static double jdkDouble(JsonCursor c) {
    boolean quoted = c.peek() == '"';
    if (c.peek() == '{' || c.peek() == '[') {
      throw JsonCursor.MALFORMED;
    }
    String text = c.text();
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      if (quoted) {
        throw e;
      }
      throw JsonCursor.MALFORMED;
    }
  }
}
