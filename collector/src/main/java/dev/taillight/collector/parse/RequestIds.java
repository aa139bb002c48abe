package dev.taillight.collector.parse;

/**
 * Gives the same String for the same request id read from different lines (START, the application's lines, END,
 * REPORT all name it), so an invocation's lines share one copy instead of one each, and the String's cached hash
 * serves every map it goes into.
 *
 * <p>A small direct-mapped cache shared by all threads without locks: a slot holds the last id read that maps to
 * it. Races only cost a copy (Strings are immutable, safely published through a data race).
 */
final class RequestIds {
  private RequestIds() {}

  private static final int SLOTS = 512;
  private static final String[] CACHE = new String[SLOTS];

  /** {@code s[from, to)} as a String, the cached one when it is equal. */
  static String of(String s, int from, int to) {
    int len = to - from;
    if (len < 8) {
      return s.substring(from, to);
    }
    int slot = (s.charAt(from) * 961 + s.charAt(from + 1) * 31 + s.charAt(from + len - 1)
        ^ s.charAt(from + len - 2) << 7 ^ s.charAt(from + 2) << 3) & (SLOTS - 1);
    String c = CACHE[slot];
    if (c != null && c.length() == len && s.startsWith(c, from)) {
      return c;
    }
    c = s.substring(from, to);
    CACHE[slot] = c;
    return c;
  }
}
