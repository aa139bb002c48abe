package dev.taillight.collector.parse;

/**
 * Gives the same String for the same request id read from different lines (START, the application's lines, END,
 * REPORT all name it), so an invocation's lines share one copy instead of one each, and the String's cached hash
 * serves every map it goes into.
 *
 * <p>A small direct-mapped cache per thread: a slot holds the last 36-character id read that maps to it, with its
 * characters packed into five longs beside it. An id is looked up by comparing those longs with the characters in
 * the line being read (which are in the processor's cache already), so a hit reads nothing of the cached String:
 * by the time an invocation's END or REPORT comes, its id String is long out of the cache, and comparing with it
 * cost two memory fetches per line. Ids of any other length are copied.
 */
final class RequestIds {
  private RequestIds() {}

  private static final int SLOTS = 512;
  private static final int LEN = 36;

  private static final class Table {
    final String[] ids = new String[SLOTS];
    final long[] packed = new long[SLOTS * 5];
    /** Whether {@code ids[slot]} is shaped like a Lambda request id ({@link Scan#isRequestIdAt}). */
    final boolean[] shaped = new boolean[SLOTS];
  }

  private static final ThreadLocal<Table> TABLES = ThreadLocal.withInitial(Table::new);

  /** {@code s[from, to)} as a String, the cached one when it is equal. */
  static String of(String s, int from, int to) {
    if (to - from != LEN) {
      return s.substring(from, to);
    }
    return cached(s, from, false);
  }

  /**
   * The 36 characters of {@code s} at {@code from} (there must be as many) as a String, the cached one when it is
   * equal, if they are shaped like a Lambda request id ({@link Scan#isRequestIdAt} of them alone), else null. The
   * shape of a cached id was checked when it was cached: a line naming an id seen before is not checked again.
   */
  static String lambdaId(String s, int from) {
    return cached(s, from, true);
  }

  /** {@link #of} of the 36 characters at {@code from}; null if {@code shapedOnly} and they are not id-shaped. */
  private static String cached(String s, int from, boolean shapedOnly) {
    int to = from + LEN;
    long w0 = pack(s, from);
    long w1 = pack(s, from + 8);
    long w2 = pack(s, from + 16);
    long w3 = pack(s, from + 24);
    long w4 = pack4(s, from + 32);
    if ((w0 | w1 | w2 | w3 | w4) < 0) {
      // a character beyond ASCII: not a Lambda request id
      return shapedOnly ? null : s.substring(from, to);
    }
    int slot = (int) (((w0 ^ w1 * 31 ^ w2 * 961 ^ w3 * 29791 ^ w4) * 0x9E3779B97F4A7C15L) >>> (64 - 9));
    Table t = TABLES.get();
    int p = slot * 5;
    long[] k = t.packed;
    String id = t.ids[slot];
    if (id != null && k[p] == w0 && k[p + 1] == w1 && k[p + 2] == w2 && k[p + 3] == w3 && k[p + 4] == w4) {
      return shapedOnly && !t.shaped[slot] ? null : id;
    }
    id = s.substring(from, to);
    boolean shaped = Scan.isRequestIdAt(id, 0);
    t.ids[slot] = id;
    t.shaped[slot] = shaped;
    k[p] = w0;
    k[p + 1] = w1;
    k[p + 2] = w2;
    k[p + 3] = w3;
    k[p + 4] = w4;
    return shapedOnly && !shaped ? null : id;
  }

  /** Eight characters from {@code i}, a byte each; -1 when one is not ASCII. */
  private static long pack(String s, int i) {
    long hi = pack4(s, i);
    long lo = pack4(s, i + 4);
    return (hi | lo) < 0 ? -1 : hi << 32 | lo;
  }

  /** Four characters from {@code i}, a byte each; -1 when one is not ASCII. */
  private static int pack4(String s, int i) {
    int a = s.charAt(i);
    int b = s.charAt(i + 1);
    int c = s.charAt(i + 2);
    int d = s.charAt(i + 3);
    return (a | b | c | d) > 0x7f ? -1 : a << 24 | b << 16 | c << 8 | d;
  }
}
