package dev.taillight.cli.render;

/**
 * A minimal JSON object writer with a fixed field order, so that output is byte-for-byte predictable and the
 * command needs no JSON library on its start-up path.
 */
public final class Json {
  private final StringBuilder sb = new StringBuilder(256);
  private boolean first = true;

  private Json() {
    sb.append('{');
  }

  public static Json object() {
    return new Json();
  }

  public Json put(String name, String value) {
    key(name);
    if (value == null) {
      sb.append("null");
    } else {
      quote(sb, value);
    }
    return this;
  }

  public Json put(String name, Number value) {
    key(name);
    if (value == null) {
      sb.append("null");
    } else if (value instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        sb.append("null");
      } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        sb.append((long) d.doubleValue());
      } else {
        sb.append(new java.math.BigDecimal(d.toString()).stripTrailingZeros().toPlainString());
      }
    } else {
      sb.append(value);
    }
    return this;
  }

  public Json put(String name, boolean value) {
    key(name);
    sb.append(value);
    return this;
  }

  /** Adds a field whose value is already JSON text. */
  public Json raw(String name, String json) {
    key(name);
    sb.append(json);
    return this;
  }

  @Override
  public String toString() {
    return sb + "}";
  }

  private void key(String name) {
    if (!first) {
      sb.append(',');
    }
    first = false;
    quote(sb, name);
    sb.append(':');
  }

  /** Appends {@code s} as a JSON string literal. */
  public static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    quote(sb, s);
    return sb.toString();
  }
}
