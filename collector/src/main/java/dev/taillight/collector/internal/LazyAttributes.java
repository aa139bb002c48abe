package dev.taillight.collector.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable attribute map that points into the span line it was read from: keys and string values stay slices
 * of that line until someone asks for them, then are made into Strings once and kept. Numbers and booleans are
 * held unboxed; lists and maps (rare) are held as read. Internal: public only so that {@code SpanData} can keep it
 * without copying; not part of the collector's API.
 *
 * <p>It behaves as the {@code Map.copyOf} of the map an eager reader would have filled: same entries (a later
 * duplicate key replaces an earlier one; entries of a {@linkplain #parent() parent}, the resource attributes, show
 * where the span has no entry of the same key), no null keys or values, {@code get(null)} throws, every mutator
 * throws {@link UnsupportedOperationException}, and equality and hash code are {@link Map}'s.
 *
 * <p>Thread-safe: instances are immutable; the Strings made on first access are cached with benign races
 * (Strings and boxed numbers are immutable, so a reader sees either nothing yet or the complete value).
 *
 * <h2>Layout</h2>
 *
 * Entry {@code i} has a key (slice {@code [keyStart, keyEnd)} of {@code src}, or a key String when the key had
 * escapes) with a {@linkplain #fingerprint fingerprint} (length and three characters: unlike a hash code it costs
 * the same for any length, and it tells apart the attribute names a span carries well enough that a lookup
 * compares about one key), a type, and a value: a slice of {@code src} for strings without
 * escapes, the bits of a long/double/boolean in {@code prim}, or an Object. {@code cache[2i]} holds the key String
 * once made, {@code cache[2i+1]} the value.
 */
public final class LazyAttributes extends AbstractMap<String, Object> {
  private static final byte STRING = 1;
  private static final byte LONG = 2;
  private static final byte DOUBLE = 3;
  private static final byte BOOL = 4;
  private static final byte OBJECT = 5;

  private static final LazyAttributes EMPTY = new LazyAttributes("", 0, new int[0], new long[0], new byte[0],
      new Object[0], null, 0, 0);

  private final String src;
  private final int n;
  /** Per entry: key fingerprint, key start, key end (end is -1 when the key String is in the cache). */
  private final int[] meta;
  /** Per entry: long value, double bits, 0/1, or (start << 32 | end) of a string slice. */
  private final long[] prim;
  private final byte[] type;
  /** Per entry: key String, value (made on first use, or given). */
  private final Object[] cache;
  private final LazyAttributes parent;
  /** Bit i set: the parent's entry i is hidden by an entry of this map with the same key. */
  private final long[] hidden;
  private final int size;
  /** The filter bits of this map's keys and its parent's: a key whose bit is clear is absent. */
  private final long filter;
  /** The filter bits of this map's own keys. */
  private final long ownFilter;
  /**
   * Where the {@linkplain #KNOWN known keys} are among this map's own entries: seven bits per key ({@link #KNOWN}
   * order), 0 when the key is not one of them, the entry's index + 1, or {@link #SEARCH} when that index does not
   * fit (the entry is then searched for).
   */
  private final long known;
  private Set<Map.Entry<String, Object>> entrySet;

  /** {@code ownFilter}: the filter bits of this map's own keys; {@code known}: see {@link #known}. */
  private LazyAttributes(String src, int n, int[] meta, long[] prim, byte[] type, Object[] cache,
      LazyAttributes parent, long ownFilter, long known) {
    this.src = src;
    this.n = n;
    this.meta = meta;
    this.prim = prim;
    this.type = type;
    this.cache = cache;
    this.parent = parent == null || parent.isEmpty() ? null : parent;
    this.ownFilter = ownFilter;
    this.known = known;
    this.filter = this.parent == null ? ownFilter : ownFilter | this.parent.filter;
    if (this.parent == null) {
      this.hidden = null;
      this.size = n;
    } else {
      this.hidden = hiddenIn(this.parent);
      int h = 0;
      for (long w : hidden) {
        h += Long.bitCount(w);
      }
      this.size = n + this.parent.size - h;
    }
  }

  /** The empty map. */
  public static LazyAttributes empty() {
    return EMPTY;
  }

  /** This map's own entries over {@code parent}'s (the same arrays, shared). */
  public LazyAttributes withParent(LazyAttributes parent) {
    return new LazyAttributes(src, n, meta, prim, type, cache, parent, ownFilter, known);
  }

  /** The attributes this map falls back to (the resource's), or null. */
  public LazyAttributes parent() {
    return parent;
  }

  private long[] hiddenIn(LazyAttributes p) {
    long[] h = new long[(p.n + 63) >>> 6];
    // a 64-bit filter of this map's key fingerprints spares most key comparisons
    long own = ownFilter;
    for (int j = 0; j < p.n; j++) {
      if ((own & bit(p.meta[3 * j])) != 0 && p.hasKeyOf(j, this)) {
        h[j >>> 6] |= 1L << j;
      }
    }
    return h;
  }

  /** Whether {@code other} has an entry with the key of this map's entry {@code j}. */
  private boolean hasKeyOf(int j, LazyAttributes other) {
    int h = meta[3 * j];
    int end = meta[3 * j + 2];
    if (end < 0) {
      return other.indexOf((String) cache[2 * j], h) >= 0;
    }
    int start = meta[3 * j + 1];
    int len = end - start;
    for (int i = 0; i < other.n; i++) {
      if (other.meta[3 * i] != h) {
        continue;
      }
      int oe = other.meta[3 * i + 2];
      if (oe < 0) {
        String k = (String) other.cache[2 * i];
        if (k.length() == len && src.startsWith(k, start)) {
          return true;
        }
      } else {
        int os = other.meta[3 * i + 1];
        if (oe - os == len && src.regionMatches(start, other.src, os, len)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean isHidden(int parentIndex) {
    return (hidden[parentIndex >>> 6] & (1L << parentIndex)) != 0;
  }

  // ---- reads

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public Object get(Object key) {
    Objects.requireNonNull(key, "key");
    if (!(key instanceof String k)) {
      return null;
    }
    int slot = knownSlot(k);
    if (slot >= 0) {
      int i = -1;
      LazyAttributes m = this;
      while (m != null && (i = m.knownIndex(slot, k)) < 0) {
        m = m.parent;
      }
      return m == null ? null : m.value(i);
    }
    int h = fingerprint(k, 0, k.length());
    if ((filter & bit(h)) == 0) {
      return null;
    }
    for (LazyAttributes m = this; m != null; m = m.parent) {
      int i = m.indexOf(k, h);
      if (i >= 0) {
        return m.value(i);
      }
    }
    return null;
  }

  @Override
  public boolean containsKey(Object key) {
    Objects.requireNonNull(key, "key");
    if (!(key instanceof String k)) {
      return false;
    }
    int slot = knownSlot(k);
    if (slot >= 0) {
      for (LazyAttributes m = this; m != null; m = m.parent) {
        if (m.knownIndex(slot, k) >= 0) {
          return true;
        }
      }
      return false;
    }
    int h = fingerprint(k, 0, k.length());
    if ((filter & bit(h)) == 0) {
      return false;
    }
    for (LazyAttributes m = this; m != null; m = m.parent) {
      if (m.indexOf(k, h) >= 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean containsValue(Object value) {
    Objects.requireNonNull(value, "value");
    return super.containsValue(value);
  }

  /** The index of this map's own entry with the known key {@code k} (in {@code slot}), or -1. */
  private int knownIndex(int slot, String k) {
    int v = (int) (known >>> (KNOWN_BITS_PER_KEY * slot)) & SEARCH;
    if (v == SEARCH) {
      return indexOf(k, fingerprint(k, 0, k.length()));
    }
    return v - 1;
  }

  private int indexOf(String k, int h) {
    int[] mt = meta;
    for (int i = 0; i < n; i++) {
      if (mt[3 * i] == h && keyIs(i, k)) {
        return i;
      }
    }
    return -1;
  }

  private boolean keyIs(int i, String k) {
    int end = meta[3 * i + 2];
    if (end < 0) {
      return k.equals(cache[2 * i]);
    }
    int start = meta[3 * i + 1];
    return k.length() == end - start && src.startsWith(k, start);
  }

  private String key(int i) {
    Object k = cache[2 * i];
    if (k == null) {
      k = src.substring(meta[3 * i + 1], meta[3 * i + 2]);
      cache[2 * i] = k;
    }
    return (String) k;
  }

  private Object value(int i) {
    Object v = cache[2 * i + 1];
    if (v != null) {
      return v;
    }
    long p = prim[i];
    v = switch (type[i]) {
      case STRING -> src.substring((int) (p >>> 32), (int) p);
      case LONG -> Long.valueOf(p);
      case DOUBLE -> Double.valueOf(Double.longBitsToDouble(p));
      case BOOL -> p != 0 ? Boolean.TRUE : Boolean.FALSE;
      default -> throw new IllegalStateException("attribute " + i + " has no value");
    };
    cache[2 * i + 1] = v;
    return v;
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    Objects.requireNonNull(action, "action");
    for (int i = 0; i < n; i++) {
      action.accept(key(i), value(i));
    }
    if (parent != null) {
      for (int j = 0; j < parent.n; j++) {
        if (!isHidden(j)) {
          action.accept(parent.key(j), parent.value(j));
        }
      }
    }
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    Set<Map.Entry<String, Object>> es = entrySet;
    if (es == null) {
      es = new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<String, Object>> iterator() {
          return new Entries();
        }

        @Override
        public int size() {
          return size;
        }
      };
      entrySet = es;
    }
    return es;
  }

  /** Own entries, then the parent's that no own entry hides. */
  private final class Entries implements Iterator<Map.Entry<String, Object>> {
    private int i;
    private int j = -1;

    Entries() {
      advanceParent();
    }

    private void advanceParent() {
      if (parent == null) {
        return;
      }
      do {
        j++;
      } while (j < parent.n && isHidden(j));
    }

    @Override
    public boolean hasNext() {
      return i < n || (parent != null && j < parent.n);
    }

    @Override
    public Map.Entry<String, Object> next() {
      if (i < n) {
        int k = i++;
        return Map.entry(key(k), value(k));
      }
      if (parent != null && j < parent.n) {
        int k = j;
        advanceParent();
        return Map.entry(parent.key(k), parent.value(k));
      }
      throw new NoSuchElementException();
    }
  }

  // ---- mutators throw, as Map.copyOf's do

  @Override
  public Object put(String key, Object value) {
    throw new UnsupportedOperationException("attributes are immutable");
  }

  @Override
  public Object remove(Object key) {
    throw new UnsupportedOperationException("attributes are immutable");
  }

  @Override
  public void putAll(Map<? extends String, ?> m) {
    throw new UnsupportedOperationException("attributes are immutable");
  }

  @Override
  public void clear() {
    throw new UnsupportedOperationException("attributes are immutable");
  }

  // ---- building

  /**
   * The fingerprint of the key {@code s[from, to)}: its length and its first, middle and last characters. Equal
   * keys have equal fingerprints; a lookup compares the keys whose fingerprint matches.
   */
  public static int fingerprint(String s, int from, int to) {
    int len = to - from;
    if (len == 0) {
      return 0;
    }
    return fingerprint(len, s.charAt(from), s.charAt(from + (len >>> 1)), s.charAt(to - 1));
  }

  /**
   * The fingerprint of a key of {@code len} (at least 1) characters whose first, middle ({@code len / 2}) and last
   * characters are given.
   */
  public static int fingerprint(int len, int first, int middle, int last) {
    return len * 0x01000193 ^ (first << 20) ^ (middle << 10) ^ last;
  }

  /** The bit of a 64-bit filter that a fingerprint sets. */
  private static long bit(int fingerprint) {
    return 1L << ((fingerprint * 0x9E3779B9) >>> 26);
  }

  // ---- known keys

  /**
   * The keys the collector reads from every span it correlates (the invocation's id and service, what its span says
   * about cold start, billing, memory and architecture): each map notes where they are among its entries as it is
   * built, so reading them needs no search. Their lengths differ, so a key's length tells which one it may be.
   */
  private static final String[] KNOWN = {"faas.invocation_id", "service.name", "aws.lambda.init_duration_ms",
    "aws.lambda.restore_duration_ms", "faas.coldstart", "aws.lambda.estimated_billed_duration_ms",
    "faas.max_memory", "aws.lambda.architecture", "aws.lambda.timeout_warning"};
  private static final int KNOWN_BITS_PER_KEY = 7;
  /** The mark of a known key at an index too large for its seven bits. */
  private static final int SEARCH = (1 << KNOWN_BITS_PER_KEY) - 1;
  /** Per key length (up to 63): the slot in {@link #KNOWN} of the known key of that length, or -1. */
  private static final byte[] KNOWN_BY_LENGTH = new byte[64];
  private static final int[] KNOWN_FINGERPRINTS = new int[KNOWN.length];
  /**
   * Per known key: its characters as bytes in little-endian words (as {@link #word} reads them), at 0, 8, ... and a
   * last one ending with the key (every known key has more than eight characters).
   */
  private static final long[][] KNOWN_WORDS = new long[KNOWN.length][];
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  /** The filter bits of the known keys: an entry whose bit is not among them is none of them. */
  private static final long KNOWN_FILTER;

  static {
    java.util.Arrays.fill(KNOWN_BY_LENGTH, (byte) -1);
    long f = 0;
    for (int i = 0; i < KNOWN.length; i++) {
      String k = KNOWN[i];
      if (KNOWN_BY_LENGTH[k.length()] >= 0 || KNOWN.length * KNOWN_BITS_PER_KEY > 63) {
        throw new ExceptionInInitializerError("known keys must differ in length and fit a long");
      }
      KNOWN_BY_LENGTH[k.length()] = (byte) i;
      KNOWN_FINGERPRINTS[i] = fingerprint(k, 0, k.length());
      f |= bit(KNOWN_FINGERPRINTS[i]);
      byte[] kb = k.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      long[] w = new long[k.length() / 8 + 1];
      for (int j = 0; j + 1 < w.length; j++) {
        w[j] = word(kb, 8 * j);
      }
      w[w.length - 1] = word(kb, kb.length - 8);
      KNOWN_WORDS[i] = w;
    }
    KNOWN_FILTER = f;
  }

  /** The eight bytes of {@code b} at {@code i}, the first in the lowest bits. */
  private static long word(byte[] b, int i) {
    return (long) LONGS.get(b, i);
  }

  /** Whether {@code b[from, from + key length)} holds the bytes of known key {@code slot}. */
  private static boolean knownAt(byte[] b, int from, int slot) {
    long[] w = KNOWN_WORDS[slot];
    int last = w.length - 1;
    for (int j = 0; j < last; j++) {
      if (word(b, from + 8 * j) != w[j]) {
        return false;
      }
    }
    return word(b, from + KNOWN[slot].length() - 8) == w[last];
  }

  /** The slot of {@code k} in {@link #KNOWN}, or -1 when it is none of them. */
  private static int knownSlot(String k) {
    int len = k.length();
    if (len >= KNOWN_BY_LENGTH.length) {
      return -1;
    }
    int slot = KNOWN_BY_LENGTH[len];
    if (slot < 0) {
      return -1;
    }
    String known = KNOWN[slot];
    return k == known || k.equals(known) ? slot : -1;
  }

  /**
   * Collects the entries of one attribute list while a reader walks it; reusable after {@link #build}. Not
   * thread-safe. A key is the slice {@code [ks, ke)} of the source when {@code key} is null, else {@code key} (one
   * that had escapes). A later entry with the same key replaces the earlier one.
   */
  public static final class Builder {
    private String src;
    /** The characters of {@link #src} as bytes at the same positions, above U+00FF as '?'; or null. */
    private byte[] bytes;
    private int n;
    private int[] meta = new int[3 * 16];
    private long[] prim = new long[16];
    private byte[] type = new byte[16];
    private Object[] objects = new Object[2 * 16];
    /** The filter bit of every key added: most new keys need no search for an earlier equal one. */
    private long filter;

    /** Starts a new, empty list over {@code src}. */
    public Builder reset(String src) {
      return reset(src, null);
    }

    /**
     * Starts a new, empty list over {@code src}, whose characters {@code bytes} holds one per byte at the same
     * positions (those above U+00FF as {@code '?'}, as a span-line reader has them): known keys are then recognised
     * on the bytes, eight at a time.
     */
    public Builder reset(String src, byte[] bytes) {
      this.src = src;
      this.bytes = bytes != null && bytes.length == src.length() ? bytes : null;
      n = 0; // (add overwrites every slot it uses, so stale ones need no clearing)
      filter = 0;
      return this;
    }

    public boolean isEmpty() {
      return n == 0;
    }

    /** Adds a string value that is the slice {@code [vs, ve)} of the source. */
    public void addString(int ks, int ke, String key, int vs, int ve) {
      addString(ks, ke, key, keyFingerprint(ks, ke, key), vs, ve);
    }

    public void addLong(int ks, int ke, String key, long v) {
      addLong(ks, ke, key, keyFingerprint(ks, ke, key), v);
    }

    public void addDouble(int ks, int ke, String key, double v) {
      addDouble(ks, ke, key, keyFingerprint(ks, ke, key), v);
    }

    public void addBoolean(int ks, int ke, String key, boolean v) {
      addBoolean(ks, ke, key, keyFingerprint(ks, ke, key), v);
    }

    /** Adds a value already made (a String with escapes, an unmodifiable List or Map). */
    public void addObject(int ks, int ke, String key, Object v) {
      addObject(ks, ke, key, keyFingerprint(ks, ke, key), v);
    }

    // the same, for a reader that has the key's fingerprint already ({@link LazyAttributes#fingerprint})

    public void addString(int ks, int ke, String key, int fingerprint, int vs, int ve) {
      add(ks, ke, key, fingerprint, STRING, ((long) vs << 32) | (ve & 0xffffffffL), null);
    }

    public void addLong(int ks, int ke, String key, int fingerprint, long v) {
      add(ks, ke, key, fingerprint, LONG, v, null);
    }

    public void addDouble(int ks, int ke, String key, int fingerprint, double v) {
      add(ks, ke, key, fingerprint, DOUBLE, Double.doubleToRawLongBits(v), null);
    }

    public void addBoolean(int ks, int ke, String key, int fingerprint, boolean v) {
      add(ks, ke, key, fingerprint, BOOL, v ? 1 : 0, null);
    }

    public void addObject(int ks, int ke, String key, int fingerprint, Object v) {
      add(ks, ke, key, fingerprint, OBJECT, 0, Objects.requireNonNull(v, "v"));
    }

    private int keyFingerprint(int ks, int ke, String key) {
      return key != null ? fingerprint(key, 0, key.length()) : fingerprint(src, ks, ke);
    }

    private void add(int ks, int ke, String key, int h, byte t, long p, Object o) {
      long bit = bit(h);
      int i = (filter & bit) == 0 ? -1 : find(ks, ke, key, h);
      filter |= bit;
      if (i < 0) {
        if (n == type.length) {
          grow();
        }
        i = n++;
      }
      meta[3 * i] = h;
      meta[3 * i + 1] = key != null ? 0 : ks;
      meta[3 * i + 2] = key != null ? -1 : ke;
      type[i] = t;
      prim[i] = p;
      objects[2 * i] = key;
      objects[2 * i + 1] = o;
    }

    /** {@link LazyAttributes#known} of the entries added. */
    private long known() {
      long known = 0;
      for (int i = 0; i < n; i++) {
        int h = meta[3 * i];
        if ((KNOWN_FILTER & bit(h)) == 0) {
          continue;
        }
        int end = meta[3 * i + 2];
        String key = end < 0 ? (String) objects[2 * i] : null;
        int start = meta[3 * i + 1];
        int len = key != null ? key.length() : end - start;
        int slot = len < KNOWN_BY_LENGTH.length ? KNOWN_BY_LENGTH[len] : -1;
        if (slot < 0 || KNOWN_FINGERPRINTS[slot] != h) {
          continue;
        }
        String k = KNOWN[slot];
        if (key != null ? key.equals(k) : bytes != null ? knownAt(bytes, start, slot) : src.startsWith(k, start)) {
          // (keys are unique among the entries: a later equal key replaced the earlier entry)
          known |= (long) Math.min(i + 1, SEARCH) << (KNOWN_BITS_PER_KEY * slot);
        }
      }
      return known;
    }

    private int find(int ks, int ke, String key, int h) {
      for (int i = 0; i < n; i++) {
        if (meta[3 * i] != h) {
          continue;
        }
        int e = meta[3 * i + 2];
        boolean same;
        if (e < 0) {
          String k = (String) objects[2 * i];
          same = key != null ? key.equals(k) : k.length() == ke - ks && src.startsWith(k, ks);
        } else {
          int s = meta[3 * i + 1];
          same = key != null ? key.length() == e - s && src.startsWith(key, s)
              : e - s == ke - ks && src.regionMatches(s, src, ks, e - s);
        }
        if (same) {
          return i;
        }
      }
      return -1;
    }

    private void grow() {
      int cap = type.length * 2;
      meta = java.util.Arrays.copyOf(meta, 3 * cap);
      prim = java.util.Arrays.copyOf(prim, cap);
      type = java.util.Arrays.copyOf(type, cap);
      objects = java.util.Arrays.copyOf(objects, 2 * cap);
    }

    /** The map of the entries added since {@link #reset}, over {@code parent} (may be null). */
    public LazyAttributes build(LazyAttributes parent) {
      if (n == 0) {
        return parent == null ? EMPTY : parent;
      }
      Object[] cache = new Object[2 * n];
      System.arraycopy(objects, 0, cache, 0, 2 * n);
      return new LazyAttributes(src, n, java.util.Arrays.copyOf(meta, 3 * n), java.util.Arrays.copyOf(prim, n),
          java.util.Arrays.copyOf(type, n), cache, parent, filter, known());
    }
  }
}
