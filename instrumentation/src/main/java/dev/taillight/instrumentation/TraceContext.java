package dev.taillight.instrumentation;

/**
 * A parent span's identity: 128-bit trace id, 64-bit span id, sampled flag and W3C tracestate.
 *
 * <p>Parsers here never throw: unparseable input gives null.
 */
record TraceContext(long traceIdHigh, long traceIdLow, long spanId, boolean sampled, String traceState) {

  boolean hasSpanId() {
    return spanId != 0;
  }

  /**
   * Parses a W3C {@code traceparent} ({@code 00-<32 hex>-<16 hex>-<2 hex>}); null when malformed or
   * all-zero.
   */
  static TraceContext fromTraceparent(String header, String traceState) {
    if (header == null) {
      return null;
    }
    String s = header.trim();
    if (s.length() < 55 || s.charAt(2) != '-' || s.charAt(35) != '-' || s.charAt(52) != '-') {
      return null;
    }
    if (s.startsWith("ff") || (s.length() > 55 && (s.startsWith("00") || s.charAt(55) != '-'))) {
      return null;
    }
    long hi = hex(s, 3, 19);
    long lo = hex(s, 19, 35);
    long span = hex(s, 36, 52);
    long flags = hex(s, 53, 55);
    if (hi == -1 && !isHex(s, 3, 19) || lo == -1 && !isHex(s, 19, 35) || span == -1 && !isHex(s, 36, 52)
        || flags == -1 && !isHex(s, 53, 55) || !isHex(s, 0, 2)) {
      return null;
    }
    if ((hi == 0 && lo == 0) || span == 0) {
      return null;
    }
    String state = traceState == null || traceState.isBlank() ? null : traceState.trim();
    return new TraceContext(hi, lo, span, (flags & 1) == 1, state);
  }

  /**
   * Parses an X-Ray header ({@code Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;
   * Sampled=1}); the Parent part is optional. Null when there is no valid Root.
   */
  static TraceContext fromXRay(String header) {
    if (header == null) {
      return null;
    }
    String root = null;
    String parent = null;
    String sampled = null;
    int i = 0;
    int n = header.length();
    while (i < n) {
      int semi = header.indexOf(';', i);
      int partEnd = semi < 0 ? n : semi;
      int eq = header.indexOf('=', i);
      if (eq > i && eq < partEnd) {
        String key = header.substring(i, eq).trim();
        String value = header.substring(eq + 1, partEnd).trim();
        if (key.equalsIgnoreCase("Root")) {
          root = value;
        } else if (key.equalsIgnoreCase("Parent")) {
          parent = value;
        } else if (key.equalsIgnoreCase("Sampled")) {
          sampled = value;
        }
      }
      i = partEnd + 1;
    }
    if (root == null || root.length() != 35 || root.charAt(0) != '1' || root.charAt(1) != '-'
        || root.charAt(10) != '-' || !isHex(root, 2, 10) || !isHex(root, 11, 35)) {
      return null;
    }
    long hi = (hex(root, 2, 10) << 32) | hex(root, 11, 19);
    long lo = hex(root, 19, 35);
    if (hi == 0 && lo == 0) {
      return null;
    }
    long span = 0;
    if (parent != null && parent.length() == 16 && isHex(parent, 0, 16)) {
      span = hex(parent, 0, 16);
    }
    return new TraceContext(hi, lo, span, "1".equals(sampled), null);
  }

  /** The W3C traceparent of this context (span id must be set). */
  String traceparent() {
    JsonOut out = new JsonOut(55);
    out.raw("00-").hex16(traceIdHigh).hex16(traceIdLow).raw('-').hex16(spanId).raw(sampled ? "-01" : "-00");
    return out.toString();
  }

  /** The X-Ray header of this context ({@code Root=1-...;Parent=...;Sampled=0|1}). */
  String xrayHeader() {
    JsonOut out = new JsonOut(80);
    out.raw("Root=1-");
    String hi = hex16(traceIdHigh);
    out.raw(hi.substring(0, 8)).raw('-').raw(hi.substring(8)).hex16(traceIdLow);
    if (spanId != 0) {
      out.raw(";Parent=").hex16(spanId);
    }
    out.raw(sampled ? ";Sampled=1" : ";Sampled=0");
    return out.toString();
  }

  String traceIdHex() {
    return hex32(traceIdHigh, traceIdLow);
  }

  static String hex16(long v) {
    char[] c = new char[16];
    hex(v, c, 0);
    return new String(c);
  }

  static String hex32(long high, long low) {
    char[] c = new char[32];
    hex(high, c, 0);
    hex(low, c, 16);
    return new String(c);
  }

  private static void hex(long v, char[] c, int at) {
    for (int i = 15; i >= 0; i--) {
      c[at + i] = HEX_CHARS[(int) v & 0xF];
      v >>>= 4;
    }
  }

  private static final char[] HEX_CHARS = "0123456789abcdef".toCharArray();

  private static boolean isHex(String s, int from, int to) {
    if (to > s.length()) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  /** Parses up to 16 hex chars; -1 when any is not hex (callers double-check with isHex). */
  private static long hex(String s, int from, int to) {
    if (to > s.length()) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = Character.digit(s.charAt(i), 16);
      if (d < 0) {
        return -1;
      }
      v = (v << 4) | d;
    }
    return v;
  }
}
