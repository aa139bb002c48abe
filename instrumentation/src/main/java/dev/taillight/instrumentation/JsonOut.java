package dev.taillight.instrumentation;

import java.util.Arrays;
import java.util.List;

/**
 * A growable UTF-8 byte buffer with JSON appenders, reused per thread so a warm invocation allocates
 * almost nothing while writing its span line; and the OTLP JSON encoding of span lines
 * ({@link #otlpLine}) written with it.
 *
 * <p>Not thread-safe: one instance per writing thread ({@link #forThread()}).
 */
final class JsonOut {
  private static final byte[] HEX = {
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'
  };
  private static final ThreadLocal<JsonOut> PER_THREAD = new ThreadLocal<>();
  /** Buffers that grew past this are not kept for reuse, so one huge line does not pin memory. */
  private static final int KEEP_LIMIT = 64 * 1024;

  byte[] buf;
  int len;
  private char[] chars = EMPTY_CHARS;
  private static final char[] EMPTY_CHARS = new char[0];

  JsonOut(int capacity) {
    buf = new byte[capacity];
  }

  /** Returns this thread's empty buffer. */
  static JsonOut forThread() {
    JsonOut out = PER_THREAD.get();
    if (out == null || out.buf.length > KEEP_LIMIT) {
      out = new JsonOut(4096);
      PER_THREAD.set(out);
    }
    out.len = 0;
    return out;
  }

  int length() {
    return len;
  }

