package dev.taillight.cli;

import dev.taillight.collector.Collector;
import dev.taillight.collector.cloudwatch.CloudWatchClients;
import dev.taillight.collector.insights.InsightsQueries;
import dev.taillight.collector.insights.InsightsQuery;
import dev.taillight.collector.insights.InsightsSearch;
import dev.taillight.collector.insights.InvocationFetcher;
import dev.taillight.collector.insights.MatchedLine;
import dev.taillight.collector.insights.QueryProgress;
import dev.taillight.collector.insights.QueryRunner;
import dev.taillight.collector.insights.SearchCriteria;
import dev.taillight.collector.store.InvocationQuery;
import dev.taillight.collector.store.PullCheckpoint;
import dev.taillight.collector.store.Store;
import java.util.ArrayList;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * {@code search} pushed down to CloudWatch Logs Insights: the parts of the period the index does not hold are
 * queried with Logs Insights ({@link InsightsSearch}), the invocations around the matched lines are fetched whole
 * into the index ({@link InvocationFetcher}), newest first, until the index's own search has {@code --limit}
 * results; the command then answers from the index as always. Loaded only when a search goes remote (it loads the
 * AWS SDK).
 */
final class RemoteSearch {
  /** StartQuery calls one search may make (pages of a capped range included). */
  static final int MAX_QUERIES = 20;

  /** What Logs Insights bills per GB scanned in us-east-1 (the summary's estimate; other regions differ). */
  static final double USD_PER_GB = 0.005;

  /** A part of the period missing from the index, for some log groups: {@code [from, to)} in epoch ms. */
  record Piece(List<String> groups, long from, long to) {}

  /**
   * What the search did, for the summary and the output's provenance line.
   *
   * @param groups log groups queried
   * @param from earliest time queried, epoch ms
   * @param to latest time queried, epoch ms
   */
  record Outcome(int groups, long from, long to, int queries, long bytesScanned, long linesMatched,
      int invocations, long events, List<InsightsQuery> unread, List<String> dropped) {}

  private final CliContext ctx;
  private final Store store;
  private final CloudWatchClients clients;
  private boolean showQuery;

  RemoteSearch(CliContext ctx, Store store, CloudWatchClients clients) {
    this.ctx = ctx;
    this.store = store;
    this.clients = clients;
  }

  RemoteSearch showQuery(boolean show) {
    this.showQuery = show;
    return this;
  }

  /**
   * The parts of {@code [from, to)} of each group that no pull checkpoint says was fetched into the index; groups
   * with the same missing part share a piece. A missing part at the end no longer than {@code endSlackMs} does not
   * count (a search up to now, shortly after a pull, stays in the index).
   */
  static List<Piece> missing(Store store, List<String> groups, long from, long to, long endSlackMs) {
    Map<List<Long>, List<String>> byRange = new LinkedHashMap<>();
    for (String g : groups) {
      Optional<PullCheckpoint> cp = store.checkpoint(g);
      List<long[]> gaps = new ArrayList<>();
      if (cp.isEmpty()) {
        gaps.add(new long[] {from, to});
      } else {
        long coveredFrom = cp.get().fromTime();
        long coveredTo = cp.get().toTime();
        if (coveredTo <= coveredFrom || coveredTo <= from || coveredFrom >= to) {
          gaps.add(new long[] {from, to});
        } else {
          if (from < coveredFrom) {
            gaps.add(new long[] {from, coveredFrom});
          }
          if (coveredTo < to - endSlackMs) {
            gaps.add(new long[] {coveredTo, to});
          }
        }
      }
      for (long[] gap : gaps) {
        byRange.computeIfAbsent(List.of(gap[0], gap[1]), k -> new ArrayList<>()).add(g);
      }
    }
    List<Piece> out = new ArrayList<>();
    byRange.forEach((range, gs) -> out.add(new Piece(gs, range.get(0), range.get(1))));
    return out;
  }

