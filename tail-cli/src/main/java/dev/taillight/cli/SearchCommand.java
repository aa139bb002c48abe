package dev.taillight.cli;

import dev.taillight.cli.render.Ansi;
import dev.taillight.cli.render.Format;
import dev.taillight.cli.render.InvocationJson;
import dev.taillight.cli.render.InvocationText;
import dev.taillight.cli.render.Table;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.store.InvocationQuery;
import dev.taillight.collector.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taillight search}: invocations in the local index. */
@Command(name = "search", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Search the invocations recorded in the local index (by 'tail' and 'pull').", "",
        "TEXT is a CloudWatch-style filter pattern over log lines: words must all appear, \"quoted phrases\" "
            + "match as a whole, ?word means any of the ?-words, -word excludes. An invocation matches when one "
            + "of its lines does. Results are newest first."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  taillight search 'payment declined' --since 24h",
        "  taillight search --function orders-api --errors --since 1h",
        "  taillight search --cold --slower-than 1s --format json | jq .initDurationMs",
        "  taillight search --timeouts --limit 10"})
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

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N results. Default: ${DEFAULT-VALUE}.")
  int limit;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (one invocation object per line, as 'tail --format invocations'). "
          + "Default: ${DEFAULT-VALUE}.")
  Fmt format;

  /** Output formats of search. */
  enum Fmt { table, json }

  SearchCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (limit <= 0) {
      throw CliException.usage("--limit must be positive, not " + limit, "e.g. --limit 20");
    }
    if (cold && warm) {
      throw CliException.usage("--cold and --warm exclude each other", "give one of them");
    }
    Instant now = ctx.env.clock().instant();
    InvocationQuery.Builder q = InvocationQuery.builder().limit(limit).functions(functions);
    if (since != null) {
      q.from(TimeArgs.instant("--since", since, now, ctx.zone()));
    }
    if (until != null) {
      q.to(TimeArgs.instant("--until", until, now, ctx.zone()));
    }
    if (errors) {
      q.errorsOnly();
    }
    if (timeouts) {
      q.timeoutsOnly();
    }
    if (cold || warm) {
      q.coldStart(cold);
    }
    if (slowerThan != null) {
      q.minDurationMs(TimeArgs.duration("--slower-than", slowerThan).toNanos() / 1e6);
    }
    if (text != null && !text.isBlank()) {
      q.text(text);
    }
    Store store = ctx.openExistingStore();
    List<Invocation> found = store.search(q.build());
    if (format == Fmt.json) {
      found.forEach(inv -> ctx.out.println(InvocationJson.toJson(inv)));
      return ExitCode.OK;
    }
    if (found.isEmpty()) {
      ctx.out.println("no matching invocations in " + store.path());
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
    return ExitCode.OK;
  }
}
