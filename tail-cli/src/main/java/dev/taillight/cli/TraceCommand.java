package dev.taillight.cli;

import dev.taillight.cli.render.Ansi;
import dev.taillight.cli.render.Format;
import dev.taillight.cli.render.LineFilter;
import dev.taillight.cli.render.PlainRenderer;
import dev.taillight.cli.render.Waterfall;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.LogSink;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.Trace;
import dev.taillight.collector.TraceIds;
import dev.taillight.collector.cloudwatch.CloudWatchClients;
import dev.taillight.collector.cloudwatch.CloudWatchPollingSource;
import dev.taillight.collector.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code taillight trace}: one request across functions, from the local index. With {@code --since} (and the
 * functions involved) it first fetches the invocations that mention the id from CloudWatch into the index with
 * {@link Backfill}, as {@code pull} does; a period pull's checkpoints say is in the index is not fetched again.
 */
@Command(name = "trace", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Show one request across functions: a waterfall of its spans on a time axis (a cold start's "
        + "init phase as its own bar, failures marked), then each invocation's log lines.", "",
        "ID is a trace id in X-Ray form (1-5759e988-bd862e3fe1be46a994272793) or W3C form "
            + "(5759e988bd862e3fe1be46a994272793), or a Lambda request id.", "",
        "Reads the local index. Give the functions involved and --since (and --until) to first fetch the trace "
            + "from CloudWatch Logs into the index: a filter on the id finds when it was logged, then every line "
            + "from 16 minutes before to a minute after (Lambda's longest invocation) is fetched, so each "
            + "invocation comes whole. A period already pulled is not fetched again."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  taillight trace 1-5759e988-bd862e3fe1be46a994272793",
        "  taillight trace 8f3c2a1e-1111-2222-3333-444455556666    the trace of this invocation",
        "  taillight trace 1-5759e988-bd862e3fe1be46a994272793 orders-api payments --since 2h   fetch first",
        "  taillight trace 5759e988bd862e3fe1be46a994272793 -f orders-api --since 2026-11-28T09:00 "
            + "--until 2026-11-28T10:00"})
final class TraceCommand implements Callable<Integer> {
  /**
   * How long before its last line an invocation can start: Lambda's longest timeout (15 min), its longest
   * on-demand init (10 s), and a margin.
   */
  static final long MAX_INVOCATION_MS = 16 * 60_000;

  /** How long after a line naming the trace its invocation can still log (END, REPORT after a timeout warning). */
  static final long TAIL_MS = 60_000;

  private final CliContext ctx;

  @Parameters(index = "0", paramLabel = "ID", description = "Trace id (X-Ray or W3C) or request id.")
  String id;

  @Parameters(index = "1..*", paramLabel = "FUNCTION|GROUP", arity = "0..*",
      description = "Functions to fetch the trace from (with --since): function names, log group names, prefixes "
          + "(orders-*) or patterns, as for tail and pull.")
  List<String> targets = new ArrayList<>();

  @Option(names = {"-f", "--function"}, paramLabel = "NAME",
      description = "A function to fetch the trace from (repeatable); same as a FUNCTION argument.")
  List<String> functions = new ArrayList<>();

  @Option(names = "--since", paramLabel = "WHEN",
      description = "Fetch this period from CloudWatch into the index first (1h, 7d, or a time).")
  String since;

  @Option(names = "--until", paramLabel = "WHEN", description = "End of the period to fetch (default: now).")
  String until;

  @Option(names = "--width", paramLabel = "COLUMNS",
      description = "Width of the waterfall (default: $COLUMNS on a terminal, else 100).")
  Integer width;

  @Option(names = "--no-lines", description = "Only the waterfall, without the log lines.")
  boolean noLines;

  TraceCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws InterruptedException {
    List<String> all = allTargets();
    if (since == null && until != null) {
      throw CliException.usage("--until needs --since", "give the start of the period to fetch, e.g. --since 2h");
    }
    if (since != null && all.isEmpty()) {
      throw CliException.usage("--since needs the functions to fetch from",
          "name them, e.g. taillight trace " + id.trim() + " --function orders-api --since " + since);
    }
    if (since == null && !all.isEmpty()) {
      throw CliException.usage("functions given without --since: which period should be fetched?",
          "add --since, e.g. taillight trace " + id.trim() + " " + String.join(" ", all) + " --since 1h");
    }
    Store store;
    if (since != null) {
      long[] period = Backfill.period(ctx, since, until);
      CloudWatchClients clients = Aws.clients(ctx);
      List<String> groups = Aws.resolve(ctx, clients, all);
      store = ctx.openStore();
      fetch(clients, store, groups, period[0], period[1], id.trim());
      String traceId = TraceIds.normalize(id.trim());
      Optional<Invocation> byRequest = traceId == null ? store.invocation(id.trim()) : Optional.empty();
      if (byRequest.isPresent() && byRequest.get().traceId() != null) {
        // a request id: the other invocations of its trace mention the trace id, not this request id
        fetch(clients, store, groups, period[0], period[1], byRequest.get().traceId());
      }
    } else {
      if (!java.nio.file.Files.exists(ctx.storePath())) {
        throw CliException.notFound("no index at " + ctx.storePath(), fetchHint());
      }
      store = ctx.openStore();
    }
    Trace trace = find(store, id.trim());
    Ansi ansi = ctx.ansi();
    Waterfall wf = Waterfall.of(trace);
    Set<String> functions = new LinkedHashSet<>();
    trace.invocations().forEach(i -> functions.add(i.function()));
    long failed = wf.rows().stream().filter(Waterfall.Row::error).count();
    ctx.out.println(ansi.bold("trace " + trace.traceId()) + "  " + plural(functions.size(), "function") + "  "
        + plural(trace.invocations().size(), "invocation") + "  " + plural(trace.spans().size(), "span") + "  "
        + Format.ms(wf.totalMs()) + (failed > 0 ? "  " + ansi.red(failed + " failed") : ""));
    List<String> lines = wf.lines(columns(), ctx.env.unicode());
    ctx.out.println(ansi.dim(lines.get(0)));
    for (int i = 1; i < lines.size(); i++) {
      Waterfall.Row r = wf.rows().get(i - 1);
      String l = lines.get(i);
      ctx.out.println(r.error() ? ansi.red(l) : r.kind() == Waterfall.Kind.INIT ? ansi.yellow(l)
          : r.function() != null ? ansi.function(r.function(), l) : l);
    }
    if (!noLines && !trace.invocations().isEmpty()) {
      ctx.out.println();
      PlainRenderer blocks = new PlainRenderer(ctx.out, ansi, ctx.zone(), LineFilter.all(), false,
          ctx.env.unicode());
      for (Invocation inv : trace.invocations()) {
        blocks.onInvocationFinished(inv);
      }
      blocks.finish();
    }
    return ExitCode.OK;
  }

