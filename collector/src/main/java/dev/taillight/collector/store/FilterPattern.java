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
  private final List<String> required;
  private final List<String> optional;
  private final List<String> excluded;

  private FilterPattern(List<String> required, List<String> optional, List<String> excluded) {
    this.required = required;
    this.optional = optional;
    this.excluded = excluded;
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
    List<String> required = new ArrayList<>();
    List<String> optional = new ArrayList<>();
    List<String> excluded = new ArrayList<>();
    int i = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      List<String> target = required;
      if ((c == '-' || c == '?') && i + 1 < p.length() && !Character.isWhitespace(p.charAt(i + 1))) {
        target = c == '-' ? excluded : optional;
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
      String fts = toFts(term);
      if (fts != null) {
        target.add(fts);
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
    for (String r : required) {
      append(sb, r);
    }
    if (!optional.isEmpty()) {
      append(sb, "(" + String.join(" OR ", optional) + ")");
    }
    if (!excluded.isEmpty()) {
      sb.insert(0, '(').append(')');
    }
    for (String e : excluded) {
      sb.append(" NOT ").append(e);
    }
    return sb.toString();
  }

  private static void append(StringBuilder sb, String term) {
    if (sb.length() > 0) {
      sb.append(" AND ");
    }
    sb.append(term);
  }

  /** One term as an FTS5 string (quoted, so punctuation and keywords are literal), or null when it has no word. */
  private static String toFts(String term) {
    boolean prefix = term.endsWith("*");
    String body = prefix ? term.substring(0, term.length() - 1) : term;
    boolean hasWord = body.codePoints().anyMatch(Character::isLetterOrDigit);
    if (!hasWord) {
      return null;
    }
    String quoted = "\"" + body.replace("\"", "\"\"") + "\"";
    return prefix ? quoted + " *" : quoted;
  }

  @Override
  public String toString() {
    return toFts5().toLowerCase(Locale.ROOT);
  }
}
