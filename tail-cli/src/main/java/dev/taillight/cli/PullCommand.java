package dev.taillight.cli;

import dev.taillight.cli.render.Format;
import dev.taillight.cli.render.Table;
import dev.taillight.collector.Collector;
import dev.taillight.collector.LogSink;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.cloudwatch.CloudWatchClients;
import dev.taillight.collector.cloudwatch.CloudWatchPollingSource;
import dev.taillight.collector.store.PullCheckpoint;
import dev.taillight.collector.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code taillight pull}: back-fills the index from CloudWatch, one log group after the other, with a progress
 * line on standard error. Resumable: a checkpoint per log group (written every few seconds and at the end) says
 * which range is already in the index, so a pull that was interrupted, or repeated, starts where the previous
 * one stopped (minus a look-back for late events; the index drops events it already has).
 */
@Command(name = "pull", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Back-fill the local index from CloudWatch Logs, so that search, trace and stats cover a past "
        + "period. Shows progress (events, bytes, rate, ETA) on standard error. Resumable: run it again after an "
        + "interruption and it continues where it stopped."},
    footerHeading = "%nExamples:%n",
    footer = {"  taillight pull orders-api payments --since 24h", "  taillight pull 'orders-*' --since 7d --until 1d"})
final class PullCommand implements Callable<Integer> {
  /** Re-read this much before a checkpoint, for events CloudWatch stored late. */
  static final long LOOKBACK_MS = 5 * 60_000;

  private final CliContext ctx;

  @Parameters(paramLabel = "FUNCTION|GROUP", arity = "1..*",
      description = "Function names, log group names, prefixes (orders-*) or patterns.")
  List<String> targets = new ArrayList<>();

  @Option(names = "--since", paramLabel = "WHEN", defaultValue = "24h",
      description = "Start of the period (24h, 7d, or a time). Default: ${DEFAULT-VALUE}.")
  String since;

  @Option(names = "--until", paramLabel = "WHEN", description = "End of the period (default: now).")
  String until;

  @Option(names = "--filter", paramLabel = "PATTERN", description = "CloudWatch Logs filter pattern.")
  String filterPattern;

  @Option(names = "--restart", description = "Ignore checkpoints and fetch the whole period again.")
  boolean restart;

  PullCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    long now = ctx.env.clock().millis();
    Instant nowI = Instant.ofEpochMilli(now);
    long from = TimeArgs.instant("--since", since, nowI, ctx.zone()).toEpochMilli();
    long to = until == null ? now : TimeArgs.instant("--until", until, nowI, ctx.zone()).toEpochMilli();
    if (to <= from) {
      throw CliException.usage("the period is empty: --since is not before --until", "give an earlier --since");
    }
    CloudWatchClients clients = Aws.clients(ctx);
    List<String> groups = Aws.resolve(ctx, clients, targets);
    Store store = ctx.openStore();
    long totalEvents = 0;
    long totalBytes = 0;
    long t0 = System.nanoTime();
    int index = 0;
    for (String group : groups) {
      index++;
      long start = from;
      Optional<PullCheckpoint> cp = restart ? Optional.empty() : store.checkpoint(group);
      if (cp.isPresent() && cp.get().fromTime() <= from && cp.get().toTime() > from) {
        start = Math.max(from, cp.get().toTime() - LOOKBACK_MS);
        if (start >= to) {
          ctx.err.println("taillight: " + group + " is already in the index up to "
              + Format.dateTime(cp.get().toTime(), ctx.zone()) + " (--restart fetches it again)");
          continue;
        }
        ctx.err.println("taillight: resuming " + group + " from " + Format.dateTime(start, ctx.zone()));
      }
      long[] pulled = pullGroup(clients, store, group, start, to, index, groups.size());
      totalEvents += pulled[0];
      totalBytes += pulled[1];
      long fromTime = cp.isPresent() && cp.get().fromTime() <= from && cp.get().toTime() > from
          ? Math.min(cp.get().fromTime(), from) : from;
      store.putCheckpoint(new PullCheckpoint(group, fromTime, to, ctx.env.clock().millis()));
    }
    store.flush();
    double secs = (System.nanoTime() - t0) / 1e9;
    if (ctx.env.terminal()) {
      ctx.err.print("\r\u001b[K");
    }
    ctx.err.printf(Locale.ROOT, "taillight: pulled %d events (%s) from %d log group%s in %.1f s into %s%n",
        totalEvents, bytes(totalBytes), groups.size(), groups.size() == 1 ? "" : "s", secs, store.path());
    return ExitCode.OK;
  }

  private long[] pullGroup(CloudWatchClients clients, Store store, String group, long start, long to, int index,
      int count) throws InterruptedException {
    Collector collector = Collector.builder().clock(ctx.env.clock()).listener(store).build();
    AtomicLong events = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    AtomicLong newest = new AtomicLong(start);
    LogSink counting = new LogSink() {
      @Override
      public void accept(RawEvent e) {
        events.incrementAndGet();
        bytes.addAndGet(e.message().getBytes(StandardCharsets.UTF_8).length);
        newest.accumulateAndGet(e.timestamp(), Math::max);
        collector.accept(e);
      }
    };
    CloudWatchPollingSource.Builder b = CloudWatchPollingSource.builder(clients).logGroup(group)
        .since(Instant.ofEpochMilli(start)).until(Instant.ofEpochMilli(to)).clock(ctx.env.clock());
    if (filterPattern != null) {
      b.filterPattern(filterPattern);
    }
    CloudWatchPollingSource source = b.build();
    ctx.closeLater(source);
    source.start(counting);
    long began = System.nanoTime();
    long lastCheckpoint = began;
    while (!source.isFinished()) {
      Thread.sleep(100);
      long nowNanos = System.nanoTime();
      if (ctx.env.terminal()) {
        ctx.err.print("\r\u001b[K" + progress(group, index, count, start, to, newest.get(), events.get(),
            bytes.get(), (nowNanos - began) / 1e9));
        ctx.err.flush();
      }
      if (nowNanos - lastCheckpoint > 2_000_000_000L && newest.get() - LOOKBACK_MS > start) {
        store.putCheckpoint(new PullCheckpoint(group, start, newest.get() - LOOKBACK_MS, ctx.env.clock().millis()));
        lastCheckpoint = nowNanos;
      }
    }
    source.close();
    collector.close();
    return new long[] {events.get(), bytes.get()};
  }

  /** The progress line: group, bar, percent of the period, events, bytes, rate, ETA. */
  static String progress(String group, int index, int count, long start, long to, long newest, long events,
      long bytes, double secs) {
    double f = to <= start ? 1 : Math.max(0, Math.min(1, (double) (newest - start) / (to - start)));
    String eta = f <= 0 || secs <= 0 ? "?" : Format.ms(secs * 1000 * (1 - f) / f);
    return String.format(Locale.ROOT, "%s [%d/%d] %s %3.0f%%  %,d events  %s  %,.0f ev/s  ETA %s", group, index,
        count, Table.bar(f, 20, true), f * 100, events, bytes(bytes), secs <= 0 ? 0 : events / secs, eta);
  }

  static String bytes(long b) {
    return FunctionsCommand.bytes(b);
  }
}
