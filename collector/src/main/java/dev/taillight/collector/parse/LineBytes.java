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
   * elsewhere). Byte by byte: keys and values are mostly short, and an eight-at-a-time scan measured slower on them.
   */
  static int plainStringEnd(byte[] b, int from, int end) {
    for (int i = from; i < end; i++) {
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

  private static final boolean[] LOWER_HEX = new boolean[256];

  static {
    for (char c : "0123456789abcdef".toCharArray()) {
      LOWER_HEX[c] = true;
    }
  }

  /**
   * Whether the {@code len} bytes at {@code from} are lower-case hex digits, not all zero: an id that needs no
   * normalising ({@code TraceIds.normalize} and the span-id rule give it back as it is).
   */
  static boolean plainHexId(byte[] b, int from, int len) {
    boolean zero = true;
    for (int i = from; i < from + len; i++) {
      int c = b[i] & 0xff;
      if (!LOWER_HEX[c]) {
        return false;
      }
      zero &= c == '0';
    }
    return !zero;
  }

  /** The first position at or after {@code i} (before {@code end}) that is not JSON whitespace, or {@code end}. */
  static int skipWs(byte[] b, int i, int end) {
    while (i < end) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return i;
      }
      i++;
    }
    return end;
  }
}