  /**
   * Fetches into the index the invocations of {@code groups} in {@code [from, to)} that mention {@code id}. Groups
   * whose period a pull already fetched are skipped. For the others a CloudWatch filter pattern on the id (span
   * lines carry the trace id, REPORT lines the X-Ray form and the request id) finds when the id was logged; then
   * every line of the groups from {@link #MAX_INVOCATION_MS} before the first such event to {@link #TAIL_MS} after
   * the last is fetched, so each invocation comes complete (START, all lines, REPORT), not just its matching
   * lines. Such a narrowed fetch writes no checkpoint.
   */
  private void fetch(CloudWatchClients clients, Store store, List<String> groups, long from, long to, String id)
      throws InterruptedException {
    Backfill backfill = new Backfill(ctx, clients, store);
    List<String> missing = new ArrayList<>();
    for (String g : groups) {
      if (backfill.covered(g, from, to)) {
        ctx.err.println("taillight: " + g + " is already in the index for this period");
      } else {
        missing.add(g);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    AtomicLong last = new AtomicLong(Long.MIN_VALUE);
    Set<String> terms = new LinkedHashSet<>();
    terms.add(id);
    String w3c = TraceIds.normalize(id);
    if (w3c != null) {
      terms.add(w3c);
      terms.add(TraceIds.toXRay(w3c));
    }
    for (String term : terms) {
      CloudWatchPollingSource source = CloudWatchPollingSource.builder(clients).logGroups(missing)
          .since(Instant.ofEpochMilli(from)).until(Instant.ofEpochMilli(to)).clock(ctx.env.clock())
          .filterPattern("\"" + term + "\"").build();
      ctx.closeLater(source);
      source.start(new LogSink() {
        @Override
        public void accept(RawEvent e) {
          first.accumulateAndGet(e.timestamp(), Math::min);
          last.accumulateAndGet(e.timestamp(), Math::max);
        }
      });
      while (!source.isFinished()) {
        Thread.sleep(50);
      }
      source.close();
    }
    if (first.get() == Long.MAX_VALUE) {
      ctx.err.println("taillight: no event in " + String.join(", ", missing) + " mentions " + id + " in this period");
      return;
    }
    long start = Math.max(from, first.get() - MAX_INVOCATION_MS);
    long end = Math.min(to, last.get() + TAIL_MS);
    ctx.err.println("taillight: " + id + " is logged between " + Format.dateTime(first.get(), ctx.zone()) + " and "
        + Format.dateTime(last.get(), ctx.zone()) + "; fetching " + Format.dateTime(start, ctx.zone()) + " to "
        + Format.dateTime(end, ctx.zone()));
    Backfill.Result r = backfill.checkpoints(false).run(missing, start, Math.max(end, start + 1));
    ctx.err.println(Backfill.summary(r, "fetched", store));
  }

  private Trace find(Store store, String id) {
    String traceId = TraceIds.normalize(id);
    if (traceId != null) {
      Optional<Trace> t = store.trace(traceId);
      if (t.isPresent()) {
        return t.get();
      }
    }
    Optional<Invocation> inv = store.invocation(id);
    if (inv.isPresent()) {
      Invocation i = inv.get();
      if (i.traceId() != null) {
        Optional<Trace> t = store.trace(i.traceId());
        if (t.isPresent()) {
          return t.get();
        }
      }
      return new Trace(i.traceId() != null ? i.traceId() : i.requestId(), i.spans(), List.of(i));
    }
    if (since != null) {
      throw CliException.notFound("no trace or invocation '" + id + "' in the index " + store.path()
              + ", nor in the fetched period of " + String.join(", ", allTargets()),
          "give an earlier --since or the other functions involved, or find ids with 'taillight search'");
    }
    throw CliException.notFound("no trace or invocation '" + id + "' in the index " + store.path(),
        fetchHint() + ", or find ids with 'taillight search'");
  }

  private String fetchHint() {
    return "fetch it from CloudWatch with the functions involved and a period, e.g. taillight trace " + id.trim()
        + " --function orders-api --since 1h (or tail or pull those functions first)";
  }

  private List<String> allTargets() {
    List<String> all = new ArrayList<>(targets);
    all.addAll(functions);
    return all;
  }

  private int columns() {
    if (width != null) {
      return Math.max(40, width);
    }
    String c = ctx.env.terminal() ? ctx.env.get("COLUMNS") : null;
    try {
      return c == null ? 100 : Math.max(40, Integer.parseInt(c.trim()));
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  private static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
