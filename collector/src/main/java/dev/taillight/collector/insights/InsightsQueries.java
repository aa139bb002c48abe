package dev.taillight.collector.insights;

import dev.taillight.collector.store.FilterPattern;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Translates {@link SearchCriteria} into CloudWatch Logs Insights queries that find the log lines of matching
 * invocations. Pure functions; thread-safe.
 *
 * <h2>What the query selects</h2>
 *
 * <pre>
 * A query finds lines, not invocations, so it selects CANDIDATE lines and Taillight decides: the invocations
 * around the returned lines are fetched whole into the index, and the index's own search (the same one that
 * answers local searches) picks the results. The query therefore selects a superset of what the local search
 * would accept, never less:
 *
 *   TEXT given           lines matching the text: every plain term and phrase as a case-insensitive regex
 *                        (words of a phrase joined by any run of non-alphanumerics, a trailing * dropped),
 *                        ?optional terms as one alternation, -excluded terms as "not like" whole words.
 *                        The other criteria (status, cold, duration) are checked on the fetched invocations.
 *   --errors/--timeouts  lines that mark a failure: REPORT or INIT_REPORT "Status: error|timeout|failure",
 *                        "Task timed out after", "Runtime exited", an error record ("errorType"), a JSON
 *                        platform record with such a status, a span line with status code 2 (ERROR).
 *   otherwise            REPORT lines (text "REPORT RequestId:" or JSON "platform.report"), narrowed by
 *                        cold start (Init/Restore Duration present or absent) and duration (@duration, which
 *                        Logs Insights discovers in Lambda's text REPORT lines, or record.metrics.durationMs
 *                        of the JSON log format).
 *
 * Every query returns @timestamp, @message, @logStream, @log and @requestId, newest first, at most 10,000 rows
 * (the Logs Insights maximum); a query over more than 50 log groups (the StartQuery maximum) is split.
 * </pre>
 */
public final class InsightsQueries {
  /** Most log groups one StartQuery accepts. */
  public static final int MAX_GROUPS = 50;

  /** Most rows one Logs Insights query returns. */
  public static final int MAX_ROWS = 10_000;

  /** The fields every query returns. */
  static final String FIELDS = "fields @timestamp, @message, @logStream, @log, @requestId";

  static final String REPORT = "^REPORT RequestId:|\"type\":\"platform\\.report\"";
  static final String COLD = "^REPORT RequestId:.*(Init|Restore) Duration:"
      + "|\"type\":\"platform\\.report\".*\"(init|restore)DurationMs\"";
  static final String FAILURE = "Status: (error|timeout|failure)|Task timed out after|Runtime exited|\"errorType\""
      + "|\"status\":\"(error|timeout|failure)\"|\"code\":(2\\}|\"STATUS_CODE_ERROR\")";
  static final String TIMEOUT = "Status: timeout|Task timed out after|\"status\":\"timeout\"";

  private InsightsQueries() {}

  /** The query string for {@code criteria}, returning at most {@code limit} rows (capped at {@link #MAX_ROWS}). */
  public static String queryString(SearchCriteria criteria, int limit) {
    return FIELDS + "\n| filter " + filter(criteria) + "\n| sort @timestamp desc\n| limit "
        + Math.max(1, Math.min(MAX_ROWS, limit));
  }

  /**
   * The queries for {@code criteria} over {@code logGroups} in {@code [fromMillis, toMillis)}: one per 50 groups,
   * each returning up to {@link #MAX_ROWS} rows. The range is widened to whole seconds, as StartQuery counts
   * (the end rounded up: whether the end second counts whole differs between Logs Insights and emulators).
   */
  public static List<InsightsQuery> queries(SearchCriteria criteria, List<String> logGroups, long fromMillis,
      long toMillis) {
    if (toMillis <= fromMillis) {
      throw new IllegalArgumentException("empty time range");
    }
    String q = queryString(criteria, MAX_ROWS);
    long start = Math.floorDiv(fromMillis, 1000);
    long end = Math.floorDiv(toMillis + 999, 1000);
    List<InsightsQuery> out = new ArrayList<>();
    for (int i = 0; i < logGroups.size(); i += MAX_GROUPS) {
      out.add(new InsightsQuery(q, logGroups.subList(i, Math.min(logGroups.size(), i + MAX_GROUPS)), start, end));
    }
    return out;
  }

