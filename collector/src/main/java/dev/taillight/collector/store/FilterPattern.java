package dev.taillight.collector.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A text search over log lines, written like a CloudWatch Logs filter pattern for unstructured lines, and
 * translated to an SQLite FTS5 query.
 *
 * <p>Supported syntax:
 *
 * <ul>
 *   <li>{@code ERROR timeout}: space-separated terms; a line must contain all of them.
 *   <li>{@code "payment declined"}: a quoted phrase; its words must appear next to each other, in order.
 *   <li>{@code -retry} (or {@code -"some phrase"}): the line must not contain it.
 *   <li>{@code ?ERROR ?WARN}: optional terms; the line must contain at least one of them (and all plain terms).
 *   <li>{@code Order*}: a trailing {@code *} matches any word starting with {@code Order}.
 * </ul>
 *
 * <p>Matching is by whole words (letters and digits; punctuation separates words), case-insensitive. A term
 * with punctuation inside, such as {@code order-1234} or {@code a.b.c}, matches those words in sequence. This
 * differs from CloudWatch, which matches exact case-sensitive substrings. A pattern needs at least one term
 * that is not excluded. JSON filter patterns ({@code { $.x = 1 }}) are not supported.
 */
public final class FilterPattern {
  private final List<Term> required;
  private final List<Term> optional;
  private final List<Term> excluded;

  /** One term: its words (folded as the full-text index folds them) and whether the last is a prefix. */
  private record Term(String fts, String[] words, boolean prefix) {
    boolean in(String[] line) {
      int k = words.length;
      for (int i = 0; i + k <= line.length; i++) {
        boolean all = true;
        for (int j = 0; j < k && all; j++) {
          all = prefix && j == k - 1 ? line[i + j].startsWith(words[j]) : line[i + j].equals(words[j]);
        }
        if (all) {
          return true;
        }
      }
      return false;
    }

    /**
     * False only when the term cannot be in the text: a word of it that is plain ASCII is not in it, ignoring
     * case (text with other characters may hold it with accents, so it may match).
     */
    boolean mayBeIn(String text) {
      for (String w : words) {
        if (isAscii(w) && !containsIgnoreCase(text, w) && isAscii(text)) {
          return false;
        }
      }
      return true;
    }

