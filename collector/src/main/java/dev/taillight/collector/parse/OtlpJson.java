package dev.taillight.collector.parse;

import dev.taillight.collector.SpanData;
import dev.taillight.collector.TraceIds;
import dev.taillight.collector.internal.LazyAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an OTLP/JSON {@code ExportTraceServiceRequest} (resourceSpans / scopeSpans / spans) into {@link SpanData}
 * with a {@link JsonCursor}. Accepts both the OTLP/JSON encoding (hex ids, kind and status code as integers,
 * 64-bit numbers as strings) and the proto3 JSON mapping's variants (enum names, numbers as numbers, base64 ids).
 *
 * <h2>One pass, attributes kept as slices</h2>
 *
 * A span line is mostly attributes. They are read in the same single pass as the rest, but nothing is made of them
 * yet: each becomes an entry of a {@link LazyAttributes} that points at its key and string value in the line
 * (numbers and booleans are read at once, unboxed, so a bad number still fails the line here). The resource's
 * attributes are read once and shared by every span of the resource (as the map's parent), instead of being copied
 * into each span's map. Strings with escapes and the rare list/map values are decoded at once.
 *
 * <p>Errors as before: malformed JSON throws {@link JsonCursor.Malformed}; a number that does not parse throws
 * {@link NumberFormatException} (the caller tells the two apart). Not thread-safe: one instance per request.
 */
final class OtlpJson {
  /** What each thread's reads reuse: attribute builders (a builder copies what it built). */
  private static final ThreadLocal<Reused> REUSED = ThreadLocal.withInitial(Reused::new);

  private static final class Reused {
    final LazyAttributes.Builder resource = new LazyAttributes.Builder();
    final LazyAttributes.Builder span = new LazyAttributes.Builder();
    final LazyAttributes.Builder inner = new LazyAttributes.Builder();
  }

  private final JsonCursor c;
  private final String s;
  /** The line's characters as bytes at the same positions ({@link LineBytes}). */
  private final byte[] b;
  private final LazyAttributes.Builder resourceAttrs;
  private final LazyAttributes.Builder spanAttrs;
  private final LazyAttributes.Builder innerAttrs;
  private String lastTraceId;
  /** Whether the bytes lastTraceId was read from are a plain lower-case hex id (it needs no normalising). */
  private boolean lastTraceIdPlain;
  /** The attributes of the resource read so far in the current resourceSpans element, or null. */
  private LazyAttributes currentResource;
  // the last trace id normalised, and the result
  private String normalFrom;
  private String normalTo;
  // the key and value of the attribute being read
  private int keyStart;
  private int keyEnd;
  private String keyString;
  private int kind;
  private long prim;
  private int valueStart;
  private Object object;

  private static final int NONE = 0;
  private static final int STRING = 1;
  private static final int LONG = 2;
  private static final int DOUBLE = 3;
  private static final int BOOL = 4;
  private static final int OBJECT = 5;

  private OtlpJson(JsonCursor c) {
    this.c = c;
    this.s = c.source();
    this.b = LineBytes.of(s);
    Reused r = REUSED.get();
    this.resourceAttrs = r.resource;
    this.spanAttrs = r.span;
    this.innerAttrs = r.inner;
  }

  /** Reads the request object at the cursor and adds its spans to {@code out}. */
  static void request(JsonCursor c, String fallbackService, String group, String stream, List<SpanData> out) {
    new OtlpJson(c).request(fallbackService, group, stream, out);
  }

  private void request(String fallbackService, String group, String stream, List<SpanData> out) {
    c.beginObject();
    while (c.nextField()) {
      if (c.fieldIs("resourceSpans") && c.peek() == '[') {
        c.beginArray();
        while (c.nextElement()) {
          resourceSpans(fallbackService, group, stream, out);
        }
      } else {
        c.skipValue();
      }
    }
  }

  /** A span read but not built yet (its resource may still follow). */
  private static final class Pending {
    String traceId;
    String spanId;
    String parentSpanId;
    String name = "";
    String kind = "INTERNAL";
    long start;
    long end;
    String statusCode = "UNSET";
    String statusMessage;
    // the ids as read were seen to need no normalising (lower-case hex of the right length, not zero)
    boolean traceIdPlain;
    boolean spanIdPlain;
    boolean parentPlain;
    LazyAttributes own; // the span's own attributes over ownParent (the resource read before the span, or null)
    LazyAttributes ownParent;
    boolean noOwn; // the span has no attributes of its own (own is then ownParent or empty)
    List<SpanData.Event> events = List.of();
    List<SpanData.Link> links = List.of();
  }

  private void resourceSpans(String fallbackService, String group, String stream, List<SpanData> out) {
    LazyAttributes resource = null;
    currentResource = null;
    List<Pending> spans = new ArrayList<>(4);
    c.beginObject();
    while (c.nextField()) {
      if (c.fieldIs("resource") && c.peek() == '{') {
        resourceAttrs.reset(s, b);
        c.beginObject();
        while (c.nextField()) {
          if (c.fieldIs("attributes") && c.peek() == '[') {
            attributes(resourceAttrs);
          } else {
            c.skipValue();
          }
        }
        resource = resourceAttrs.build(null);
        currentResource = resource;
      } else if ((c.fieldIs("scopeSpans") || c.fieldIs("instrumentationLibrarySpans")) && c.peek() == '[') {
        c.beginArray();
        while (c.nextElement()) {
          c.beginObject();
          while (c.nextField()) {
            if (c.fieldIs("spans") && c.peek() == '[') {
              c.beginArray();
              while (c.nextElement()) {
                spans.add(span());
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
    for (Pending p : spans) {
      SpanData span = build(p, resource, fallbackService, group, stream);
      if (span != null) {
        out.add(span);
      }
    }
  }

  private SpanData build(Pending p, LazyAttributes resource, String fallbackService, String group,
      String stream) {
    String t = p.traceIdPlain ? p.traceId : normalTraceId(p.traceId);
    String sid = p.spanIdPlain ? p.spanId : SpanBuilder.spanId(p.spanId);
    if (t == null || sid == null) {
      return null;
    }
    // span attributes win over resource attributes (the last "resource" of the object counts: the one the span's
    // map was built over, unless another came after the span)
    LazyAttributes attrs = p.ownParent == resource ? p.own
        : p.noOwn ? (resource == null ? LazyAttributes.empty() : resource) : p.own.withParent(resource);
    Object service = attrs.get("service.name");
    String parent = p.parentPlain ? p.parentSpanId : SpanBuilder.spanId(p.parentSpanId);
    return new SpanData(t, sid, parent, p.name, p.kind, p.start, p.end, p.statusCode, p.statusMessage,
        service != null ? service.toString() : fallbackService, attrs, p.events, p.links, group, stream);
  }

  private Pending span() {
    Pending b = new Pending();
    spanAttrs.reset(s, this.b);
    c.beginObject();
    compactSpanFields(b);
    while (c.nextField()) {
      if (c.tryNull()) {
        continue;
      }
      if (c.fieldIs("traceId")) {
        b.traceId = traceId();
        b.traceIdPlain = false;
      } else if (c.fieldIs("spanId")) {
        b.spanId = c.string();
        b.spanIdPlain = false;
      } else if (c.fieldIs("parentSpanId")) {
        b.parentSpanId = c.string();
        b.parentPlain = false;
      } else if (c.fieldIs("name")) {
        b.name = c.string();
      } else if (c.fieldIs("kind")) {
        b.kind = c.peek() == '"' ? SpanBuilder.kindName(c.string()) : SpanBuilder.kindName(c.longValue());
      } else if (c.fieldIs("startTimeUnixNano")) {
        b.start = c.longValue();
      } else if (c.fieldIs("endTimeUnixNano")) {
        b.end = c.longValue();
      } else if (c.fieldIs("attributes") && c.peek() == '[') {
        attributes(spanAttrs);
      } else if (c.fieldIs("events") && c.peek() == '[') {
        List<SpanData.Event> events = b.events.isEmpty() ? new ArrayList<>(2) : b.events;
        c.beginArray();
        while (c.nextElement()) {
          events.add(event());
        }
        b.events = events;
      } else if (c.fieldIs("links") && c.peek() == '[') {
        List<SpanData.Link> links = b.links.isEmpty() ? new ArrayList<>(1) : b.links;
        c.beginArray();
        while (c.nextElement()) {
          SpanData.Link l = link();
          if (l != null) {
            links.add(l);
          }
        }
        b.links = links;
      } else if (c.fieldIs("status") && c.peek() == '{') {
        c.beginObject();
        while (c.nextField()) {
          if (c.fieldIs("code") && !c.tryNull()) {
            b.statusCode = c.peek() == '"' ? SpanBuilder.statusName(c.string())
                : SpanBuilder.statusName(c.longValue());
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
    b.noOwn = spanAttrs.isEmpty();
    b.ownParent = currentResource;
    b.own = spanAttrs.build(currentResource);
    return b;
  }

  /**
   * {@link TraceIds#normalize} of a span's trace id, done once per line: the spans of a line share one trace id
   * String ({@link #traceId()}), so the last result serves the next span.
   */
  private String normalTraceId(String raw) {
    if (raw != null && raw == normalFrom) {
      return normalTo;
    }
    String t = TraceIds.normalize(raw);
    normalFrom = raw;
    normalTo = t;
    return t;
  }

  /** A trace id string; the previous span's String again when it is the same (the usual case in one line). */
  private String traceId() {
    if (c.rawString()) {
      return traceId(c.valueStart(), c.valueEnd());
    }
    return SpanBuilder.traceId(c.string());
  }

  /** The trace id that is the plain string {@code s[vs, ve)}, as {@link #traceId()}. */
  private String traceId(int vs, int ve) {
    String last = lastTraceId;
    int len = ve - vs;
    if (last != null && last.length() == len && s.startsWith(last, vs)) {
      return last;
    }
    lastTraceId = SpanBuilder.traceId(s.substring(vs, ve));
    lastTraceIdPlain = len == 32 && LineBytes.plainHexId(b, vs, 32);
    return lastTraceId;
  }

  private static final String TRACE_ID_KEY = "\"traceId\":\"";
  private static final long TRACE_ID_KEY_0 = LineBytes.word(TRACE_ID_KEY, 0);
  private static final long TRACE_ID_KEY_1 = LineBytes.word(TRACE_ID_KEY, TRACE_ID_KEY.length() - 8);
  private static final String SPAN_ID_KEY = "\"spanId\":\"";
  private static final long SPAN_ID_KEY_0 = LineBytes.word(SPAN_ID_KEY, 0);
  private static final long SPAN_ID_KEY_1 = LineBytes.word(SPAN_ID_KEY, SPAN_ID_KEY.length() - 8);
  private static final String PARENT_KEY = "\"parentSpanId\":\"";
  private static final long PARENT_KEY_0 = LineBytes.word(PARENT_KEY, 0);
  private static final long PARENT_KEY_1 = LineBytes.word(PARENT_KEY, PARENT_KEY.length() - 8);
  private static final long NAME_KEY = LineBytes.word("\"name\":\"", 0);
  private static final long KIND_KEY = LineBytes.word("\"kind\":_", 0) & 0x00ffffffffffffffL;
  private static final String START_KEY = "\"startTimeUnixNano\":\"";
  private static final long START_KEY_0 = LineBytes.word(START_KEY, 0);
  private static final long START_KEY_1 = LineBytes.word(START_KEY, 8);
  private static final long START_KEY_2 = LineBytes.word(START_KEY, START_KEY.length() - 8);
  private static final String END_KEY = "\"endTimeUnixNano\":\"";
  private static final long END_KEY_0 = LineBytes.word(END_KEY, 0);
  private static final long END_KEY_1 = LineBytes.word(END_KEY, 8);
  private static final long END_KEY_2 = LineBytes.word(END_KEY, END_KEY.length() - 8);
  private static final String ATTRIBUTES_KEY = "\"attributes\":[";
  private static final long ATTRIBUTES_KEY_0 = LineBytes.word(ATTRIBUTES_KEY, 0);
  private static final long ATTRIBUTES_KEY_1 = LineBytes.word(ATTRIBUTES_KEY, ATTRIBUTES_KEY.length() - 8);

  /**
   * Reads the fields of the span just opened that are written the way OTLP exporters write them (compact, in any
   * order: {@code "traceId":"..","spanId":"..","parentSpanId":"..","name":"..","kind":2,"startTimeUnixNano":"..",
   * "endTimeUnixNano":"..","attributes":[..]}, plain strings, a one-digit kind, quoted nanoseconds) straight off the
   * line's bytes, and leaves the cursor after the last of them; {@link #span()} reads the rest (events, status, any
   * field written another way) with the cursor, exactly as if it had read these.
   */
  private void compactSpanFields(Pending p) {
    byte[] b = this.b;
    int end = c.limit();
    int read = -1; // the position after the last field read here
    int i = c.position();
    fields:
    while (true) {
      int k = i;
      if (read >= 0) {
        if (k >= end || b[k] != ',') {
          break;
        }
        k++;
      }
      if (k > end - 8 || b[k] != '"') {
        break;
      }
      switch (b[k + 1]) {
        case 't' -> {
          if (!LineBytes.at(b, k, end, 11, TRACE_ID_KEY_0, TRACE_ID_KEY_1)) {
            break fields;
          }
          int ve = LineBytes.plainStringEnd(b, k + 11, end);
          if (ve < 0 || ve >= end) {
            break fields;
          }
          p.traceId = traceId(k + 11, ve);
          p.traceIdPlain = lastTraceIdPlain;
          i = ve + 1;
        }
        case 's' -> {
          int vs;
          boolean start = false;
          if (LineBytes.at(b, k, end, 10, SPAN_ID_KEY_0, SPAN_ID_KEY_1)) {
            vs = k + 10;
          } else if (LineBytes.at(b, k, end, 21, START_KEY_0, START_KEY_1, START_KEY_2)) {
            vs = k + 21;
            start = true;
          } else {
            break fields;
          }
          if (start) {
            int q = nanosEnd(b, vs, end);
            if (q < 0) {
              break fields;
            }
            p.start = prim;
            i = q;
          } else {
            int ve = LineBytes.plainStringEnd(b, vs, end);
            if (ve < 0 || ve >= end) {
              break fields;
            }
            p.spanId = s.substring(vs, ve);
            p.spanIdPlain = ve - vs == 16 && LineBytes.plainHexId(b, vs, 16);
            i = ve + 1;
          }
        }
        case 'e' -> {
          if (!LineBytes.at(b, k, end, 19, END_KEY_0, END_KEY_1, END_KEY_2)) {
            break fields;
          }
          int q = nanosEnd(b, k + 19, end);
          if (q < 0) {
            break fields;
          }
          p.end = prim;
          i = q;
        }
        case 'p' -> {
          if (!LineBytes.at(b, k, end, 16, PARENT_KEY_0, PARENT_KEY_1)) {
            break fields;
          }
          int ve = LineBytes.plainStringEnd(b, k + 16, end);
          if (ve < 0 || ve >= end) {
            break fields;
          }
          p.parentSpanId = s.substring(k + 16, ve);
          p.parentPlain = ve - k - 16 == 16 && LineBytes.plainHexId(b, k + 16, 16);
          i = ve + 1;
        }
        case 'n' -> {
          if (LineBytes.word(b, k) != NAME_KEY) {
            break fields;
          }
          int ve = LineBytes.plainStringEnd(b, k + 8, end);
          if (ve < 0 || ve >= end) {
            break fields;
          }
          p.name = s.substring(k + 8, ve);
          i = ve + 1;
        }
        case 'k' -> {
          // one digit, then the end of the value
          if ((LineBytes.word(b, k) & 0x00ffffffffffffffL) != KIND_KEY || k + 8 >= end) {
            break fields;
          }
          int d = b[k + 7] - '0';
          byte after = b[k + 8];
          if (d < 0 || d > 9 || (after != ',' && after != '}')) {
            break fields;
          }
          p.kind = SpanBuilder.kindName(d);
          i = k + 8;
        }
        case 'a' -> {
          if (!LineBytes.at(b, k, end, 14, ATTRIBUTES_KEY_0, ATTRIBUTES_KEY_1)) {
            break fields;
          }
          c.seek(k + 13);
          attributes(spanAttrs);
          i = c.position();
        }
        default -> {
          break fields;
        }
      }
      read = i;
    }
    if (read >= 0) {
      c.memberRead(read);
    }
  }

  /**
   * Reads the digits of a quoted number of nanoseconds from {@code from} (after its opening quote) into
   * {@link #prim} as {@link JsonCursor#longValue} reads them in place, and returns the position after the closing
   * quote; -1 when it is written in a way only the cursor reads (more digits than a long holds, not digits...).
   */
  private int nanosEnd(byte[] b, int from, int end) {
    int q = from;
    long v = 0;
    int digits = 0;
    if (from <= end - 16) {
      // today's times have 19 digits: the first sixteen eight at a time
      long w0 = LineBytes.word(b, from);
      long w1 = LineBytes.word(b, from + 8);
      if (LineBytes.allDigits(w0) && LineBytes.allDigits(w1)) {
        v = LineBytes.eightDigits(w0) * 100_000_000L + LineBytes.eightDigits(w1);
        digits = 16;
        q = from + 16;
      }
    }
    while (q < end && digits < 19) {
      int d = b[q] - '0';
      if (d < 0 || d > 9 || (digits == 18 && (v > Long.MAX_VALUE / 10 || (v == Long.MAX_VALUE / 10 && d > 7)))) {
        break;
      }
      v = v * 10 + d;
      digits++;
      q++;
    }
    if (digits == 0 || q >= end || b[q] != '"') {
      return -1;
    }
    prim = v;
    return q + 1;
  }

  private LazyAttributes.Builder inner() {
    return innerAttrs.reset(s, b);
  }

  private SpanData.Event event() {
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
        LazyAttributes.Builder b = inner();
        attributes(b);
        attrs = b.build(null);
      } else {
        c.skipValue();
      }
    }
    return new SpanData.Event(name, time, attrs);
  }

  private SpanData.Link link() {
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
        LazyAttributes.Builder b = inner();
        attributes(b);
        attrs = b.build(null);
      } else {
        c.skipValue();
      }
    }
    String tid = TraceIds.normalize(traceId);
    String sid = SpanBuilder.spanId(spanId);
    return tid == null || sid == null ? null : new SpanData.Link(tid, sid, attrs);
  }

  /**
   * Reads an attributes array ({@code [{"key":..,"value":{..}}]}) into {@code into}. The commas and brackets are
   * stepped over here and each element is read by {@link #compactAttribute} when it is written the usual way, by
   * the cursor ({@link #attribute}) otherwise; either way with the cursor's rules (a missing comma, a trailing
   * comma or a missing bracket is malformed).
   */
  private void attributes(LazyAttributes.Builder into) {
    c.beginArray();
    byte[] b = this.b;
    int end = c.limit();
    int p = c.position();
    boolean first = true;
    while (true) {
      p = LineBytes.skipWs(b, p, end);
      if (p >= end) {
        throw JsonCursor.MALFORMED;
      }
      if (b[p] == ']') {
        c.seek(p);
        c.nextElement(); // consumes the bracket and closes the array
        return;
      }
      if (!first) {
        if (b[p] != ',') {
          throw JsonCursor.MALFORMED;
        }
        p = LineBytes.skipWs(b, p + 1, end);
      }
      first = false;
      int next = p < end && b[p] == '{' ? compactAttribute(p, into) : -1;
      if (next >= 0) {
        p = next;
      } else {
        c.seek(p);
        attribute(into);
        p = c.position();
      }
    }
  }

  private static final long KEY_OPEN = LineBytes.word("{\"key\":\"", 0);
  private static final String VALUE_OPEN = "\",\"value\":{\"";
  private static final long VALUE_OPEN_0 = LineBytes.word(VALUE_OPEN, 0);
  private static final long VALUE_OPEN_1 = LineBytes.word(VALUE_OPEN, VALUE_OPEN.length() - 8);
  private static final String STRING_VALUE = "stringValue\":\"";
  private static final long STRING_VALUE_0 = LineBytes.word(STRING_VALUE, 0);
  private static final long STRING_VALUE_1 = LineBytes.word(STRING_VALUE, STRING_VALUE.length() - 8);
  private static final String INT_VALUE = "intValue\":\"";
  private static final long INT_VALUE_0 = LineBytes.word(INT_VALUE, 0);
  private static final long INT_VALUE_1 = LineBytes.word(INT_VALUE, INT_VALUE.length() - 8);
  private static final String DOUBLE_VALUE = "doubleValue\":";
  private static final long DOUBLE_VALUE_0 = LineBytes.word(DOUBLE_VALUE, 0);
  private static final long DOUBLE_VALUE_1 = LineBytes.word(DOUBLE_VALUE, DOUBLE_VALUE.length() - 8);
  private static final String TRUE_VALUE = "boolValue\":true}}";
  private static final long TRUE_VALUE_0 = LineBytes.word(TRUE_VALUE, 0);
  private static final long TRUE_VALUE_1 = LineBytes.word(TRUE_VALUE, 8);
  private static final long TRUE_VALUE_2 = LineBytes.word(TRUE_VALUE, TRUE_VALUE.length() - 8);
  private static final String FALSE_VALUE = "boolValue\":false}}";
  private static final long FALSE_VALUE_0 = LineBytes.word(FALSE_VALUE, 0);
  private static final long FALSE_VALUE_1 = LineBytes.word(FALSE_VALUE, 8);
  private static final long FALSE_VALUE_2 = LineBytes.word(FALSE_VALUE, FALSE_VALUE.length() - 8);
  private static final String ARRAY_VALUE = "arrayValue\":{\"values\":[";
  private static final long ARRAY_VALUE_0 = LineBytes.word(ARRAY_VALUE, 0);
  private static final long ARRAY_VALUE_1 = LineBytes.word(ARRAY_VALUE, 8);
  private static final long ARRAY_VALUE_2 = LineBytes.word(ARRAY_VALUE, ARRAY_VALUE.length() - 8);
  private static final String STRING_ELEMENT = "{\"stringValue\":\"";
  private static final long STRING_ELEMENT_0 = LineBytes.word(STRING_ELEMENT, 0);
  private static final long STRING_ELEMENT_1 = LineBytes.word(STRING_ELEMENT, STRING_ELEMENT.length() - 8);

  /** Whether {@code b[i, i+3)} is {@code "}}} and lies before {@code end}. */
  private static boolean closesString(byte[] b, int i, int end) {
    return i >= 0 && i + 3 <= end && b[i] == '"' && b[i + 1] == '}' && b[i + 2] == '}';
  }

  /**
   * Reads one attribute written the way OTLP exporters write it ({@code {"key":"k","value":{"stringValue":"v"}}},
   * compact, one scalar value, no escapes) straight off the line's bytes, eight at a time, without the cursor's
   * per-token steps. Returns the position after it, or -1 (nothing added) when it is written any other way;
   * {@link #attribute} then reads it, with the same result.
   */
  private int compactAttribute(int p, LazyAttributes.Builder into) {
    byte[] b = this.b;
    int end = c.limit();
    if (p > end - 8 || LineBytes.word(b, p) != KEY_OPEN) {
      return -1;
    }
    int ks = p + 8;
    int ke = LineBytes.plainStringEnd(b, ks, end);
    if (ke < 0 || !LineBytes.at(b, ke, end, 12, VALUE_OPEN_0, VALUE_OPEN_1)) {
      return -1;
    }
    int fp = keyFingerprint(b, ks, ke);
    int i = ke + 12;
    if (i >= end) {
      return -1;
    }
    switch (b[i]) {
      case 's' -> {
        if (!LineBytes.at(b, i, end, 14, STRING_VALUE_0, STRING_VALUE_1)) {
          return -1;
        }
        int vs = i + 14;
        int ve = LineBytes.plainStringEnd(b, vs, end);
        if (ve < 0 || !closesString(b, ve, end)) {
          return -1;
        }
        into.addString(ks, ke, null, fp, vs, ve);
        return ve + 3;
      }
      case 'i' -> {
        if (!LineBytes.at(b, i, end, 11, INT_VALUE_0, INT_VALUE_1)) {
          return -1;
        }
        int q = i + 11;
        long v = 0;
        int digits = 0;
        for (; q < end && digits < 18; q++) {
          int d = b[q] - '0';
          if (d < 0 || d > 9) {
            break;
          }
          v = v * 10 + d;
          digits++;
        }
        if (digits == 0 || !closesString(b, q, end)) {
          return -1;
        }
        into.addLong(ks, ke, null, fp, v);
        return q + 3;
      }
      case 'b' -> {
        if (LineBytes.at(b, i, end, 17, TRUE_VALUE_0, TRUE_VALUE_1, TRUE_VALUE_2)) {
          into.addBoolean(ks, ke, null, fp, true);
          return i + 17;
        }
        if (LineBytes.at(b, i, end, 18, FALSE_VALUE_0, FALSE_VALUE_1, FALSE_VALUE_2)) {
          into.addBoolean(ks, ke, null, fp, false);
          return i + 18;
        }
        return -1;
      }
      case 'a' -> {
        return compactStringArray(i, end, ks, ke, fp, into);
      }
      case 'd' -> {
        if (!LineBytes.at(b, i, end, 13, DOUBLE_VALUE_0, DOUBLE_VALUE_1)) {
          return -1;
        }
        int vs = i + 13;
        int ve = vs;
        for (; ve < end; ve++) {
          byte d = b[ve];
          if (!((d >= '0' && d <= '9') || d == '-' || d == '+' || d == '.' || d == 'e' || d == 'E')) {
            break;
          }
        }
        double v = JsonCursor.fastDouble(s, vs, ve);
        if (Double.isNaN(v) || ve > end - 2 || b[ve] != '}' || b[ve + 1] != '}') {
          return -1;
        }
        into.addDouble(ks, ke, null, fp, v);
        return ve + 2;
      }
      default -> {
        return -1;
      }
    }
  }

  /**
   * {@link LazyAttributes#fingerprint} of the key {@code s[ks, ke)}, read off the bytes (which are the characters
   * unless they show a '?', the stand-in for characters above U+00FF).
   */
  private int keyFingerprint(byte[] b, int ks, int ke) {
    int len = ke - ks;
    if (len == 0) {
      return LazyAttributes.fingerprint(s, ks, ke);
    }
    int first = b[ks] & 0xff;
    int middle = b[ks + (len >>> 1)] & 0xff;
    int last = b[ke - 1] & 0xff;
    if (first == '?' || middle == '?' || last == '?') {
      return LazyAttributes.fingerprint(s, ks, ke);
    }
    return LazyAttributes.fingerprint(len, first, middle, last);
  }

  /**
   * The value of a compact attribute that is a list of plain strings ({@code "arrayValue":{"values":[{"stringValue":
   * "a"},...]}}}, e.g. {@code aws.log.group.names}) at {@code i}: the position after the attribute, or -1.
   */
  private int compactStringArray(int i, int end, int ks, int ke, int fp, LazyAttributes.Builder into) {
    byte[] b = this.b;
    if (!LineBytes.at(b, i, end, 23, ARRAY_VALUE_0, ARRAY_VALUE_1, ARRAY_VALUE_2)) {
      return -1;
    }
    List<Object> list = new ArrayList<>(2);
    int p = i + 23;
    if (p < end && b[p] != ']') {
      while (true) {
        if (!LineBytes.at(b, p, end, 16, STRING_ELEMENT_0, STRING_ELEMENT_1)) {
          return -1;
        }
        int vs = p + 16;
        int ve = LineBytes.plainStringEnd(b, vs, end);
        if (ve < 0 || ve > end - 2 || b[ve] != '"' || b[ve + 1] != '}') {
          return -1;
        }
        list.add(s.substring(vs, ve));
        p = ve + 2;
        if (p < end && b[p] == ',') {
          p++;
        } else {
          break;
        }
      }
    }
    if (p > end - 4 || b[p] != ']' || b[p + 1] != '}' || b[p + 2] != '}' || b[p + 3] != '}') {
      return -1;
    }
    into.addObject(ks, ke, null, fp, Collections.unmodifiableList(list));
    return p + 4;
  }

  /** Reads one element of an attributes array, written any way JSON allows. */
  private void attribute(LazyAttributes.Builder into) {
    boolean hasKey = false;
    kind = NONE;
    c.beginObject();
    while (c.nextField()) {
      if (c.fieldIs("key")) {
        hasKey = true;
        if (c.rawString()) {
          keyStart = c.valueStart();
          keyEnd = c.valueEnd();
          keyString = null;
        } else {
          keyString = c.string();
        }
      } else if (c.fieldIs("value") && c.peek() == '{') {
        anyValue();
      } else {
        c.skipValue();
      }
    }
    if (!hasKey) {
      return;
    }
    switch (kind) {
      case STRING -> into.addString(keyStart, keyEnd, keyString, valueStart, (int) prim);
      case LONG -> into.addLong(keyStart, keyEnd, keyString, prim);
      case DOUBLE -> into.addDouble(keyStart, keyEnd, keyString, Double.longBitsToDouble(prim));
      case BOOL -> into.addBoolean(keyStart, keyEnd, keyString, prim != 0);
      case OBJECT -> into.addObject(keyStart, keyEnd, keyString, object);
      default -> {
        // an empty AnyValue: no entry, as the OTLP readers do
      }
    }
  }

  /** Reads an AnyValue object into {@link #kind} and its value; NONE for an empty one. */
  private void anyValue() {
    int k = NONE;
    c.beginObject();
    while (c.nextField()) {
      if (c.tryNull()) {
        continue;
      }
      if (c.fieldIs("stringValue") || c.fieldIs("bytesValue")) {
        if (c.rawString()) {
          k = STRING;
          valueStart = c.valueStart();
          prim = c.valueEnd();
        } else {
          k = OBJECT;
          object = c.string();
        }
      } else if (c.fieldIs("intValue")) {
        prim = c.longValue();
        k = LONG;
      } else if (c.fieldIs("boolValue")) {
        prim = c.bool() ? 1 : 0;
        k = BOOL;
      } else if (c.fieldIs("doubleValue")) {
        prim = Double.doubleToRawLongBits(c.doubleValue());
        k = DOUBLE;
      } else if (c.fieldIs("arrayValue") && c.peek() == '{') {
        object = arrayValue(c);
        k = OBJECT;
      } else if (c.fieldIs("kvlistValue") && c.peek() == '{') {
        object = kvlistValue(c);
        k = OBJECT;
      } else {
        c.skipValue();
      }
    }
    kind = k;
  }

  // ---- list and map values (rare): decoded at once into plain collections

  private static Object arrayValue(JsonCursor c) {
    List<Object> list = new ArrayList<>();
    c.beginObject();
    while (c.nextField()) {
      if (c.fieldIs("values") && c.peek() == '[') {
        c.beginArray();
        while (c.nextElement()) {
          if (c.peek() == '{') {
            Object v = eagerAnyValue(c);
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
    return Collections.unmodifiableList(list);
  }

  private static Object kvlistValue(JsonCursor c) {
    Map<String, Object> map = new HashMap<>();
    c.beginObject();
    while (c.nextField()) {
      if (c.fieldIs("values") && c.peek() == '[') {
        eagerAttributes(c, map);
      } else {
        c.skipValue();
      }
    }
    return Collections.unmodifiableMap(map);
  }

  private static void eagerAttributes(JsonCursor c, Map<String, Object> into) {
    c.beginArray();
    while (c.nextElement()) {
      String key = null;
      Object value = null;
      c.beginObject();
      while (c.nextField()) {
        if (c.fieldIs("key")) {
          key = c.string();
        } else if (c.fieldIs("value") && c.peek() == '{') {
          value = eagerAnyValue(c);
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
  private static Object eagerAnyValue(JsonCursor c) {
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
        value = c.doubleValue();
      } else if (c.fieldIs("arrayValue") && c.peek() == '{') {
        value = arrayValue(c);
      } else if (c.fieldIs("kvlistValue") && c.peek() == '{') {
        value = kvlistValue(c);
      } else if (c.fieldIs("bytesValue")) {
        value = c.string();
      } else {
        c.skipValue();
      }
    }
    return value;
  }
}
