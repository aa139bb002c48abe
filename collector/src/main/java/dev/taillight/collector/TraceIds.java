package dev.taillight.collector;

import java.util.Locale;

/**
 * Trace id forms. X-Ray ids ({@code 1-5759e988-bd862e3fe1be46a994272793}) and W3C ids
 * ({@code 5759e988bd862e3fe1be46a994272793}) are the same 128 bits; everything in Taillight stores and
 * compares the 32-hex form.
 */
public final class TraceIds {
  private TraceIds() {}

  /**
   * Returns the 32 lowercase hex digit form of an X-Ray id, a W3C id, or a full {@code X-Amzn-Trace-Id}
   * header ({@code Root=1-...;Parent=...;Sampled=1}), or null when {@code id} is none of those. Never throws.
   */
  public static String normalize(String id) {
    if (id == null) {
      return null;
    }
    int n = id.length();
    if (n == 32 || (n == 35 && id.charAt(0) == '1' && id.charAt(1) == '-' && id.charAt(10) == '-')) {
      String fast = plain(id);
      if (fast != null) {
        return fast.isEmpty() ? null : fast;
      }
    }
    String s = id.trim();
    int root = s.indexOf("Root=");
    if (root >= 0) {
      int end = s.indexOf(';', root);
      s = s.substring(root + 5, end < 0 ? s.length() : end).trim();
    }
    if (s.length() == 35 && s.charAt(0) == '1' && s.charAt(1) == '-' && s.charAt(10) == '-') {
      s = s.substring(2, 10) + s.substring(11);
    }
    if (s.length() != 32 || !isHex(s)) {
      return null;
    }
    s = s.toLowerCase(Locale.ROOT);
    return s.equals("00000000000000000000000000000000") ? null : s;
  }

  /** Returns the X-Ray form ({@code 1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy}) of any accepted id, or null. */
  public static String toXRay(String id) {
    String n = normalize(id);
    return n == null ? null : "1-" + n.substring(0, 8) + "-" + n.substring(8);
  }

  /**
   * The 32 lowercase hex digits of a W3C id or an X-Ray id written without spaces, the same instance when it is
   * already in that form; "" for the all-zero id; null when {@code id} is not such an id (the general path decides).
   */
  private static String plain(String id) {
    int from = id.length() == 35 ? 2 : 0;
    boolean lower = from == 0;
    boolean zero = true;
    for (int i = from; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c >= '0' && c <= '9') {
        zero &= c == '0';
      } else if (c >= 'a' && c <= 'f') {
        zero = false;
      } else if (c >= 'A' && c <= 'F') {
        zero = false;
        lower = false;
      } else if (!(i == 10 && from == 2 && c == '-')) {
        return null;
      }
    }
    if (zero) {
      return "";
    }
    if (lower) {
      return id;
    }
    char[] out = new char[32];
    int k = 0;
    for (int i = from; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c != '-') {
        out[k++] = c >= 'A' && c <= 'F' ? (char) (c + ('a' - 'A')) : c;
      }
    }
    return new String(out);
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) {
        return false;
      }
    }
    return true;
  }
}