    /** The words of this term as an FTS5 query that needs no positions (all of them, last maybe a prefix). */
    String unordered() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < words.length; i++) {
        if (i > 0) {
          sb.append(" AND ");
        }
        sb.append('"').append(words[i].replace("\"", "\"\"")).append('"');
        if (prefix && i == words.length - 1) {
          sb.append(" *");
        }
      }
      return words.length > 1 ? "(" + sb + ")" : sb.toString();
    }
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code text} contains {@code lower} (lower-case ASCII) ignoring ASCII case. */
  private static boolean containsIgnoreCase(String text, String lower) {
    int n = lower.length();
    char first = lower.charAt(0);
    char firstUpper = Character.toUpperCase(first);
    for (int i = 0, last = text.length() - n; i <= last; i++) {
      char c = text.charAt(i);
      if ((c == first || c == firstUpper) && text.regionMatches(true, i, lower, 0, n)) {
        return true;
      }
    }
    return false;
  }

  private FilterPattern(List<Term> required, List<Term> optional, List<Term> excluded) {
    this.required = required;
    this.optional = optional;
    this.excluded = excluded;
  }

  /** How a term of a pattern counts: it must be in the line, one of the optional terms must be, or it must not. */
  public enum Role {
    REQUIRED,
    OPTIONAL,
    EXCLUDED
  }

  /** One term as written in a pattern, without its quotes and without its {@code -} or {@code ?} sign. */
  public record WrittenTerm(String text, Role role) {}

  /**
   * Splits a pattern into its terms: space-separated words or quoted phrases, each optionally signed with
   * {@code -} (excluded) or {@code ?} (optional). The local index and the Logs Insights query builder read a
   * pattern through this one splitter, so both see the same terms.
   *
   * @throws IllegalArgumentException when a quote is not closed
   */
  public static List<WrittenTerm> terms(String pattern) {
    String p = pattern.strip();
    List<WrittenTerm> out = new ArrayList<>();
    int i = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      Role role = Role.REQUIRED;
      if ((c == '-' || c == '?') && i + 1 < p.length() && !Character.isWhitespace(p.charAt(i + 1))) {
        role = c == '-' ? Role.EXCLUDED : Role.OPTIONAL;
        i++;
      }
      String term;
      if (p.charAt(i) == '"') {
        int end = p.indexOf('"', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed quote in search pattern: " + pattern);
        }
        term = p.substring(i + 1, end);
        i = end + 1;
      } else {
        int end = i;
        while (end < p.length() && !Character.isWhitespace(p.charAt(end))) {
          end++;
        }
        term = p.substring(i, end);
        i = end;
      }
      out.add(new WrittenTerm(term, role));
    }
    return out;
  }

  /**
   * Parses a pattern.
   *
   * @throws IllegalArgumentException with the reason when the pattern has no positive term, an unclosed quote
   *     or a JSON/metric pattern
   */
  public static FilterPattern parse(String pattern) {
    if (pattern == null || pattern.isBlank()) {
      throw new IllegalArgumentException("empty search pattern");
    }
    String p = pattern.strip();
    if (p.startsWith("{") || p.startsWith("[")) {
      throw new IllegalArgumentException(
          "JSON and space-delimited filter patterns ({ ... } or [ ... ]) are not supported: " + pattern);
    }
    List<Term> required = new ArrayList<>();
    List<Term> optional = new ArrayList<>();
    List<Term> excluded = new ArrayList<>();
    for (WrittenTerm w : terms(p)) {
      Term t = toTerm(w.text());
      if (t != null) {
        (w.role() == Role.REQUIRED ? required : w.role() == Role.OPTIONAL ? optional : excluded).add(t);
      }
    }
    if (required.isEmpty() && optional.isEmpty()) {
      throw new IllegalArgumentException(
          "a search pattern needs at least one term that is not excluded (-term): " + pattern);
    }
    return new FilterPattern(List.copyOf(required), List.copyOf(optional), List.copyOf(excluded));
  }

  /** The FTS5 MATCH expression for this pattern. */
  public String toFts5() {
    StringBuilder sb = new StringBuilder();
    for (Term r : required) {
      append(sb, r.fts());
    }
    if (!optional.isEmpty()) {
      append(sb, "(" + String.join(" OR ", optional.stream().map(Term::fts).toList()) + ")");
    }
    if (!excluded.isEmpty()) {
      sb.insert(0, '(').append(')');
    }
    for (Term e : excluded) {
      sb.append(" NOT ").append(e.fts());
    }
    return sb.toString();
  }

  /**
   * An FTS5 query that holds for every document (a block of many lines) with a line this pattern matches: every
   * required word and, of the optional terms, the words of one; no phrases (word order is checked per line by
   * {@link #matches}) and no exclusions (another line of the block may hold the excluded word).
   */
  String toBlockFts5() {
    StringBuilder sb = new StringBuilder();
    for (Term r : required) {
      append(sb, r.unordered());
    }
    if (!optional.isEmpty()) {
      append(sb, "(" + String.join(" OR ", optional.stream().map(Term::unordered).toList()) + ")");
    }
    return sb.toString();
  }

  /** Whether one line's message matches the whole pattern (the same rules the full-text index applies). */
  boolean matches(String message) {
    for (Term r : required) {
      if (!r.mayBeIn(message)) {
        return false;
      }
    }
    String[] words = Words.of(message);
    for (Term r : required) {
      if (!r.in(words)) {
        return false;
      }
    }
    if (!optional.isEmpty() && optional.stream().noneMatch(t -> t.in(words))) {
      return false;
    }
    for (Term e : excluded) {
      if (e.in(words)) {
        return false;
      }
    }
    return true;
  }

  private static void append(StringBuilder sb, String term) {
    if (sb.length() > 0) {
      sb.append(" AND ");
    }
    sb.append(term);
  }

  /** One term (as an FTS5 string, quoted so punctuation and keywords are literal), or null when it has no word. */
  private static Term toTerm(String term) {
    boolean prefix = term.endsWith("*");
    String body = prefix ? term.substring(0, term.length() - 1) : term;
    String[] words = Words.of(body);
    if (words.length == 0) {
      return null;
    }
    String quoted = "\"" + body.replace("\"", "\"\"") + "\"";
    return new Term(prefix ? quoted + " *" : quoted, words, prefix);
  }

  @Override
  public String toString() {
    return toFts5().toLowerCase(Locale.ROOT);
  }
}
