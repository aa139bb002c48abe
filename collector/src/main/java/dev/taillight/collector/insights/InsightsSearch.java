package dev.taillight.collector.insights;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A search pushed down to CloudWatch Logs Insights, run in rounds so the caller can stop as soon as it has enough.
 *
 * <pre>
 * The search covers parts: log groups (at most 50 per query) and a time range each. The first round runs one
 * query per part. A query that returns Logs Insights' maximum of 10,000 rows was capped: older matches may be
 * missing, so its part stays pending with its range ending a second after its oldest row's (seconds are what
 * StartQuery takes; rows of those seconds already seen are dropped by their @ptr), and the next round asks for
 * that older remainder. Each round thus scans only what earlier rounds have not (a second's overlap), so paging
 * through a capped range costs about one scan of the range.
 *
 * A part stops paging when a query is not capped, when a whole capped page fell in its range's last two seconds (it cannot
 * be split further: that part is reported as capped), or when the budget of queries is spent (the remaining ranges
 * are reported). Log groups that do not exist are dropped from their part (and reported) and the query retried.
 * </pre>
 *
 * <p>Blocking, single-threaded; {@link QueryRunner#cancel()} on the runner stops it from another thread.
 */
public final class InsightsSearch {
  private final QueryRunner runner;
  private final List<Part> parts = new ArrayList<>();
  private final int maxQueries;
  private final Set<String> seen = new HashSet<>();
  private final List<String> dropped = new ArrayList<>();
  private int queries;
  private long bytesScanned;
  private long recordsMatched;
  private long recordsScanned;

  /** A part of the search: its current query, and whether it is finished. */
  private static final class Part {
    InsightsQuery query;
    boolean done;
    /** A page that could not be split (all rows in two seconds), or the budget ran out: [start, end] unread. */
    InsightsQuery unread;

    Part(InsightsQuery query) {
      this.query = query;
    }
  }

  /**
   * What one round found.
   *
   * @param lines matched lines not seen in earlier rounds, newest first within each query
   * @param results the queries' results, in the order they ran
   */
  public record Round(List<MatchedLine> lines, List<QueryResult> results) {}

  private InsightsSearch(QueryRunner runner, List<InsightsQuery> queries, int maxQueries) {
    this.runner = requireNonNull(runner, "runner");
    for (InsightsQuery q : queries) {
      parts.add(new Part(q));
    }
    this.maxQueries = maxQueries;
  }

  /**
   * A search running {@code queries} (see {@link InsightsQueries#queries}) through {@code runner}, with at most
   * {@code maxQueries} StartQuery calls in all.
   */
  public static InsightsSearch create(QueryRunner runner, List<InsightsQuery> queries, int maxQueries) {
    if (maxQueries < 1) {
      throw new IllegalArgumentException("maxQueries must be positive: " + maxQueries);
    }
    return new InsightsSearch(runner, queries, maxQueries);
  }

  /** Whether another round would run a query. */
  public boolean hasMore() {
    return parts.stream().anyMatch(p -> !p.done);
  }

  /**
   * Runs one query for every pending part.
   *
   * @param progress told every GetQueryResults answer
   * @throws InsightsException as {@link QueryRunner#run} (but missing log groups are dropped and reported by
   *     {@link #droppedGroups()}, unless every group of the search is missing)
   */
  public Round next(Consumer<QueryProgress> progress) throws InterruptedException {
    List<MatchedLine> lines = new ArrayList<>();
    List<QueryResult> results = new ArrayList<>();
    for (Part part : parts) {
      if (part.done) {
        continue;
      }
      if (queries >= maxQueries) {
        part.done = true;
        part.unread = part.query;
        continue;
      }
      QueryResult r;
      try {
        queries++;
        r = runner.run(part.query, progress);
      } catch (InsightsException e) {
        if (e.kind() != InsightsException.Kind.MISSING_LOG_GROUPS || e.missingGroups().isEmpty()) {
          throw e;
        }
        dropped.addAll(e.missingGroups());
        List<String> left = new ArrayList<>(part.query.logGroups());
        left.removeAll(e.missingGroups());
        if (left.isEmpty()) {
          part.done = true;
          if (allDropped()) {
            throw e;
          }
          continue;
        }
        part.query = new InsightsQuery(part.query.queryString(), left, part.query.startSeconds(),
            part.query.endSeconds());
        r = runner.run(part.query, progress); // the rejected StartQuery ran nothing: not counted again
      }
      results.add(r);
      bytesScanned += r.progress().bytesScanned();
      recordsMatched += r.progress().recordsMatched();
      recordsScanned += r.progress().recordsScanned();
      long oldest = Long.MAX_VALUE;
      for (MatchedLine l : r.lines()) {
        oldest = Math.min(oldest, l.timestamp());
        if (seen.add(key(l))) {
          lines.add(l);
        }
      }
      if (!r.capped() || r.lines().isEmpty()) {
        part.done = true;
        continue;
      }
      long end = Math.floorDiv(oldest, 1000) + 1; // the oldest row's second whole, however the end second counts
      if (end >= part.query.endSeconds()) {
        part.done = true; // 10,000 rows in the last two seconds: cannot split further
        part.unread = part.query.until(end);
      } else {
        part.query = part.query.until(end);
      }
    }
    return new Round(lines, results);
  }

  private boolean allDropped() {
    Set<String> all = new HashSet<>();
    for (Part p : parts) {
      all.addAll(p.query.logGroups());
    }
    return dropped.containsAll(all);
  }

  private static String key(MatchedLine l) {
    return l.ptr() != null ? l.ptr() : l.logGroup() + '\u0000' + l.logStream() + '\u0000' + l.timestamp() + '\u0000'
        + l.message();
  }

  /** Log groups dropped because they do not exist. */
  public List<String> droppedGroups() {
    return List.copyOf(dropped);
  }

  /**
   * The queries whose range was not read to its start: capped in one second, or left when the budget of queries
   * ran out. Each names the groups and the range ({@code startSeconds..endSeconds}) still unread.
   */
  public List<InsightsQuery> unread() {
    List<InsightsQuery> out = new ArrayList<>();
    for (Part p : parts) {
      if (p.unread != null) {
        out.add(p.unread);
      }
    }
    return out;
  }

  /** StartQuery calls made. */
  public int queries() {
    return queries;
  }

  /** Bytes Logs Insights scanned in all queries so far (what it bills). */
  public long bytesScanned() {
    return bytesScanned;
  }

  /** Records matched in all queries so far. */
  public long recordsMatched() {
    return recordsMatched;
  }

  /** Records scanned in all queries so far. */
  public long recordsScanned() {
    return recordsScanned;
  }
}
