package dev.taillight.cli;

import dev.taillight.cli.render.Ansi;
import dev.taillight.cli.render.Format;
import dev.taillight.cli.render.InvocationJson;
import dev.taillight.cli.render.InvocationText;
import dev.taillight.cli.render.Table;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.cloudwatch.CloudWatchClients;
import dev.taillight.collector.correlate.Correlator;
import dev.taillight.collector.insights.InsightsException;
import dev.taillight.collector.insights.SearchCriteria;
import dev.taillight.collector.store.InvocationQuery;
import dev.taillight.collector.store.Store;
import java.time.Instant;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code taillight search}: invocations in the local index. With functions and {@code --since}, the part of the
 * period the index does not hold (no pull checkpoint covers it) is searched with CloudWatch Logs Insights first
 * ({@link RemoteSearch}); {@code --remote} asks Logs Insights for the whole period, {@code --local} never does.
 */
@Command(name = "search", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Search invocations: in the local index (recorded by 'tail' and 'pull'), and for functions "
        + "and periods the index does not hold, in CloudWatch Logs Insights.", "",
        "TEXT is a CloudWatch-style filter pattern over log lines: words must all appear, \"quoted phrases\" "
            + "match as a whole, ?word means any of the ?-words, -word excludes. An invocation matches when one "
            + "of its lines does. Results are newest first.", "",
        "Long ranges go to Logs Insights: with --function and --since, the part of the period that no 'pull' "
            + "fetched is searched with a Logs Insights query over those functions' log groups; the invocations "
            + "it finds are fetched whole into the index (so 'trace' and 'search' work offline afterwards) and "
            + "the output says so. COST: Logs Insights bills every GB of log data in the queried groups and "
            + "period, whatever TEXT is (USD 0.005 per GB scanned in us-east-1; other regions differ); the summary "
            + "on standard error shows the bytes scanned. Narrow the period and the functions to pay less. "
            + "--local never queries AWS; --show-query prints the query."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  taillight search 'payment declined' --since 24h",
        "  taillight search --function orders-api --errors --since 1h",
        "  taillight search --cold --slower-than 1s --format json | jq .initDurationMs",
        "  taillight search --timeouts --limit 10",
        "  taillight search --function orders-api --errors --since 7d        Logs Insights for what is not pulled",
        "  taillight search 'declined' -f orders-api -f payments --since 30d --remote --show-query"})
