package dev.taillight.collector.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.taillight.collector.SpanData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams an OTLP/JSON {@code ExportTraceServiceRequest} (resourceSpans / scopeSpans / spans) into {@link SpanData},
 * without building a tree. Accepts both the OTLP/JSON encoding (hex ids, kind and status code as integers,
 * 64-bit numbers as strings) and the proto3 JSON mapping's variants (enum names, numbers as numbers).
 */
final class OtlpJson {
  private OtlpJson() {}

  /** Reads the request object the parser is positioned on (its START_OBJECT) and adds its spans to {@code out}. */
  static void request(JsonParser p, String fallbackService, String group, String stream, List<SpanData> out)
      throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      if (f.equals("resourceSpans") && t == JsonToken.START_ARRAY) {
        while (p.nextToken() == JsonToken.START_OBJECT) {
          resourceSpans(p, fallbackService, group, stream, out);
        }
      } else {
        p.skipChildren();
      }
    }
  }

  private static void resourceSpans(JsonParser p, String fallbackService, String group, String stream,
      List<SpanData> out) throws IOException {
    Map<String, Object> resource = Map.of();
    List<SpanBuilder> spans = new ArrayList<>(4);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      if (f.equals("resource") && t == JsonToken.START_OBJECT) {
        resource = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String rf = p.currentName();
          JsonToken rt = p.nextToken();
          if (rf.equals("attributes") && rt == JsonToken.START_ARRAY) {
            attributes(p, resource);
          } else {
            p.skipChildren();
          }
        }
      } else if ((f.equals("scopeSpans") || f.equals("instrumentationLibrarySpans")) && t == JsonToken.START_ARRAY) {
        while (p.nextToken() == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String sf = p.currentName();
            JsonToken st = p.nextToken();
            if (sf.equals("spans") && st == JsonToken.START_ARRAY) {
              while (p.nextToken() == JsonToken.START_OBJECT) {
                spans.add(span(p));
              }
            } else {
              p.skipChildren();
            }
          }
        }
      } else {
        p.skipChildren();
      }
    }
    for (SpanBuilder b : spans) {
      SpanData s = b.build(resource, fallbackService, group, stream);
      if (s != null) {
        out.add(s);
      }
    }
  }

  private static SpanBuilder span(JsonParser p) throws IOException {
    SpanBuilder b = new SpanBuilder();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      switch (f) {
        case "traceId" -> b.traceId = SpanBuilder.traceId(p.getValueAsString());
        case "spanId" -> b.spanId = p.getValueAsString();
        case "parentSpanId" -> b.parentSpanId = p.getValueAsString();
        case "name" -> b.name = t == JsonToken.VALUE_STRING ? p.getText() : "";
        case "kind" -> {
          if (t == JsonToken.VALUE_NUMBER_INT) {
            b.kind(p.getLongValue());
          } else {
            b.kind(p.getValueAsString());
          }
        }
        case "startTimeUnixNano" -> b.start = longValue(p, t);
        case "endTimeUnixNano" -> b.end = longValue(p, t);
        case "attributes" -> {
          if (t == JsonToken.START_ARRAY) {
            attributes(p, b.attributes);
          } else {
            p.skipChildren();
          }
        }
        case "events" -> {
          if (t == JsonToken.START_ARRAY) {
            while (p.nextToken() == JsonToken.START_OBJECT) {
              b.events.add(event(p));
            }
          } else {
            p.skipChildren();
          }
        }
        case "links" -> {
          if (t == JsonToken.START_ARRAY) {
            while (p.nextToken() == JsonToken.START_OBJECT) {
              SpanData.Link l = link(p);
              if (l != null) {
                b.links.add(l);
              }
            }
          } else {
            p.skipChildren();
          }
        }
        case "status" -> {
          if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String sf = p.currentName();
              JsonToken st = p.nextToken();
              if (sf.equals("code")) {
                if (st == JsonToken.VALUE_NUMBER_INT) {
                  b.status(p.getLongValue());
                } else {
                  b.status(p.getValueAsString());
                }
              } else if (sf.equals("message")) {
                String msg = p.getValueAsString();
                b.statusMessage = msg == null || msg.isEmpty() ? null : msg;
              } else {
                p.skipChildren();
              }
            }
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    return b;
  }

  private static SpanData.Event event(JsonParser p) throws IOException {
    String name = "";
    long time = 0;
    Map<String, Object> attrs = Map.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      switch (f) {
        case "name" -> name = String.valueOf(p.getValueAsString());
        case "timeUnixNano" -> time = longValue(p, t);
        case "attributes" -> {
          if (t == JsonToken.START_ARRAY) {
            attrs = new HashMap<>();
            attributes(p, attrs);
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    return new SpanData.Event(name, time, attrs);
  }

  private static SpanData.Link link(JsonParser p) throws IOException {
    String traceId = null;
    String spanId = null;
    Map<String, Object> attrs = Map.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      switch (f) {
        case "traceId" -> traceId = SpanBuilder.traceId(p.getValueAsString());
        case "spanId" -> spanId = p.getValueAsString();
        case "attributes" -> {
          if (t == JsonToken.START_ARRAY) {
            attrs = new HashMap<>();
            attributes(p, attrs);
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    String tid = dev.taillight.collector.TraceIds.normalize(traceId);
    String sid = SpanBuilder.spanId(spanId);
    return tid == null || sid == null ? null : new SpanData.Link(tid, sid, attrs);
  }

  /** Reads an attributes array ({@code [{"key":..,"value":{..}}]}) into {@code into}. */
  static void attributes(JsonParser p, Map<String, Object> into) throws IOException {
    while (p.nextToken() == JsonToken.START_OBJECT) {
      String key = null;
      Object value = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken t = p.nextToken();
        if (f.equals("key")) {
          key = p.getValueAsString();
        } else if (f.equals("value") && t == JsonToken.START_OBJECT) {
          value = anyValue(p);
        } else {
          p.skipChildren();
        }
      }
      if (key != null && value != null) {
        into.put(key, value);
      }
    }
  }

  /** Reads an AnyValue object; the parser is on its START_OBJECT. Returns null for an empty value. */
  private static Object anyValue(JsonParser p) throws IOException {
    Object value = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      switch (f) {
        case "stringValue" -> value = p.getValueAsString();
        case "intValue" -> value = longValue(p, t);
        case "doubleValue" -> value = t == JsonToken.VALUE_STRING ? Double.valueOf(p.getText()) : p.getDoubleValue();
        case "boolValue" -> value = t == JsonToken.VALUE_STRING ? Boolean.valueOf(p.getText()) : p.getBooleanValue();
        case "bytesValue" -> value = p.getValueAsString();
        case "arrayValue" -> {
          List<Object> list = new ArrayList<>();
          if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              JsonToken at = p.nextToken();
              if (p.currentName().equals("values") && at == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                  Object v = anyValue(p);
                  if (v != null) {
                    list.add(v);
                  }
                }
              } else {
                p.skipChildren();
              }
            }
          }
          value = Collections.unmodifiableList(list);
        }
        case "kvlistValue" -> {
          Map<String, Object> map = new HashMap<>();
          if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              JsonToken at = p.nextToken();
              if (p.currentName().equals("values") && at == JsonToken.START_ARRAY) {
                attributes(p, map);
              } else {
                p.skipChildren();
              }
            }
          }
          value = Collections.unmodifiableMap(map);
        }
        default -> p.skipChildren();
      }
    }
    return value;
  }

  private static long longValue(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (t == JsonToken.VALUE_STRING) {
      String s = p.getText();
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        return Long.parseUnsignedLong(s);
      }
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      return (long) p.getDoubleValue();
    }
    p.skipChildren();
    return 0L;
  }
}
