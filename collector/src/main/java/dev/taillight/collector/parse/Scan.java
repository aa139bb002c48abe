package dev.taillight.collector.parse;

/** Allocation-free scanning helpers for the hot path. */
final class Scan {
  private Scan() {}

  /** Whether {@code c} is a space, TAB or line break; one comparison for a character above the space (most are). */
  static boolean isWs(char c) {
    return c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r');
  }

  /** Index of the first non-whitespace char at or after {@code i}. */
  static int skipWs(String s, int i) {
    int n = s.length();
    while (i < n && isWs(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * Index just past the word that starts at {@code i}. One comparison for a character above the space (a word's
   * usual character), the four of {@link #isWs} only at or below it.
   */
  static int wordEnd(String s, int i) {
    int n = s.length();
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c <= ' ' && isWs(c)) {
        return i;
      }
    }
    return i;
  }

  /** The string without trailing whitespace and line breaks; the same instance when there is none. */
  static String trimEnd(String s) {
    int e = s.length();
    while (e > 0 && isWs(s.charAt(e - 1))) {
      e--;
    }
    return e == s.length() ? s : s.substring(0, e);
  }

  /** Substring from {@code from} without trailing whitespace. */
  static String restTrimmed(String s, int from) {
    int e = s.length();
    while (e > from && isWs(s.charAt(e - 1))) {
      e--;
    }
    return from == 0 && e == s.length() ? s : s.substring(from, e);
  }

  /**
   * Whether a request-id-shaped token (8-4-4-4-12 letters/digits, as Lambda request ids are; anonymised ids in
   * AWS docs contain {@code xmpl}, so letters beyond hex are allowed) starts at {@code i} and ends there.
   */
  static boolean isRequestIdAt(String s, int i) {
    int n = s.length();
    if (i + 36 > n || s.charAt(i + 8) != '-' || s.charAt(i + 13) != '-' || s.charAt(i + 18) != '-'
        || s.charAt(i + 23) != '-') {
      return false;
    }
    // every character a letter, a digit or a dash, and no dashes but those four
    int dashes = 0;
    for (int k = i; k < i + 36; k++) {
      char c = s.charAt(k);
      int t = c < 128 ? ID_CHARS[c] : 0;
      if (t == 0) {
        return false;
      }
      dashes += t >> 1;
    }
    return dashes == 4 && (i + 36 == n || isWs(s.charAt(i + 36)));
  }

  /** Per ASCII character: 1 for a letter or digit, 2 for a dash, 0 for anything else. */
  private static final byte[] ID_CHARS = new byte[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      ID_CHARS[c] = 1;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      ID_CHARS[c] = 1;
      ID_CHARS[c - 'a' + 'A'] = 1;
    }
    ID_CHARS['-'] = 2;
  }

  /**
   * Parses an unsigned decimal like {@code 128.83} in {@code [from, to)}; returns NaN when it is not one. The
   * result is correctly rounded for up to 18 significant digits.
   */
  static double decimal(String s, int from, int to) {
    long mant = 0;
    int digits = 0;
    int frac = -1;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (digits >= 18) {
          return Double.parseDouble(s.substring(from, to).trim());
        }
        mant = mant * 10 + (c - '0');
        digits++;
        if (frac >= 0) {
          frac++;
        }
      } else if (c == '.' && frac < 0) {
        frac = 0;
      } else {
        return Double.NaN;
      }
    }
    if (digits == 0) {
      return Double.NaN;
    }
    return frac <= 0 ? (double) mant : mant / POW10[frac];
  }

  private static final double[] POW10 = {
    1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18
  };

  /** Whether {@code s} has {@code label} at [from, to), any whitespace run matching one space of the label. */
  static boolean labelIs(String s, int from, int to, String label) {
    int i = from;
    int j = 0;
    int m = label.length();
    while (i < to && j < m) {
      char c = s.charAt(i);
      char l = label.charAt(j);
      if (l == ' ') {
        if (!isWs(c)) {
          return false;
        }
        while (i < to && isWs(s.charAt(i))) {
          i++;
        }
        j++;
      } else if (c == l) {
        i++;
        j++;
      } else {
        return false;
      }
    }
    return i == to && j == m;
  }

  /** Whether the label at [from, to) ends with {@code suffix} at a word boundary. */
  static boolean labelEndsWith(String s, int from, int to, String suffix) {
    int start = to - suffix.length();
    if (start < from || !s.startsWith(suffix, start)) {
      return false;
    }
    return start == from || isWs(s.charAt(start - 1));
  }

  /** The normalised log level for the token [from, to), or null when it is not a level word. */
  static String level(String s, int from, int to) {
    int len = to - from;
    if (len < 4 || len > 8) {
      return null;
    }
    switch (len) {
      case 4:
        if (s.regionMatches(true, from, "INFO", 0, 4)) {
          return "INFO";
        }
        if (s.regionMatches(true, from, "WARN", 0, 4)) {
          return "WARN";
        }
        return null;
      case 5:
        if (s.regionMatches(true, from, "ERROR", 0, 5)) {
          return "ERROR";
        }
        if (s.regionMatches(true, from, "DEBUG", 0, 5)) {
          return "DEBUG";
        }
        if (s.regionMatches(true, from, "TRACE", 0, 5)) {
          return "TRACE";
        }
        if (s.regionMatches(true, from, "FATAL", 0, 5)) {
          return "FATAL";
        }
        return null;
      case 7:
        return s.regionMatches(true, from, "WARNING", 0, 7) ? "WARN" : null;
      case 8:
        return s.regionMatches(true, from, "CRITICAL", 0, 8) ? "FATAL" : null;
      default:
        return null;
    }
  }

  static String level(String s) {
    return s == null ? null : level(s, 0, s.length());
  }
}
