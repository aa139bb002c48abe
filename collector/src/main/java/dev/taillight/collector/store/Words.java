package dev.taillight.collector.store;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into words the way the full-text index does (SQLite FTS5's {@code unicode61} tokenizer with its
 * defaults): a word is a run of letters, digits and other numbers (and private-use characters); everything
 * else separates words; words are lower-cased and Latin letters lose their diacritics ({@code é} is {@code e}).
 * Text search re-checks the lines of a matching block with these words, so both must agree.
 */
final class Words {
  private Words() {}

  private static final String[] NONE = new String[0];

  static String[] of(String text) {
    List<String> out = null;
    StringBuilder word = new StringBuilder();
    int n = text.length();
    for (int i = 0; i < n; ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (isWordChar(cp)) {
        word.appendCodePoint(fold(cp));
      } else if (word.length() > 0) {
        if (out == null) {
          out = new ArrayList<>();
        }
        out.add(word.toString());
        word.setLength(0);
      }
    }
    if (word.length() > 0) {
      if (out == null) {
        out = new ArrayList<>(1);
      }
      out.add(word.toString());
    }
    return out == null ? NONE : out.toArray(NONE);
  }

  private static boolean isWordChar(int cp) {
    if (cp < 128) {
      return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    }
    return switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.PRIVATE_USE -> true;
      default -> false;
    };
  }

  private static int fold(int cp) {
    if (cp < 128) {
      return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    }
    int lower = Character.toLowerCase(cp);
    if ((lower >= 0xC0 && lower < 0x250) || (lower >= 0x1E00 && lower < 0x1F00)) {
      String d = Normalizer.normalize(new String(Character.toChars(lower)), Normalizer.Form.NFD);
      char base = d.charAt(0);
      if (base < 128 && Character.isLetter(base)) {
        return base;
      }
    }
    return lower;
  }

  /**
   * The distinct words of several texts, split and folded exactly as {@link #of} does, collected into one
   * space-separated document without a String per word: words are appended to one char buffer and looked up
   * in an open-addressing table of their positions. Reusable ({@link #clear}); not thread-safe.
   */
  static final class Distinct {
    private char[] doc = new char[1 << 12];
    private int len;
    private int[] starts = new int[256];
    private int[] lengths = new int[256];
    private int[] hashes = new int[256];
    private int count;
    /** Word index + 1 per slot, 0 for a free slot; the size is a power of two, at most half full. */
    private int[] table = new int[512];

    void clear() {
      len = 0;
      if (count > 0) {
        java.util.Arrays.fill(table, 0);
        count = 0;
      }
    }

    /** Adds the words of {@code text}. */
    void add(String text) {
      int n = text.length();
      int start = len;
      int h = 0;
      for (int i = 0; i < n; ) {
        char c = text.charAt(i);
        if (c < 128) {
          i++;
          if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            append(c);
            h = 31 * h + c;
          } else if (c >= 'A' && c <= 'Z') {
            char l = (char) (c + 32);
            append(l);
            h = 31 * h + l;
          } else if (len > start) {
            end(start, h);
            start = len;
            h = 0;
          }
          continue;
        }
        int cp = text.codePointAt(i);
        i += Character.charCount(cp);
        if (isWordChar(cp)) {
          int f = fold(cp);
          if (Character.isBmpCodePoint(f)) {
            append((char) f);
            h = 31 * h + f;
          } else {
            char hi = Character.highSurrogate(f);
            char lo = Character.lowSurrogate(f);
            append(hi);
            append(lo);
            h = 31 * (31 * h + hi) + lo;
          }
        } else if (len > start) {
          end(start, h);
          start = len;
          h = 0;
        }
      }
      if (len > start) {
        end(start, h);
      }
    }

    /** The words added since {@link #clear}, each once, separated by spaces (in no particular order). */
    String document() {
      return len == 0 ? "" : new String(doc, 0, len - 1);
    }

    /** Number of distinct words added since {@link #clear}. */
    int size() {
      return count;
    }

    private void append(char c) {
      if (len == doc.length) {
        doc = java.util.Arrays.copyOf(doc, doc.length * 2);
      }
      doc[len++] = c;
    }

    /** The word in {@code doc[start, len)} has ended: keeps it (and a space) if new, else drops it. */
    private void end(int start, int h) {
      int wordLen = len - start;
      int mix = h ^ (h >>> 16);
      int mask = table.length - 1;
      for (int slot = mix & mask; ; slot = (slot + 1) & mask) {
        int e = table[slot];
        if (e == 0) {
          add(start, wordLen, h);
          table[slot] = count;
          if (count * 2 > table.length) {
            rehash();
          }
          append(' ');
          return;
        }
        e--;
        if (hashes[e] == h && lengths[e] == wordLen
            && java.util.Arrays.equals(doc, starts[e], starts[e] + wordLen, doc, start, len)) {
          len = start;
          return;
        }
      }
    }

    private void add(int start, int wordLen, int h) {
      if (count == starts.length) {
        starts = java.util.Arrays.copyOf(starts, count * 2);
        lengths = java.util.Arrays.copyOf(lengths, count * 2);
        hashes = java.util.Arrays.copyOf(hashes, count * 2);
      }
      starts[count] = start;
      lengths[count] = wordLen;
      hashes[count] = h;
      count++;
    }

    private void rehash() {
      table = new int[table.length * 2];
      int mask = table.length - 1;
      for (int e = 0; e < count; e++) {
        int h = hashes[e];
        int slot = (h ^ (h >>> 16)) & mask;
        while (table[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        table[slot] = e + 1;
      }
    }
  }
}
