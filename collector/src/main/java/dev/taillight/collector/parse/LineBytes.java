package dev.taillight.collector.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A line's characters as bytes, one per character at the same position, so that the span-line reader can compare
 * the literal parts of the usual layout eight characters at a time and scan without {@code charAt}'s checks.
 * Characters above U+00FF (and each half of a surrogate pair) become {@code '?'}: every JSON structural character,
 * digit and letter of a literal is ASCII, so the structure the bytes show is the line's structure, and values are
 * still cut from the line itself (positions are the same). Names compared against the bytes are ASCII without
 * {@code '?'}.
 *
 * <p>Reads of eight bytes use a little-endian view: {@link #word} at {@code i} holds byte {@code i} in its lowest
 * bits. Callers check bounds against the end of the text they read before reading.
 */
final class LineBytes {
  private LineBytes() {}

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** The bytes of {@code s}: one per character, at the same positions. */
  static byte[] of(String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    if (b.length == s.length()) {
      return b; // (characters above U+00FF are '?' already)
    }
    // a surrogate pair became one '?': map character by character instead
    b = new byte[s.length()];
    for (int i = 0; i < b.length; i++) {
      char c = s.charAt(i);
      b[i] = c <= 0xff ? (byte) c : (byte) '?';
    }
    return b;
  }

  /** The eight bytes at {@code i} (needs {@code i + 8 <= b.length}). */
  static long word(byte[] b, int i) {
    return (long) LONGS.get(b, i);
  }

  /** The eight bytes of {@code lit} from {@code from} as {@link #word} reads them; for literal constants. */
  static long word(String lit, int from) {
    long w = 0;
    for (int k = 7; k >= 0; k--) {
      w = (w << 8) | (lit.charAt(from + k) & 0xff);
    }
    return w;
  }

  /**
   * Whether the {@code len} bytes at {@code i} (8 to 16, all before {@code end}) are the literal whose words at 0
   * and at {@code len - 8} are {@code w0} and {@code w1}.
   */
  static boolean at(byte[] b, int i, int end, int len, long w0, long w1) {
    return i >= 0 && i <= end - len && word(b, i) == w0 && word(b, i + len - 8) == w1;
  }

  /** As {@link #at(byte[], int, int, int, long, long)} for 16 to 24 bytes: words at 0, 8 and {@code len - 8}. */
  static boolean at(byte[] b, int i, int end, int len, long w0, long w1, long w2) {
    return i >= 0 && i <= end - len && word(b, i) == w0 && word(b, i + 8) == w1 && word(b, i + len - 8) == w2;
  }

  /**
   * Where the JSON string whose contents start at {@code from} ends: the position of its closing quote,
   * {@code end} when there is none before it, or -1 when a backslash comes first (escaped strings are read
   * elsewhere). Eight bytes at a time ({@link #quoteOrBackslash}) while eight can be read, then byte by byte.
   */
  static int plainStringEnd(byte[] b, int from, int end) {
    int i = from;
    int words = Math.min(end, b.length - 7); // a word can be read at any i below this
    for (; i < words; i += 8) {
      long t = quoteOrBackslash(word(b, i));
      if (t != 0) {
        int j = i + (Long.numberOfTrailingZeros(t) >>> 3);
        return j >= end ? end : b[j] == '"' ? j : -1;
      }
    }
    for (; i < end; i++) {
      byte c = b[i];
      if (c == '"') {
        return i;
      }
      if (c == '\\') {
        return -1;
      }
    }
    return end;
  }

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = 0x2222222222222222L;
  private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

  /**
   * The high bit of each byte of {@code w} that is a quote or a backslash, exact up to and including the lowest
   * such byte (the bytes above it may show false marks): its position is {@code numberOfTrailingZeros / 8}. Zero
   * when none is.
   */
  static long quoteOrBackslash(long w) {
    long q = w ^ QUOTES;
    long s = w ^ BACKSLASHES;
    return ((q - ONES) & ~q | (s - ONES) & ~s) & HIGHS;
  }

  /** Whether the eight bytes of {@code w} are all ASCII digits. */
  static boolean allDigits(long w) {
    long v = w - 0x3030303030303030L;
    return ((v | (v + 0x7676767676767676L)) & 0x8080808080808080L) == 0;
  }

  /** The number the eight ASCII digits of {@code w} write (first digit in the lowest byte). */
  static long eightDigits(long w) {
    long v = w - 0x3030303030303030L;
    v = v * 10 + (v >>> 8);
    return ((v & 0x000000FF000000FFL) * 0x000F424000000064L
        + ((v >>> 16) & 0x000000FF000000FFL) * 0x0000271000000001L) >>> 32;
  }

  /**
   * Whether the {@code len} bytes at {@code from} (a multiple of 8, all inside {@code b}) are lower-case hex digits,
   * not all zero: an id that needs no normalising ({@code TraceIds.normalize} and the span-id rule give it back as it
   * is). Eight bytes at a time ({@link #lowerHex}).
   */
  static boolean plainHexId(byte[] b, int from, int len) {
    boolean zero = true;
    for (int i = from; i < from + len; i += 8) {
      long w = word(b, i);
      if (!lowerHex(w)) {
        return false;
      }
      zero &= w == ZEROS;
    }
    return !zero;
  }

  private static final long ZEROS = 0x3030303030303030L;

  /** Whether the eight bytes of {@code w} are all {@code 0-9} or {@code a-f}. */
  static boolean lowerHex(long w) {
    // with every byte below 0x80, adding a constant to each byte cannot carry into the next one: the high bit of
    // byte + (0x80 - x) says byte >= x
    long atLeast0 = w + 0x5050505050505050L; // >= '0' (0x30)
    long above9 = w + 0x4646464646464646L; // >= ':' (0x3A)
    long atLeastA = w + 0x1F1F1F1F1F1F1F1FL; // >= 'a' (0x61)
    long aboveF = w + 0x1919191919191919L; // >= 'g' (0x67)
    long hex = (atLeast0 & ~above9) | (atLeastA & ~aboveF);
    return (w & HIGHS) == 0 && (hex & HIGHS) == HIGHS;
  }

  /** The first position at or after {@code i} (before {@code end}) that is not JSON whitespace, or {@code end}. */
  static int skipWs(byte[] b, int i, int end) {
    while (i < end) {
      byte c = b[i];
      if (c > ' ' || (c != ' ' && c != '\t' && c != '\n' && c != '\r')) {
        return i; // (one comparison for the usual character, above the space)
      }
      i++;
    }
    return end;
  }
}
