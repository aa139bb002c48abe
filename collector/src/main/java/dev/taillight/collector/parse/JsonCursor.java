package dev.taillight.collector.parse;

/**
 * A minimal pull reader over one JSON text held in a String, for the hot path: no tokens, no symbol tables, no
 * copies of the input; strings are substrings unless they contain escapes. Strict JSON (RFC 8259) except that it
 * does not validate number syntax beyond what it reads.
 *
 * <p>Throws {@link Malformed} (no stack trace, shared instance) on malformed input; callers catch it and keep the
 * line as text. Not thread-safe; one cursor per parse.
 *
 * <pre>{@code
 * c.beginObject();
 * while (c.nextField()) {
 *   if (c.fieldIs("name")) name = c.string(); else c.skipValue();
 * }
 * }</pre>
 */
final class JsonCursor {
  /** Thrown for malformed JSON. */
  static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Malformed() {
      super("malformed JSON", null, false, false);
    }
  }

  static final Malformed MALFORMED = new Malformed();

  private final String s;
  private final int end;
  private int pos;
  private int keyStart;
  private int keyEnd;
  private int valueStart;
  private int valueEnd;
  /** Per open container: whether an element was read (so the next needs a comma). */
  private long firstBits;
  private int depth;

  JsonCursor(String s) {
    this(s, 0, s.length());
  }

  JsonCursor(String s, int from, int end) {
    this.s = s;
    this.pos = from;
    this.end = end;
  }

  /** Skips JSON whitespace; one comparison when the next character is above the space (usually). */
  private void ws() {
    while (pos < end) {
      char c = s.charAt(pos);
      if (c > ' ' || (c != ' ' && c != '\t' && c != '\n' && c != '\r')) {
        return;
      }
      pos++;
    }
  }

  /** The next non-blank character without consuming it, or -1 at the end. */
  int peek() {
    ws();
    return pos < end ? s.charAt(pos) : -1;
  }

  boolean atEnd() {
    ws();
    return pos >= end;
  }

  private void expect(char c) {
    ws();
    if (pos >= end || s.charAt(pos) != c) {
      throw MALFORMED;
    }
    pos++;
  }

  /** Consumes {@code {}; fields follow with {@link #nextField()}. */
  void beginObject() {
    expect('{');
    push();
  }

  /** Consumes {@code [}; elements follow with {@link #nextElement()}. */
  void beginArray() {
    expect('[');
    push();
  }

  private void push() {
    if (++depth >= 64) {
      throw MALFORMED; // deeper than any OTLP or log record: refuse rather than recurse
    }
    firstBits |= 1L << depth;
  }

  /**
   * Moves to the next field of the current object and consumes its name and colon; returns false (and consumes
   * the closing brace) when the object ends.
   */
  boolean nextField() {
    if (!nextMember('}')) {
      return false;
    }
    ws();
    if (pos >= end || s.charAt(pos) != '"') {
      throw MALFORMED;
    }
    int start = ++pos;
    while (pos < end) {
      char k = s.charAt(pos);
      if (k == '"') {
        break;
      }
      if (k == '\\') {
        pos++;
      }
      pos++;
    }
    if (pos >= end) {
      throw MALFORMED;
    }
    keyStart = start;
    keyEnd = pos;
    pos++;
    expect(':');
    return true;
  }

  /** Where the current field name starts (after its quote). */
  int keyStart() {
    return keyStart;
  }

  /** The length of the current field name as written (escapes count as written). */
  int keyLength() {
    return keyEnd - keyStart;
  }

  /** Whether the current field name is {@code name} (names with escapes never match). */
  boolean fieldIs(String name) {
    int len = keyEnd - keyStart;
    return len == name.length() && s.startsWith(name, keyStart);
  }

  /** Moves to the next array element; returns false (and consumes the closing bracket) when the array ends. */
  boolean nextElement() {
    return nextMember(']');
  }

  /**
   * Steps to the next member of the current object or array: consumes {@code close} and returns false when the
   * container ends, otherwise consumes the comma that every member but the first is preceded by.
   */
  private boolean nextMember(char close) {
    ws();
    if (pos >= end) {
      throw MALFORMED;
    }
    char c = s.charAt(pos);
    if (c == close) {
      pos++;
      depth--;
      return false;
    }
    long bit = 1L << depth;
    if ((firstBits & bit) != 0) {
      firstBits &= ~bit;
    } else {
      if (c != ',') {
        throw MALFORMED;
      }
      pos++;
    }
    return true;
  }

  /** Reads a string value. */
  String string() {
    ws();
    if (pos >= end || s.charAt(pos) != '"') {
      throw MALFORMED;
    }
    int start = ++pos;
    while (pos < end) {
      char c = s.charAt(pos);
      if (c == '"') {
        return s.substring(start, pos++);
      }
      if (c == '\\') {
        return escaped(start);
      }
      pos++;
    }
    throw MALFORMED;
  }

  private String escaped(int start) {
    StringBuilder b = new StringBuilder(pos - start + 16);
    b.append(s, start, pos);
    while (pos < end) {
      char c = s.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (pos >= end) {
        throw MALFORMED;
      }
      char e = s.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (pos + 4 > end) {
            throw MALFORMED;
          }
          int v = 0;
          for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(pos++), 16);
            if (d < 0) {
              throw MALFORMED;
            }
            v = (v << 4) | d;
          }
          b.append((char) v);
        }
        default -> throw MALFORMED;
      }
    }
    throw MALFORMED;
  }

  /**
   * Skips a string value without making a String of it. Returns true, with its content at {@link #valueStart()}
   * to {@link #valueEnd()}, when it has no escapes; returns false and consumes nothing when it has (read it with
   * {@link #string()} then).
   */
  boolean rawString() {
    ws();
    if (pos >= end || s.charAt(pos) != '"') {
      throw MALFORMED;
    }
    int start = pos + 1;
    for (int p = start; p < end; p++) {
      char c = s.charAt(p);
      if (c == '"') {
        valueStart = start;
        valueEnd = p;
        pos = p + 1;
        return true;
      }
      if (c == '\\') {
        return false;
      }
    }
    throw MALFORMED;
  }

  /** Start of the content of the string {@link #rawString()} skipped last. */
  int valueStart() {
    return valueStart;
  }

  /** End (exclusive) of the content of the string {@link #rawString()} skipped last. */
  int valueEnd() {
    return valueEnd;
  }

  /** The text this cursor reads. */
  String source() {
    return s;
  }

  /** Reads a string or a scalar as text (numbers and booleans as written); null for JSON null. */
  String text() {
    int c = peek();
    if (c == '"') {
      return string();
    }
    if (c == 'n') {
      literal("null");
      return null;
    }
    if (c == '{' || c == '[') {
      skipValue();
      return null;
    }
    int start = pos;
    skipScalar();
    return s.substring(start, pos);
  }

  /** Reads an integer given as a number or as a string of digits (OTLP/JSON writes 64-bit ints as strings). */
  long longValue() {
    int c = peek();
    if (c == '"') {
      // digits in quotes, read in place; anything else goes through Long.parseLong
      int q = pos + 1;
      long v = 0;
      int digits = 0;
      while (q < end && digits < 19) {
        char d = s.charAt(q);
        if (d < '0' || d > '9'
            || (digits == 18 && (v > Long.MAX_VALUE / 10 || (v == Long.MAX_VALUE / 10 && d > '7')))) {
          break; // (a 19th digit only while it fits; larger values go through parseUnsignedLong below)
        }
        v = v * 10 + (d - '0');
        digits++;
        q++;
      }
      if (digits > 0 && q < end && s.charAt(q) == '"') {
        pos = q + 1;
        return v;
      }
      String str = string();
      try {
        return Long.parseLong(str);
      } catch (NumberFormatException e) {
        return Long.parseUnsignedLong(str); // fixed64 nanos past 2262 and the like; throws for non-numbers
      }
    }
    int start = pos;
    boolean neg = false;
    if (pos < end && s.charAt(pos) == '-') {
      neg = true;
      pos++;
    }
    long v = 0;
    int digits = 0;
    while (pos < end) {
      char d = s.charAt(pos);
      if (d < '0' || d > '9') {
        break;
      }
      v = v * 10 + (d - '0');
      digits++;
      pos++;
    }
    if (digits == 0) {
      throw MALFORMED;
    }
    if (pos < end && (s.charAt(pos) == '.' || s.charAt(pos) == 'e' || s.charAt(pos) == 'E') || digits > 18) {
      pos = start;
      return (long) doubleValue();
    }
    return neg ? -v : v;
  }

  /** Reads a number, or a string holding one ({@code "NaN"}, {@code "Infinity"} too). */
  double doubleValue() {
    int c = peek();
    if (c == '"') {
      return Double.parseDouble(string());
    }
    int start = pos;
    skipScalar();
    double fast = fastDouble(s, start, pos);
    if (!Double.isNaN(fast)) {
      return fast;
    }
    try {
      return Double.parseDouble(s.substring(start, pos));
    } catch (NumberFormatException e) {
      throw MALFORMED;
    }
  }

  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
    1e20, 1e21, 1e22
  };

  /**
   * The number [from, to) when it is a plain decimal ({@code -0.000123}, {@code 42}, {@code 1.5e-3}) whose digits
   * fit in 2^53 and whose power of ten is at most 22: then one exact multiplication or division rounds correctly
   * (Clinger's fast path), the same double {@link Double#parseDouble} gives. NaN otherwise.
   */
  static double fastDouble(String s, int from, int to) {
    int i = from;
    boolean neg = false;
    if (i < to && s.charAt(i) == '-') {
      neg = true;
      i++;
    }
    long mant = 0;
    int digits = 0;
    int scale = 0;
    boolean dot = false;
    boolean any = false;
    for (; i < to; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        any = true;
        if (mant == 0 && c == '0') {
          if (dot) {
            scale--;
          }
          continue;
        }
        if (++digits > 15) {
          return Double.NaN;
        }
        mant = mant * 10 + (c - '0');
        if (dot) {
          scale--;
        }
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        break;
      }
    }
    if (!any) {
      return Double.NaN;
    }
    if (i < to) {
      char c = s.charAt(i);
      if (c != 'e' && c != 'E') {
        return Double.NaN;
      }
      i++;
      boolean eneg = false;
      if (i < to && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
        eneg = s.charAt(i) == '-';
        i++;
      }
      int exp = 0;
      int ed = 0;
      for (; i < to; i++) {
        char d = s.charAt(i);
        if (d < '0' || d > '9' || ++ed > 4) {
          return Double.NaN;
        }
        exp = exp * 10 + (d - '0');
      }
      if (ed == 0) {
        return Double.NaN;
      }
      scale += eneg ? -exp : exp;
    }
    double v;
    if (mant == 0) {
      v = 0.0;
    } else if (scale >= 0 && scale <= 22) {
      v = mant * POW10[scale];
    } else if (scale < 0 && scale >= -22) {
      v = mant / POW10[-scale];
    } else {
      return Double.NaN;
    }
    return neg ? -v : v;
  }

  /** Reads a boolean, or a string {@code "true"}/{@code "false"}. */
  boolean bool() {
    int c = peek();
    if (c == 't') {
      literal("true");
      return true;
    }
    if (c == 'f') {
      literal("false");
      return false;
    }
    if (c == '"') {
      return Boolean.parseBoolean(string());
    }
    throw MALFORMED;
  }

  /** Whether the next value is JSON null (consumed if so). */
  boolean tryNull() {
    if (peek() == 'n') {
      literal("null");
      return true;
    }
    return false;
  }

  private void literal(String word) {
    if (!s.startsWith(word, pos)) {
      throw MALFORMED;
    }
    pos += word.length();
  }

  private void skipScalar() {
    int start = pos;
    while (pos < end) {
      char c = s.charAt(pos);
      if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
        pos++;
      } else {
        break;
      }
    }
    if (pos == start) {
      throw MALFORMED;
    }
  }

  /** Skips the next value, whatever it is. */
  void skipValue() {
    int c = peek();
    switch (c) {
      case '"' -> skipString();
      case '{' -> {
        beginObject();
        while (nextField()) {
          skipValue();
        }
      }
      case '[' -> {
        beginArray();
        while (nextElement()) {
          skipValue();
        }
      }
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> skipScalar();
    }
  }

  private void skipString() {
    pos++;
    while (pos < end) {
      char c = s.charAt(pos);
      if (c == '"') {
        pos++;
        return;
      }
      if (c == '\\') {
        pos++;
      }
      pos++;
    }
    throw MALFORMED;
  }

  /** Current position (for callers that hand the rest to another reader). */
  int position() {
    return pos;
  }

  /**
   * Moves to {@code p}, for a caller that has read a whole value at the current position by itself (it must be at
   * the same nesting level afterwards).
   */
  void seek(int p) {
    pos = p;
  }

  /**
   * Moves to {@code p}, just after a member of the current object or array that the caller has read by itself
   * (at the same nesting level): the next member then needs its comma, as after any member the cursor read.
   */
  void memberRead(int p) {
    pos = p;
    firstBits &= ~(1L << depth);
  }

  /** Where the text this cursor reads ends (exclusive). */
  int limit() {
    return end;
  }
}