  void reset(int length) {
    len = length;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  JsonOut raw(char c) {
    ensure(1);
    buf[len++] = (byte) c;
    return this;
  }

  /** Appends ASCII text as is (no escaping): one array copy, not a call per char. */
  @SuppressWarnings("deprecation")
  JsonOut raw(String ascii) {
    int n = ascii.length();
    ensure(n);
    ascii.getBytes(0, n, buf, len); // exact for ASCII, which is all this is called with
    len += n;
    return this;
  }

  JsonOut raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, len, bytes.length);
    len += bytes.length;
    return this;
  }

  JsonOut number(long v) {
    if (v == Long.MIN_VALUE) {
      return raw("-9223372036854775808");
    }
    ensure(20);
    if (v < 0) {
      buf[len++] = '-';
      v = -v;
    }
    if (v < 1_000_000_000L) {
      digits((int) v, false);
    } else if (v < 1_000_000_000_000_000_000L) {
      // nanosecond timestamps: two int halves, so the divisions are 32-bit (C1 does not strength-reduce)
      digits((int) (v / 1_000_000_000L), false);
      digits((int) (v % 1_000_000_000L), true);
    } else {
      number(v / 1_000_000_000L);
      digits((int) (v % 1_000_000_000L), true);
    }
    return this;
  }

  /** Writes {@code v} (0 <= v < 1e9) in decimal, left-padded to 9 digits when {@code pad}. */
  private void digits(int v, boolean pad) {
    int n;
    if (pad) {
      n = 9;
    } else {
      n = 1;
      for (int t = v; t >= 10; t /= 10) {
        n++;
      }
    }
    int end = len + n;
    for (int i = end - 1; i >= len; i--) {
      buf[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    len = end;
  }

  /** Appends a long as a quoted decimal string (OTLP JSON encodes 64-bit integers as strings). */
  JsonOut quotedNumber(long v) {
    raw('"');
    number(v);
    return raw('"');
  }

  /** Appends a double in plain decimal notation (at most 12 fraction digits), quoted never. */
  JsonOut decimal(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return raw('0');
    }
    if (v < 0) {
      raw('-');
      v = -v;
    }
    long whole = (long) v;
    number(whole);
    double frac = v - whole;
    long scaled = Math.round(frac * 1_000_000_000_000L);
    if (scaled >= 1_000_000_000_000L) {
      // rounding carried into the whole part; rare and harmless to print as .999999999999
      scaled = 999_999_999_999L;
    }
    if (scaled > 0) {
      raw('.');
      int digits = 12;
      while (scaled % 10 == 0) {
        scaled /= 10;
        digits--;
      }
      ensure(12);
      int start = len;
      for (int i = 0; i < digits; i++) {
        buf[start + digits - 1 - i] = (byte) ('0' + (scaled % 10));
        scaled /= 10;
      }
      len = start + digits;
    }
    return this;
  }

  /** Appends 16 lowercase hex digits of {@code v}. */
  JsonOut hex16(long v) {
    ensure(16);
    byte[] b = buf;
    int at = len;
    for (int i = 7; i >= 0; i--) {
      int x = (int) v & 0xFF;
      b[at + 2 * i] = HEX[x >>> 4];
      b[at + 2 * i + 1] = HEX[x & 0xF];
      v >>>= 8;
    }
    len = at + 16;
    return this;
  }

  /**
   * Appends {@code s} as a quoted JSON string, UTF-8 encoded, cut to at most {@code maxChars} chars.
   *
   * @return the number of chars cut (0 when it fit)
   */
  int string(CharSequence s, int maxChars) {
    int n = s.length();
    int cut = 0;
    if (n > maxChars) {
      cut = n - maxChars;
      n = maxChars;
      if (n > 0 && Character.isHighSurrogate(s.charAt(n - 1))) {
        n--;
        cut++;
      }
    }
    // copy the chars into a reused array once: a char-at call per char is what makes this slow on
    // C1 (Lambda's -XX:TieredStopAtLevel=1), an array read is not
    if (chars.length < n) {
      chars = new char[Math.max(Math.max(n, 256), chars.length * 2)];
    }
    char[] c = chars;
    if (s instanceof String str) {
      str.getChars(0, n, c, 0);
    } else {
      for (int i = 0; i < n; i++) {
        c[i] = s.charAt(i);
      }
    }
    ensure(n + 2);
    buf[len++] = '"';
    int i = 0;
    while (i < n) {
      // ASCII run without escapes
      int room = buf.length - len;
      int runEnd = Math.min(n, i + room);
      byte[] b = buf;
      int l = len;
      while (i < runEnd) {
        char ch = c[i];
        if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') {
          break;
        }
        b[l++] = (byte) ch;
        i++;
      }
      len = l;
      if (i == n) {
        break;
      }
      if (i == runEnd) {
        ensure(n - i + 1);
        continue;
      }
      escape(c, i, n);
      if (Character.isHighSurrogate(c[i]) && i + 1 < n && Character.isLowSurrogate(c[i + 1])) {
        i++;
      }
      i++;
    }
    ensure(1);
    buf[len++] = '"';
    return cut;
  }

  JsonOut string(CharSequence s) {
    string(s, Integer.MAX_VALUE);
    return this;
  }

  private void escape(char[] s, int i, int n) {
    char c = s[i];
    ensure(12);
    switch (c) {
      case '"':
        buf[len++] = '\\';
        buf[len++] = '"';
        return;
      case '\\':
        buf[len++] = '\\';
        buf[len++] = '\\';
        return;
      case '\n':
        buf[len++] = '\\';
        buf[len++] = 'n';
        return;
      case '\r':
        buf[len++] = '\\';
        buf[len++] = 'r';
        return;
      case '\t':
        buf[len++] = '\\';
        buf[len++] = 't';
        return;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7f) {
      buf[len++] = '\\';
      buf[len++] = 'u';
      buf[len++] = '0';
      buf[len++] = '0';
      buf[len++] = HEX[(c >> 4) & 0xF];
      buf[len++] = HEX[c & 0xF];
    } else if (c < 0x800) {
      buf[len++] = (byte) (0xC0 | (c >> 6));
      buf[len++] = (byte) (0x80 | (c & 0x3F));
    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s[i + 1])) {
      int cp = Character.toCodePoint(c, s[i + 1]);
      buf[len++] = (byte) (0xF0 | (cp >> 18));
      buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
      buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
      buf[len++] = (byte) (0x80 | (cp & 0x3F));
    } else if (Character.isSurrogate(c)) {
      // lone surrogate: not encodable, write the replacement character
      buf[len++] = (byte) 0xEF;
      buf[len++] = (byte) 0xBF;
      buf[len++] = (byte) 0xBD;
    } else {
      buf[len++] = (byte) (0xE0 | (c >> 12));
      buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
      buf[len++] = (byte) (0x80 | (c & 0x3F));
    }
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  @Override
  public String toString() {
    return new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------------------------- OTLP lines
  // Writes an invocation span and its children as one line of OTLP JSON (ExportTraceServiceRequest in the
  // OTLP/JSON encoding), by hand into a reused byte buffer: no JSON library, no string concatenation, no
  // per-invocation formatting objects. Keeps the line under CloudWatch's 256 KB event limit: values were
  // already capped when recorded; if the line is still too long it is written again without links and
  // child spans, then without events, and the bytes removed are added to aws.lambda.truncated. (Part of
  // this class, not one of its own: every class loaded on the first invocation is a cold-start cost.)

  /** CloudWatch Logs accepts events up to 256 KB including 26 bytes of overhead; keep a margin. */
  static final int MAX_LINE_BYTES = 256 * 1024 - 1024;

  static final String SCOPE_NAME = "dev.taillight.instrumentation";
  static final String SCOPE_VERSION = "0.1.0";

  private static final String HEAD = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[";
  private static final String SCOPE = "]},\"scopeSpans\":[{\"scope\":{\"name\":\"" + SCOPE_NAME
      + "\",\"version\":\"" + SCOPE_VERSION + "\"},\"spans\":[";
  private static final String TAIL = "]}]}]}\n";

  /** Renders resource attributes (key/value pairs) once; the bytes are reused for every line. */
  static byte[] otlpResource(Object[] keyValues) {
    JsonOut out = new JsonOut(1024);
    otlpAttributes(out, keyValues, keyValues.length);
    return out.toByteArray();
  }

  /**
   * Writes the whole line (ending in a newline) for {@code span} into {@code out}.
   *
   * @param resource the rendered resource attributes from {@link #resource}
   */
  static void otlpLine(JsonOut out, byte[] resource, SpanRecord span) {
    int start = out.length();
    List<SpanRecord> children = span.children();
    otlpWrite(out, resource, span, children, 0, span.truncated);
    int first = out.length() - start;
    if (first <= MAX_LINE_BYTES) {
      return;
    }
    out.reset(start);
    otlpWrite(out, resource, span, List.of(), 1, span.truncated + 1);
    int second = out.length() - start;
    if (second <= MAX_LINE_BYTES) {
      out.reset(start);
      otlpWrite(out, resource, span, List.of(), 1, span.truncated + (first - second));
      return;
    }
    out.reset(start);
    otlpWrite(out, resource, span, List.of(), 2, span.truncated + 1);
    int third = out.length() - start;
    out.reset(start);
    otlpWrite(out, resource, span, List.of(), 2, span.truncated + (first - third));
  }

  /** level 0: everything; 1: no links, no children; 2: also no events. */
  private static void otlpWrite(
      JsonOut out, byte[] resource, SpanRecord span, List<SpanRecord> children, int level, long truncated) {
    out.raw(HEAD).raw(resource).raw(SCOPE);
    for (SpanRecord child : children) {
      otlpSpan(out, child, 0, child.truncated);
      out.raw(',');
    }
    otlpSpan(out, span, level, truncated);
    out.raw(TAIL);
  }

  private static void otlpSpan(JsonOut out, SpanRecord s, int level, long truncated) {
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
        otlpAttributes(out, e.keyValues(), e.keyValues().length);
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
          otlpAttributes(out, l.keyValues(), l.keyValues().length);
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
      otlpAttribute(out, s.keys[i], s.values[i]);
    }
    if (truncated > 0) {
      if (n > 0) {
        out.raw(',');
      }
      otlpAttribute(out, "aws.lambda.truncated", truncated);
    }
    out.raw("]}");
  }

  private static void otlpAttributes(JsonOut out, Object[] kv, int length) {
    boolean first = true;
    for (int i = 0; i + 1 < length; i += 2) {
      if (kv[i + 1] == null) {
        continue;
      }
      if (!first) {
        out.raw(',');
      }
      first = false;
      otlpAttribute(out, (String) kv[i], kv[i + 1]);
    }
  }

  private static void otlpAttribute(JsonOut out, String key, Object value) {
    byte[] prefix = KEYS.get(key);
    if (prefix != null) {
      out.raw(prefix);
    } else {
      int start = out.len;
      out.raw("{\"key\":");
      out.string(key);
      out.raw(",\"value\":");
      if (KEYS.size() < 1024) {
        KEYS.put(key, Arrays.copyOfRange(out.buf, start, out.len));
      }
    }
    otlpValue(out, value);
    out.raw('}');
  }

  /**
   * {@code {"key":"<key>","value":} per key, rendered the first time the key is written (straight into the
   * line) and copied from here afterwards: keys are a small fixed set, and encoding them char by char on every
   * line was the largest cost of a warm invocation on C1.
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, byte[]> KEYS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static void otlpValue(JsonOut out, Object value) {
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
        otlpValue(out, v == null ? "" : v);
      }
      out.raw("]}}");
    } else {
      out.raw("{\"stringValue\":");
      out.string(String.valueOf(value), SpanRecord.MAX_VALUE_CHARS);
      out.raw('}');
    }
  }
}