  /**
   * Queries the pieces and fetches matching invocations into the index until {@code local} (the command's own
   * search, over the whole period) finds {@code limit} invocations or Logs Insights has nothing more.
   */
  Outcome run(List<Piece> pieces, SearchCriteria criteria, InvocationQuery local, int limit)
      throws InterruptedException {
    List<InsightsQuery> queries = new ArrayList<>();
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    Set<String> groups = new LinkedHashSet<>();
    for (Piece p : pieces) {
      queries.addAll(InsightsQueries.queries(criteria, p.groups(), p.from(), p.to()));
      from = Math.min(from, p.from());
      to = Math.max(to, p.to());
      groups.addAll(p.groups());
    }
    if (showQuery) {
      ctx.err.println("taillight: Logs Insights query (" + queries.size() + " StartQuery call"
          + (queries.size() == 1 ? "" : "s") + " over " + groups.size() + " log group"
          + (groups.size() == 1 ? "" : "s") + "):");
      queries.get(0).queryString().lines().forEach(l -> ctx.err.println("  " + l));
    }
    CloudWatchLogsClient logs = ctx.closeLater(clients.logs());
    QueryRunner runner = QueryRunner.builder(logs).clock(ctx.env.clock()).build();
    ctx.closeLater(runner::cancel); // on Ctrl-C the shutdown hook stops the running query (closed before the client)
    InsightsSearch search = InsightsSearch.create(runner, queries, MAX_QUERIES);
    InvocationFetcher fetcher = InvocationFetcher.create(logs);
    Collector collector = Collector.builder().clock(ctx.env.clock()).listener(store).build();
    int invocations = 0;
    long events = 0;
    boolean enough = false;
    int round = 0;
    while (search.hasMore() && !enough) {
      round++;
      int r = round;
      InsightsSearch.Round found = search.next(p -> progress(p, r));
      clearLine();
      List<MatchedLine> lines = new ArrayList<>(found.lines());
      lines.sort(Comparator.comparingLong(MatchedLine::timestamp).reversed());
      int chunk = Math.max(10, limit);
      for (int i = 0; i < lines.size() && !enough; i += chunk) {
        List<MatchedLine> part = lines.subList(i, Math.min(lines.size(), i + chunk));
        int done = i;
        long before = events;
        InvocationFetcher.Result f = fetcher.fetch(part, collector, n -> fetchProgress(done, lines.size(),
            before + n));
        invocations += f.invocations();
        events += f.events();
        collector.flush();
        store.flush();
        enough = store.search(local).size() >= limit;
      }
      clearLine();
    }
    collector.close();
    store.flush();
    return new Outcome(groups.size(), from, to, search.queries(), search.bytesScanned(), search.recordsMatched(),
        invocations, events, search.unread(), search.droppedGroups());
  }

  private void progress(QueryProgress p, int round) {
    if (!ctx.env.terminal()) {
      return;
    }
    ctx.err.print("\r\u001b[K" + progressLine(p, round));
    ctx.err.flush();
  }

  /** The progress line of a running query. */
  static String progressLine(QueryProgress p, int round) {
    return String.format(Locale.ROOT, "Logs Insights %s%s  %.0f s  %,d lines matched  %s scanned",
        p.status(), round > 1 ? " (older page " + round + ")" : "", p.elapsedMillis() / 1000.0, p.recordsMatched(),
        size(p.bytesScanned()));
  }

  /** Bytes for a cost line: {@code 812 KB}, {@code 3.4 MB}, {@code 1.25 GB}. */
  static String size(long b) {
    if (b < 1024 * 1024) {
      return FunctionsCommand.bytes(b);
    }
    if (b < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MB", b / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GB", b / (1024.0 * 1024 * 1024));
  }

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);

  /** A time to the second in the clock's zone, as --since/--until accept it: {@code 2026-11-28T10:00:00}. */
  static String when(long epochMillis, CliContext ctx) {
    return WHEN.format(Instant.ofEpochMilli(epochMillis).atZone(ctx.zone()));
  }

  private void fetchProgress(int lineIndex, int lines, long events) {
    if (!ctx.env.terminal()) {
      return;
    }
    ctx.err.print(String.format(Locale.ROOT, "\r\u001b[Kfetching the invocations of matched lines %d/%d  %,d events",
        lineIndex, lines, events));
    ctx.err.flush();
  }

  private void clearLine() {
    if (ctx.env.terminal()) {
      ctx.err.print("\r\u001b[K");
      ctx.err.flush();
    }
  }

  /** One line saying what was asked of Logs Insights and what it cost. */
  static String summary(Outcome o, CliContext ctx) {
    return String.format(Locale.ROOT,
        "taillight: Logs Insights scanned %s (about USD %.4f at us-east-1's USD 0.005/GB) in %d quer%s over %d "
            + "log group%s (%s to %s), %,d lines matched; fetched %d invocation%s (%,d events) into the index",
        size(o.bytesScanned()), o.bytesScanned() / (1024.0 * 1024 * 1024) * USD_PER_GB, o.queries(), o.queries() == 1 ? "y" : "ies", o.groups(),
        o.groups() == 1 ? "" : "s", when(o.from(), ctx), when(o.to(), ctx),
        o.linesMatched(), o.invocations(), o.invocations() == 1 ? "" : "s", o.events());
  }

  /** Warnings: ranges left unread (capped or over budget), groups that do not exist. */
  static List<String> warnings(Outcome o, CliContext ctx) {
    List<String> out = new ArrayList<>();
    for (InsightsQuery q : o.unread()) {
      String range = when(q.startSeconds() * 1000, ctx) + " to " + when(q.endSeconds() * 1000, ctx);
      out.add("taillight: warning: results are capped: Logs Insights returns at most "
          + String.format(Locale.ROOT, "%,d", InsightsQueries.MAX_ROWS) + " lines per query and a search runs at "
          + "most " + MAX_QUERIES + " queries; matches in " + String.join(", ", q.logGroups()) + " from " + range
          + " were not read. Narrow the search: --until " + when(q.endSeconds() * 1000, ctx)
          + " or a later --since, more words in TEXT, or fewer functions");
    }
    if (!o.dropped().isEmpty()) {
      out.add("taillight: note: skipped log group" + (o.dropped().size() == 1 ? " " : "s ")
          + String.join(", ", o.dropped()) + " (does not exist in this account and region)");
    }
    return out;
  }
}
