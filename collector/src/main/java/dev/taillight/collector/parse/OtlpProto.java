package dev.taillight.collector.parse;

import dev.taillight.collector.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small protobuf wire-format reader for the trace subset of OTLP: {@code ExportTraceServiceRequest} →
 * {@code ResourceSpans} → {@code ScopeSpans} → {@code Span} (with attributes, events, links, status). Field
 * numbers follow opentelemetry-proto ({@code opentelemetry/proto/trace/v1/trace.proto},
 * {@code common/v1/common.proto}); unknown fields are skipped by wire type, as protobuf requires.
 *
 * <p>Throws {@link IllegalArgumentException} on truncated or invalid input; the caller keeps the line as text.
 */
final class OtlpProto {
  private final byte[] b;
  private int pos;

  private OtlpProto(byte[] b) {
    this.b = b;
  }

  static void request(byte[] data, String fallbackService, String group, String stream, List<SpanData> out) {
    OtlpProto r = new OtlpProto(data);
    int end = data.length;
    while (r.pos < end) {
      int tag = r.tag();
      if (tag >>> 3 == 1 && (tag & 7) == 2) {
        int e = r.lengthEnd();
        r.resourceSpans(e, fallbackService, group, stream, out);
        r.pos = e;
      } else {
        r.skip(tag);
      }
    }
  }

  private void resourceSpans(int end, String fallbackService, String group, String stream, List<SpanData> out) {
    Map<String, Object> resource = Map.of();
    List<SpanBuilder> spans = new ArrayList<>(4);
    while (pos < end) {
      int tag = tag();
      int field = tag >>> 3;
      if (field == 1 && (tag & 7) == 2) { // Resource resource = 1
        int e = lengthEnd();
        resource = new HashMap<>();
        while (pos < e) {
          int t = tag();
          if (t >>> 3 == 1 && (t & 7) == 2) { // repeated KeyValue attributes = 1
            keyValue(lengthEnd(), resource);
          } else {
            skip(t);
          }
        }
        pos = e;
      } else if (field == 2 && (tag & 7) == 2) { // repeated ScopeSpans scope_spans = 2
        int e = lengthEnd();
        while (pos < e) {
          int t = tag();
          if (t >>> 3 == 2 && (t & 7) == 2) { // repeated Span spans = 2
            int se = lengthEnd();
            spans.add(span(se));
            pos = se;
          } else {
            skip(t);
          }
        }
        pos = e;
      } else {
        skip(tag);
      }
    }
    for (SpanBuilder sb : spans) {
      SpanData s = sb.build(resource, fallbackService, group, stream);
      if (s != null) {
        out.add(s);
      }
    }
  }

  private SpanBuilder span(int end) {
    SpanBuilder s = new SpanBuilder();
    while (pos < end) {
      int tag = tag();
      switch (tag >>> 3) {
        case 1 -> s.traceId = hexField(tag);
        case 2 -> s.spanId = hexField(tag);
        case 4 -> s.parentSpanId = hexField(tag);
        case 5 -> s.name = stringField(tag);
        case 6 -> s.kind(varintField(tag));
        case 7 -> s.start = fixed64Field(tag);
        case 8 -> s.end = fixed64Field(tag);
        case 9 -> {
          expect(tag, 2);
          keyValue(lengthEnd(), s.attributes);
        }
        case 11 -> {
          expect(tag, 2);
          s.events.add(event(lengthEnd()));
        }
        case 13 -> {
          expect(tag, 2);
          SpanData.Link l = link(lengthEnd());
          if (l != null) {
            s.links.add(l);
          }
        }
        case 15 -> {
          expect(tag, 2);
          int e = lengthEnd();
          while (pos < e) {
            int t = tag();
            if (t >>> 3 == 2) {
              String m = stringField(t);
              s.statusMessage = m.isEmpty() ? null : m;
            } else if (t >>> 3 == 3) {
              s.status(varintField(t));
            } else {
              skip(t);
            }
          }
          pos = e;
        }
        default -> skip(tag);
      }
    }
    return s;
  }

  private SpanData.Event event(int end) {
    long time = 0;
    String name = "";
    Map<String, Object> attrs = Map.of();
    while (pos < end) {
      int tag = tag();
      switch (tag >>> 3) {
        case 1 -> time = fixed64Field(tag);
        case 2 -> name = stringField(tag);
        case 3 -> {
          expect(tag, 2);
          if (attrs.isEmpty()) {
            attrs = new HashMap<>();
          }
          keyValue(lengthEnd(), attrs);
        }
        default -> skip(tag);
      }
    }
    pos = end;
    return new SpanData.Event(name, time, attrs);
  }

