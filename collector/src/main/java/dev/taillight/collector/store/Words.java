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
}
