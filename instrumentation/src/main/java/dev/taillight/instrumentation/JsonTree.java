package dev.taillight.instrumentation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader that turns an event's raw bytes into {@code Map}, {@code List}, {@code String},
 * {@code Long}/{@code Double}, {@code Boolean} and null, the same shapes the Lambda runtime gives a
 * {@code Map} handler.
 *
 * <p>Never throws: input that is not JSON (or nested deeper than 64 levels) gives {@link #INVALID}.
 */
final class JsonTree {
  /** Returned for input that is not one JSON value. */
  static final Object INVALID = new Object() {
    @Override
    public String toString() {
      return "INVALID";
    }
  };

  private static final int MAX_DEPTH = 64;

  private final byte[] in;
  private final int end;
  private int pos;
  private final StringBuilder sb = new StringBuilder();

  private JsonTree(byte[] in, int off, int len) {
    this.in = in;
    this.pos = off;
    this.end = off + len;
  }

  static Object parse(byte[] bytes) {
    return bytes == null ? INVALID : parse(bytes, 0, bytes.length);
  }

  static Object parse(String s) {
    return s == null ? INVALID : parse(s.getBytes(StandardCharsets.UTF_8));
  }

  static Object parse(byte[] bytes, int off, int len) {
    try {
      JsonTree p = new JsonTree(bytes, off, len);
      Object v = p.value(0);
      p.ws();
      return p.pos == p.end ? v : INVALID;
    } catch (RuntimeException | StackOverflowError e) {
      return INVALID;
    }
  }

  private static final class Bad extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Bad() {
      super(null, null, false, false);
    }
  }

  private void ws() {
    while (pos < end) {
      byte b = in[pos];
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        pos++;
      } else {
        return;
      }
    }
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw new Bad();
    }
    ws();
    if (pos >= end) {
      throw new Bad();
    }
    byte b = in[pos];
    switch (b) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return null;
      default:
        return number();
    }
  }

  private void literal(String word) {
    if (pos + word.length() > end) {
      throw new Bad();
    }
    for (int i = 0; i < word.length(); i++) {
      if (in[pos + i] != word.charAt(i)) {
        throw new Bad();
      }
    }
    pos += word.length();
  }

  private Map<String, Object> object(int depth) {
    pos++;
    Map<String, Object> map = new LinkedHashMap<>();
    ws();
    if (pos < end && in[pos] == '}') {
      pos++;
      return map;
    }
    while (true) {
      ws();
      if (pos >= end || in[pos] != '"') {
        throw new Bad();
      }
      String key = string();
      ws();
      if (pos >= end || in[pos] != ':') {
        throw new Bad();
      }
      pos++;
      map.put(key, value(depth + 1));
      ws();
      if (pos >= end) {
        throw new Bad();
      }
      byte b = in[pos++];
      if (b == '}') {
        return map;
      }
      if (b != ',') {
        throw new Bad();
      }
    }
  }

  private List<Object> array(int depth) {
    pos++;
    List<Object> list = new ArrayList<>();
    ws();
    if (pos < end && in[pos] == ']') {
      pos++;
      return list;
    }
    while (true) {
      list.add(value(depth + 1));
      ws();
      if (pos >= end) {
        throw new Bad();
      }
      byte b = in[pos++];
      if (b == ']') {
        return list;
      }
      if (b != ',') {
        throw new Bad();
      }
    }
  }

  private String string() {
    pos++;
    int start = pos;
    // fast path: plain ASCII without escapes
    while (pos < end) {
      byte b = in[pos];
      if (b == '"') {
        String s = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
        pos++;
        return s;
      }
      if (b == '\\' || b < 0x20) {
        break;
      }
      pos++;
    }
    // slow path: escapes or non-ASCII bytes
    pos = start;
    int runStart = pos;
    sb.setLength(0);
    while (true) {
      if (pos >= end) {
        throw new Bad();
      }
      byte b = in[pos];
      if (b == '"') {
        flushRun(runStart);
        pos++;
        return sb.toString();
      }
      if (b == '\\') {
        flushRun(runStart);
        pos++;
        if (pos >= end) {
          throw new Bad();
        }
        byte e = in[pos++];
        switch (e) {
          case '"': sb.append('"'); break;
          case '\\': sb.append('\\'); break;
          case '/': sb.append('/'); break;
          case 'b': sb.append('\b'); break;
          case 'f': sb.append('\f'); break;
          case 'n': sb.append('\n'); break;
          case 'r': sb.append('\r'); break;
          case 't': sb.append('\t'); break;
          case 'u':
            if (pos + 4 > end) {
              throw new Bad();
            }
            sb.append((char) Integer.parseInt(new String(in, pos, 4, StandardCharsets.ISO_8859_1), 16));
            pos += 4;
            break;
          default:
            throw new Bad();
        }
        runStart = pos;
      } else if (b >= 0 && b < 0x20) {
        throw new Bad();
      } else {
        pos++;
      }
    }
  }

  private void flushRun(int runStart) {
    if (pos > runStart) {
      sb.append(new String(in, runStart, pos - runStart, StandardCharsets.UTF_8));
    }
  }

  private Object number() {
    int start = pos;
    boolean decimal = false;
    while (pos < end) {
      byte b = in[pos];
      if ((b >= '0' && b <= '9') || b == '-' || b == '+') {
        pos++;
      } else if (b == '.' || b == 'e' || b == 'E') {
        decimal = true;
        pos++;
      } else {
        break;
      }
    }
    if (pos == start) {
      throw new Bad();
    }
    String text = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
    if (!decimal) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException tooBig) {
        // fall through to double
      }
    }
    return Double.parseDouble(text);
  }
}