  /** The condition of the {@code filter} command. */
  static String filter(SearchCriteria c) {
    if (c.text() != null) {
      String text = textFilter(c.text());
      if (text != null) {
        return text;
      }
    }
    if (c.timeoutsOnly()) {
      return like(TIMEOUT);
    }
    if (c.errorsOnly()) {
      return like(FAILURE);
    }
    List<String> and = new ArrayList<>();
    and.add(like(REPORT));
    if (c.coldStart() != null) {
      and.add(c.coldStart() ? like(COLD) : "@message not like /" + COLD + "/");
    }
    if (c.minDurationMs() != null) {
      and.add(duration(">=", c.minDurationMs()));
    }
    if (c.maxDurationMs() != null) {
      and.add(duration("<=", c.maxDurationMs()));
    }
    return and.size() == 1 ? and.get(0) : String.join(" and ", and.stream().map(InsightsQueries::paren).toList());
  }

  private static String paren(String s) {
    return s.startsWith("(") ? s : "(" + s + ")";
  }

  private static String like(String regex) {
    return "@message like /" + regex + "/";
  }

  private static String duration(String op, double ms) {
    String n = number(ms);
    return "(@duration " + op + " " + n + " or record.metrics.durationMs " + op + " " + n + ")";
  }

  static String number(double v) {
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /**
   * The condition for a filter pattern, or null when it has no term with a word in it.
   *
   * @throws IllegalArgumentException when a quote is not closed (as the local search says)
   */
  static String textFilter(String pattern) {
    List<String> required = new ArrayList<>();
    List<String> optional = new ArrayList<>();
    List<String> excluded = new ArrayList<>();
    for (FilterPattern.WrittenTerm w : FilterPattern.terms(pattern)) {
      boolean exclude = w.role() == FilterPattern.Role.EXCLUDED;
      String regex = termRegex(w.text(), exclude);
      if (regex != null) {
        (exclude ? excluded : w.role() == FilterPattern.Role.OPTIONAL ? optional : required).add(regex);
      }
    }
    if (required.isEmpty() && optional.isEmpty()) {
      return null;
    }
    List<String> and = new ArrayList<>();
    for (String r : required) {
      and.add("@message like /(?i)" + r + "/");
    }
    if (!optional.isEmpty()) {
      and.add("@message like /(?i)" + String.join("|", optional) + "/");
    }
    for (String e : excluded) {
      and.add("@message not like /(?i)" + e + "/");
    }
    return String.join(" and ", and);
  }

  /**
   * A term as a regex: its words (runs of letters and digits) joined by runs of other characters. An excluded
   * term must stand as whole words (so that excluding {@code retry} keeps lines saying {@code retrying}, as the
   * local search does). Null when the term has no word.
   */
  private static String termRegex(String term, boolean wholeWords) {
    boolean prefix = term.endsWith("*");
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    term.codePoints().forEach(cp -> {
      if (Character.isLetterOrDigit(cp)) {
        w.appendCodePoint(cp);
      } else if (w.length() > 0) {
        words.add(w.toString());
        w.setLength(0);
      }
    });
    if (w.length() > 0) {
      words.add(w.toString());
    }
    if (words.isEmpty()) {
      return null;
    }
    String core = String.join("[^a-z0-9]+", words.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
    if (!wholeWords) {
      return core;
    }
    return "(^|[^a-z0-9])" + core + (prefix ? "" : "([^a-z0-9]|$)");
  }
}
