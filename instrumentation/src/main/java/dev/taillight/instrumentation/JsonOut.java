package dev.taillight.instrumentation;

import java.util.Arrays;

/**
 * A growable UTF-8 byte buffer with JSON appenders, reused per thread so a warm invocation allocates
 * almost nothing while writing its span line.
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
}