  private SpanData.Link link(int end) {
    String traceId = null;
    String spanId = null;
    Map<String, Object> attrs = Map.of();
    while (pos < end) {
      int tag = tag();
      switch (tag >>> 3) {
        case 1 -> traceId = hexField(tag);
        case 2 -> spanId = hexField(tag);
        case 4 -> {
          expect(tag, 2);
          if (attrs.isEmpty()) {
            attrs = new HashMap<>();
          }
          keyValue(lengthEnd(), attrs);
        }
        default -> skip(tag);
      }
    }
    pos = end;
    String t = dev.taillight.collector.TraceIds.normalize(traceId);
    String s = SpanBuilder.spanId(spanId);
    return t == null || s == null ? null : new SpanData.Link(t, s, attrs);
  }

  /** One KeyValue message ending at {@code end}, put into {@code into}. */
  private void keyValue(int end, Map<String, Object> into) {
    String key = null;
    Object value = null;
    while (pos < end) {
      int tag = tag();
      if (tag >>> 3 == 1) {
        key = stringField(tag);
      } else if (tag >>> 3 == 2) {
        expect(tag, 2);
        value = anyValue(lengthEnd());
      } else {
        skip(tag);
      }
    }
    pos = end;
    if (key != null && value != null) {
      into.put(key, value);
    }
  }

  private Object anyValue(int end) {
    Object value = null;
    while (pos < end) {
      int tag = tag();
      switch (tag >>> 3) {
        case 1 -> value = stringField(tag);
        case 2 -> value = varintField(tag) != 0;
        case 3 -> value = varintField(tag);
        case 4 -> value = Double.longBitsToDouble(fixed64Field(tag));
        case 5 -> {
          expect(tag, 2);
          int e = lengthEnd();
          List<Object> list = new ArrayList<>();
          while (pos < e) {
            int t = tag();
            if (t >>> 3 == 1) {
              expect(t, 2);
              Object v = anyValue(lengthEnd());
              if (v != null) {
                list.add(v);
              }
            } else {
              skip(t);
            }
          }
          pos = e;
          value = Collections.unmodifiableList(list);
        }
        case 6 -> {
          expect(tag, 2);
          int e = lengthEnd();
          Map<String, Object> map = new HashMap<>();
          while (pos < e) {
            int t = tag();
            if (t >>> 3 == 1) {
              expect(t, 2);
              keyValue(lengthEnd(), map);
            } else {
              skip(t);
            }
          }
          pos = e;
          value = Collections.unmodifiableMap(map);
        }
        case 7 -> {
          expect(tag, 2);
          int e = lengthEnd();
          value = java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(b, pos, e));
          pos = e;
        }
        default -> skip(tag);
      }
    }
    pos = end;
    return value;
  }

  // ---- wire primitives

  private int tag() {
    long t = varint();
    if (t <= 0 || t > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("bad protobuf tag at " + pos);
    }
    return (int) t;
  }

  private long varint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= b.length) {
        throw new IllegalArgumentException("truncated varint");
      }
      byte x = b[pos++];
      result |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return result;
      }
    }
    throw new IllegalArgumentException("varint too long");
  }

  private int lengthEnd() {
    long len = varint();
    if (len < 0 || len > b.length - pos) {
      throw new IllegalArgumentException("length " + len + " past the end at " + pos);
    }
    return pos + (int) len;
  }

  private void expect(int tag, int wireType) {
    if ((tag & 7) != wireType) {
      throw new IllegalArgumentException("field " + (tag >>> 3) + " has wire type " + (tag & 7));
    }
  }

  private long varintField(int tag) {
    expect(tag, 0);
    return varint();
  }

  private long fixed64Field(int tag) {
    expect(tag, 1);
    if (pos + 8 > b.length) {
      throw new IllegalArgumentException("truncated fixed64");
    }
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[pos + i] & 0xff);
    }
    pos += 8;
    return v;
  }

  private String stringField(int tag) {
    expect(tag, 2);
    int e = lengthEnd();
    String s = new String(b, pos, e - pos, StandardCharsets.UTF_8);
    pos = e;
    return s;
  }

  private String hexField(int tag) {
    expect(tag, 2);
    int e = lengthEnd();
    String s = e == pos ? null : SpanBuilder.hex(b, pos, e - pos);
    pos = e;
    return s;
  }

  private void skip(int tag) {
    switch (tag & 7) {
      case 0 -> varint();
      case 1 -> {
        if (pos + 8 > b.length) {
          throw new IllegalArgumentException("truncated fixed64");
        }
        pos += 8;
      }
      case 2 -> pos = lengthEnd();
      case 5 -> {
        if (pos + 4 > b.length) {
          throw new IllegalArgumentException("truncated fixed32");
        }
        pos += 4;
      }
      default -> throw new IllegalArgumentException("unsupported wire type " + (tag & 7));
    }
  }
}