final class SearchCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Parameters(paramLabel = "TEXT", arity = "0..1", description = "Filter pattern over log lines.")
  String text;

  @Option(names = {"-f", "--function"}, paramLabel = "NAME", description = "Only this function (repeatable).")
  List<String> functions = new ArrayList<>();

  @Option(names = "--since", paramLabel = "WHEN", description = "Invocations started at or after (10m, 2h, a time).")
  String since;

  @Option(names = "--until", paramLabel = "WHEN", description = "Invocations started before this time.")
  String until;

  @Option(names = "--errors", description = "Only failed invocations (error, timeout, crash, init failure, lost).")
  boolean errors;

  @Option(names = "--timeouts", description = "Only timed-out invocations.")
  boolean timeouts;

  @Option(names = "--cold", description = "Only cold starts.")
  boolean cold;

  @Option(names = "--warm", description = "Only warm invocations.")
  boolean warm;

  @Option(names = "--slower-than", paramLabel = "DURATION", description = "Only invocations that took longer (500ms, 2s).")
  String slowerThan;

  @Option(names = "--faster-than", paramLabel = "DURATION",
      description = "Only invocations that took at most this long (100ms, 1s).")
  String fasterThan;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N results. Default: ${DEFAULT-VALUE}.")
  int limit;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (one invocation object per line, as 'tail --format invocations'). "
          + "Default: ${DEFAULT-VALUE}.")
  Fmt format;

  @Option(names = {"--remote", "--insights"},
      description = "Query CloudWatch Logs Insights for the whole period, even what the index holds (needs "
          + "--function and --since; billed per GB scanned).")
  boolean remote;

  @Option(names = "--local", description = "Only the local index: never query CloudWatch Logs Insights.")
  boolean local;

  @Option(names = "--show-query", description = "Print the Logs Insights query on standard error before running it.")
  boolean showQuery;

  /** Output formats of search. */
  enum Fmt { table, json }

  SearchCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (limit <= 0) {
      throw CliException.usage("--limit must be positive, not " + limit, "e.g. --limit 20");
    }
    if (cold && warm) {
      throw CliException.usage("--cold and --warm exclude each other", "give one of them");
    }
    if (remote && local) {
      throw CliException.usage("--remote and --local exclude each other", "give one of them");
    }
    if (remote && (functions.isEmpty() || since == null)) {
      throw CliException.usage("--remote needs --function and --since: Logs Insights queries named log groups over "
          + "a period, and bills by the data in it", "e.g. taillight search --remote --function orders-api --since 7d");
    }
    Instant now = ctx.env.clock().instant();
    from = since == null ? null : TimeArgs.instant("--since", since, now, ctx.zone());
    to = until == null ? null : TimeArgs.instant("--until", until, now, ctx.zone());
    if (from != null && to != null && !to.isAfter(from)) {
      throw CliException.usage("the period is empty: --since is not before --until", "give an earlier --since");
    }
    minMs = slowerThan == null ? null : TimeArgs.duration("--slower-than", slowerThan).toNanos() / 1e6;
    maxMs = fasterThan == null ? null : TimeArgs.duration("--faster-than", fasterThan).toNanos() / 1e6;
    if (minMs != null && maxMs != null && minMs > maxMs) {
      throw CliException.usage("--slower-than " + slowerThan + " is above --faster-than " + fasterThan,
          "give a shorter --slower-than or a longer --faster-than");
    }
    InvocationQuery query = query(functions);
    Store store = null;
    String source = null;
    if (!local && from != null && !functions.isEmpty()) {
      boolean existed = Files.exists(ctx.storePath());
      boolean goRemote = remote || !existed || functions.stream().anyMatch(f -> f.contains("*"));
      long end = (to == null ? now : to).toEpochMilli();
      if (!goRemote) {
        store = ctx.openStore();
        goRemote = !RemoteSearch.missing(store, Aws.groups(functions), from.toEpochMilli(), end, endSlack())
            .isEmpty();
      }
      if (goRemote) {
        if (store == null) {
          store = ctx.openStore();
        }
        Remote r = remote(store, query, from.toEpochMilli(), end, existed);
        query = r.query();
        source = r.source();
      }
    } else {
      store = ctx.openExistingStore();
    }
    List<Invocation> found = store.search(query);
    if (format == Fmt.json) {
      found.forEach(inv -> ctx.out.println(InvocationJson.toJson(inv)));
      return ExitCode.OK;
    }
    if (found.isEmpty()) {
      ctx.out.println("no matching invocations in " + (source == null ? store.path().toString()
          : source + " nor in " + store.path()));
      return ExitCode.OK;
    }
    Ansi ansi = ctx.ansi();
    Table t = new Table("START", "FUNCTION", "REQUEST ID", "STATUS", "COLD", ">DURATION", ">BILLED", ">MEMORY",
        ">COST", "TRACE");
    for (Invocation inv : found) {
      String status = InvocationText.status(inv.status());
      t.row(Format.dateTime(inv.startTime(), ctx.zone()), ansi.function(inv.function(), inv.function()),
          inv.requestId(), inv.status().failed() ? ansi.red(status) : status,
          inv.coldStart() ? ansi.yellow(inv.initDurationMs() == null ? "cold" : Format.ms(inv.initDurationMs())) : "",
          Format.ms(inv.durationMs()), Format.ms(inv.billedDurationMs()),
          (inv.maxMemoryUsedMb() == null ? "-" : inv.maxMemoryUsedMb()) + "/"
              + (inv.memorySizeMb() == null ? "-" : inv.memorySizeMb()) + " MB",
          Format.usd(inv.costUsd()), inv.traceId() == null ? "-" : inv.traceId());
    }
    t.lines(ansi).forEach(ctx.out::println);
    ctx.out.println(found.size() + (found.size() == limit ? "+ invocations (raise --limit to see more)"
        : found.size() == 1 ? " invocation" : " invocations"));
    if (source != null) {
      ctx.out.println("from " + source + " and the index " + store.path());
    }
    return ExitCode.OK;
  }

  /** What a remote search changed: the query to run on the index, and where its results came from (or null). */
  private record Remote(InvocationQuery query, String source) {}

  private Instant from;
  private Instant to;
  private Double minMs;
  private Double maxMs;

  /**
   * How much of the end of a period up to now may be missing from the index without asking Logs Insights: what a
   * pull a few minutes ago could not fetch yet (its look-back). None for a period with --until.
   */
  private long endSlack() {
    return until == null ? Backfill.LOOKBACK_MS : 0;
  }

  /** The search of the index for these function names. */
  private InvocationQuery query(Collection<String> functionNames) {
    InvocationQuery.Builder q = InvocationQuery.builder().limit(limit).functions(functionNames).from(from).to(to);
    if (errors) {
      q.errorsOnly();
    }
    if (timeouts) {
      q.timeoutsOnly();
    }
    if (cold || warm) {
      q.coldStart(cold);
    }
    if (minMs != null) {
      q.minDurationMs(minMs);
    }
    if (maxMs != null) {
      q.maxDurationMs(maxMs);
    }
    if (text != null && !text.isBlank()) {
      q.text(text);
    }
    try {
      return q.build();
    } catch (IllegalArgumentException e) {
      throw CliException.usage("invalid search TEXT: " + e.getMessage(),
          "write words, \"quoted phrases\", ?optional and -excluded terms");
    }
  }

  /**
   * Resolves the functions' log groups, queries Logs Insights for what the index lacks (all of the period with
   * --remote) and fetches the matching invocations into the index. Without --remote, AWS being out of reach (no
   * credentials, no region, no network) only skips this with a note.
   */
  private Remote remote(Store store, InvocationQuery query, long from, long to, boolean indexExisted)
      throws InterruptedException {
    CloudWatchClients clients;
    List<String> groups;
    List<RemoteSearch.Piece> pieces;
    try {
      clients = Aws.clients(ctx);
      groups = Aws.resolve(ctx, clients, functions);
      pieces = remote ? List.of(new RemoteSearch.Piece(groups, from, to))
          : RemoteSearch.missing(store, groups, from, to, endSlack());
      if (pieces.isEmpty()) {
        return new Remote(forGroups(groups), null);
      }
      String names = String.join(", ", pieces.stream().flatMap(p -> p.groups().stream()).distinct().toList());
      ctx.err.println("taillight: " + (remote ? "searching " + names : "the index does not hold all of this period "
          + "for " + names + "; searching what it lacks") + " with CloudWatch Logs Insights (billed per GB scanned; "
          + "--local searches only the index)");
      RemoteSearch.Outcome o = new RemoteSearch(ctx, store, clients).showQuery(showQuery)
          .run(pieces, criteria(), forGroups(groups), limit);
      ctx.err.println(RemoteSearch.summary(o, ctx));
      RemoteSearch.warnings(o, ctx).forEach(ctx.err::println);
      return new Remote(forGroups(groups), "CloudWatch Logs Insights (" + RemoteSearch.when(o.from(), ctx)
          + " to " + RemoteSearch.when(o.to(), ctx) + ", " + o.groups() + " log group" + (o.groups() == 1 ? "" : "s")
          + ")");
    } catch (InsightsException e) {
      throw InsightsFailures.toCli(e);
    } catch (RuntimeException e) {
      if (remote || !InsightsFailures.offline(e)) {
        throw e;
      }
      ctx.err.println("taillight: note: cannot reach CloudWatch Logs Insights (" + Failures.describe(e).message()
          + "); showing only what the index holds (--local skips this)");
      if (!indexExisted) {
        throw CliException.notFound("no index at " + ctx.storePath(),
            "record some logs first with 'taillight tail' or 'taillight pull', or fix the AWS access");
      }
      return new Remote(query, null);
    }
  }

  /** The search of the index for the resolved log groups (named as the index names their functions). */
  private InvocationQuery forGroups(List<String> groups) {
    Set<String> names = new LinkedHashSet<>();
    for (String g : groups) {
      names.add(Correlator.functionName(g));
    }
    return query(names);
  }

  private SearchCriteria criteria() {
    return new SearchCriteria(text, errors || timeouts, timeouts,
        cold || warm ? Boolean.valueOf(cold) : null, minMs, maxMs);
  }
}
