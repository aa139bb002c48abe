package dev.taillight.cli;

import dev.taillight.cli.render.Ansi;
import dev.taillight.cli.render.Format;
import dev.taillight.cli.render.Json;
import dev.taillight.cli.render.Table;
import dev.taillight.collector.store.FunctionStats;
import dev.taillight.collector.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taillight stats}: per-function latency, errors, cold starts, cost and memory from the index. */
@Command(name = "stats", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Per-function numbers from the local index: invocations, errors, timeouts, cold-start rate and "
        + "mean init time, p50/p95/p99 duration, billed time, estimated cost and the share of cold starts in it, "
        + "memory used against configured (with a right-sizing hint), peak concurrent environments, and the "
        + "invocations over time as a sparkline."},
    footerHeading = "%nExamples:%n",
    footer = {"  taillight stats --since 24h", "  taillight stats orders-api payments --since 1h --format json"})
final class StatsCommand implements Callable<Integer> {
  static final int BUCKETS = 16;

  private final CliContext ctx;

  @Parameters(paramLabel = "FUNCTION", arity = "0..*", description = "Functions to show (default: all in the index).")
  List<String> functions = new ArrayList<>();

  @Option(names = "--since", paramLabel = "WHEN", defaultValue = "1h",
      description = "Start of the range (10m, 24h, 7d, or a time). Default: ${DEFAULT-VALUE}.")
  String since;

  @Option(names = "--until", paramLabel = "WHEN", description = "End of the range (default: now).")
  String until;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (one object per function). Default: ${DEFAULT-VALUE}.")
  Fmt format;

  /** Output formats of stats. */
  enum Fmt { table, json }

  StatsCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    Instant now = ctx.env.clock().instant();
    Instant from = TimeArgs.instant("--since", since, now, ctx.zone());
    Instant to = until == null ? now : TimeArgs.instant("--until", until, now, ctx.zone());
    if (!to.isAfter(from)) {
      throw CliException.usage("the range is empty: --since " + since + " is not before --until",
          "give a --since earlier than --until");
    }
    Store store = ctx.openExistingStore();
    List<FunctionStats> stats = new ArrayList<>();
    if (functions.isEmpty()) {
      stats.addAll(store.stats(from, to, BUCKETS));
    } else {
      for (String f : functions) {
        stats.add(store.stats(f, from, to, BUCKETS));
      }
    }
    if (format == Fmt.json) {
      stats.forEach(s -> ctx.out.println(json(s)));
      return ExitCode.OK;
    }
    if (stats.isEmpty()) {
      ctx.out.println("no invocations between " + Format.dateTime(from.toEpochMilli(), ctx.zone()) + " and "
          + Format.dateTime(to.toEpochMilli(), ctx.zone()) + " in " + store.path());
      return ExitCode.OK;
    }
    boolean uni = ctx.env.unicode();
    Ansi ansi = ctx.ansi();
    Table t = new Table("FUNCTION", ">INV", ">ERR", ">TIMEOUT", ">COLD", ">INIT", ">P50", ">P95", ">P99", ">BILLED",
        ">COST", ">COLD COST", "MEMORY USED", ">PEAK", "INVOCATIONS");
    List<String> hints = new ArrayList<>();
    for (FunctionStats s : stats) {
      String err = s.errors() + " (" + pct(s.errorPercent()) + ")";
      String mem = "-";
      if (s.maxMemoryUsedMb() != null && s.memorySizeMb() != null && s.memorySizeMb() > 0) {
        double frac = (double) s.maxMemoryUsedMb() / s.memorySizeMb();
        mem = Table.bar(frac, 8, uni) + " " + s.maxMemoryUsedMb() + "/" + s.memorySizeMb() + " MB";
        Integer suggestion = rightSize(s.maxMemoryUsedMb(), s.memorySizeMb());
        if (suggestion != null) {
          hints.add(s.function() + ": used at most " + s.maxMemoryUsedMb() + " of " + s.memorySizeMb()
              + " MB; " + suggestion + " MB would likely do (cost scales with memory, but so does CPU: "
              + "check the durations after a change)");
        }
      }
      long[] series = s.series().stream().mapToLong(FunctionStats.Bucket::invocations).toArray();
      t.row(ansi.function(s.function(), s.function()), Long.toString(s.invocations()),
          s.errors() > 0 ? ansi.red(err) : err, s.timeouts() > 0 ? ansi.red(Long.toString(s.timeouts())) : "0",
          pct(s.coldStartPercent()), Format.ms(s.meanInitDurationMs()), Format.ms(s.p50DurationMs()),
          Format.ms(s.p95DurationMs()), Format.ms(s.p99DurationMs()), Format.ms(s.totalBilledMs()),
          Format.usd(s.costUsd()), Format.usd(s.coldStartCostUsd()), mem, Integer.toString(s.peakConcurrency()),
          Table.sparkline(series, uni));
    }
    ctx.out.println("from " + Format.dateTime(from.toEpochMilli(), ctx.zone()) + " to "
        + Format.dateTime(to.toEpochMilli(), ctx.zone()) + " (" + ctx.zone() + ")");
    t.lines(ansi).forEach(ctx.out::println);
    for (String h : hints) {
      ctx.out.println(ansi.yellow("hint: ") + h);
    }
    return ExitCode.OK;
  }

  /**
   * A smaller memory size when the function used under half of what it has: the next 64 MB step above 1.5x
   * the peak (at least 128 MB), or null when no smaller size fits.
   */
  static Integer rightSize(int usedMb, int sizeMb) {
    if (usedMb * 2 > sizeMb) {
      return null;
    }
    int target = Math.max(128, (int) Math.ceil(usedMb * 1.5 / 64.0) * 64);
    return target < sizeMb ? target : null;
  }

  private static String pct(double percent) {
    return String.format(Locale.ROOT, "%.0f%%", percent);
  }

  private static String json(FunctionStats s) {
    StringBuilder series = new StringBuilder("[");
    for (FunctionStats.Bucket b : s.series()) {
      if (series.length() > 1) {
        series.append(',');
      }
      series.append(Json.object().put("start", Instant.ofEpochMilli(b.start()).toString())
          .put("invocations", b.invocations()).put("errors", b.errors()));
    }
    series.append(']');
    return Json.object().put("function", s.function())
        .put("from", Instant.ofEpochMilli(s.from()).toString()).put("to", Instant.ofEpochMilli(s.to()).toString())
        .put("invocations", s.invocations()).put("errors", s.errors()).put("timeouts", s.timeouts())
        .put("coldStarts", s.coldStarts()).put("coldStartPercent", s.coldStartPercent())
        .put("meanInitDurationMs", s.meanInitDurationMs()).put("p50DurationMs", s.p50DurationMs())
        .put("p95DurationMs", s.p95DurationMs()).put("p99DurationMs", s.p99DurationMs())
        .put("totalBilledMs", s.totalBilledMs()).put("costUsd", s.costUsd())
        .put("coldStartCostUsd", s.coldStartCostUsd()).put("maxMemoryUsedMb", s.maxMemoryUsedMb())
        .put("memorySizeMb", s.memorySizeMb()).put("peakConcurrency", s.peakConcurrency())
        .raw("series", series.toString()).toString();
  }
}
