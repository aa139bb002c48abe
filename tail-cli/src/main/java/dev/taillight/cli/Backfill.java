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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Back-fills the index from CloudWatch, one log group after the other (CloudWatchPollingSource with since/until
 * into a Collector that records into the Store), with a progress line on standard error when it is a terminal.
 * Shared by {@code pull} and {@code trace --since}. Resumable: a checkpoint per log group (written every few
 * seconds and at the end) says which range is already in the index, so a back-fill that was interrupted, or
 * repeated, starts where the previous one stopped (minus a look-back for late events, unless the range ended
 * long enough before it was fetched; the index drops events it already has). A back-fill narrowed by a filter
 * pattern does not write checkpoints: it did not fetch the whole range.
 */
final class Backfill {
  /** Re-read this much before a checkpoint, for events CloudWatch stored late. */
  static final long LOOKBACK_MS = 5 * 60_000;

  /** What a back-fill fetched. */
  record Result(long events, long bytes, int groups, double seconds) {}

  private final CliContext ctx;
  private final CloudWatchClients clients;
  private final Store store;
  private String filterPattern;
  private boolean restart;
  private boolean checkpoints = true;

  Backfill(CliContext ctx, CloudWatchClients clients, Store store) {
    this.ctx = ctx;
    this.clients = clients;
    this.store = store;
  }

  /**
   * The period {@code [from, to)} in epoch ms of {@code --since}/{@code --until} (until null: now), parsed as
   * the other commands do; an empty period is a usage error.
   */
  static long[] period(CliContext ctx, String since, String until) {
    long now = ctx.env.clock().millis();
    Instant nowI = Instant.ofEpochMilli(now);
    long from = TimeArgs.instant("--since", since, nowI, ctx.zone()).toEpochMilli();
    long to = until == null ? now : TimeArgs.instant("--until", until, nowI, ctx.zone()).toEpochMilli();
    if (to <= from) {
      throw CliException.usage("the period is empty: --since is not before --until", "give an earlier --since");
    }
    return new long[] {from, to};
  }

  /** Only events matching this CloudWatch filter pattern (null: all); such a back-fill writes no checkpoints. */
  Backfill filterPattern(String pattern) {
    this.filterPattern = pattern;
    return this;
  }

  /** Whether to read and write checkpoints (default true); false for a fetch of a part of a period. */
  Backfill checkpoints(boolean use) {
    this.checkpoints = use;
    return this;
  }

  /** Whether a checkpoint says {@code [from, to)} of the group is already in the index. */
  boolean covered(String group, long from, long to) {
    if (restart) {
      return false;
    }
    Optional<PullCheckpoint> cp = store.checkpoint(group);
    return cp.isPresent() && cp.get().fromTime() <= from && settled(cp.get()) >= to;
  }

  /** Ignore checkpoints and fetch the whole range again. */
  Backfill restart(boolean restart) {
    this.restart = restart;
    return this;
  }

  /** Fetches {@code [from, to)} of each group that is not in the index yet, then flushes the index. */
  Result run(List<String> groups, long from, long to) throws InterruptedException {
    long totalEvents = 0;
    long totalBytes = 0;
    long t0 = System.nanoTime();
    int index = 0;
    boolean checkpoints = this.checkpoints && filterPattern == null;
    for (String group : groups) {
      index++;
      long start = from;
      Optional<PullCheckpoint> cp = restart || !checkpoints ? Optional.empty() : store.checkpoint(group);
      boolean covers = cp.isPresent() && cp.get().fromTime() <= from && cp.get().toTime() > from;
      if (covers) {
        start = Math.max(from, settled(cp.get()));
        if (start >= to) {
          ctx.err.println("taillight: " + group + " is already in the index up to "
              + Format.dateTime(cp.get().toTime(), ctx.zone()) + " (pull --restart fetches it again)");
          continue;
        }
        ctx.err.println("taillight: resuming " + group + " from " + Format.dateTime(start, ctx.zone()));
      }
      long[] pulled = pullGroup(group, start, to, index, groups.size(), checkpoints);
      totalEvents += pulled[0];
      totalBytes += pulled[1];
      if (checkpoints) {
        store.putCheckpoint(new PullCheckpoint(group, covers ? Math.min(cp.get().fromTime(), from) : from,
            Math.max(to, covers ? cp.get().toTime() : to), ctx.env.clock().millis()));
      }
    }
    store.flush();
    double secs = (System.nanoTime() - t0) / 1e9;
    if (ctx.env.terminal()) {
      ctx.err.print("\r\u001b[K");
    }
    return new Result(totalEvents, totalBytes, groups.size(), secs);
  }

  /**
   * Up to where a checkpoint's range is surely complete: events CloudWatch stores late arrive within
   * {@link #LOOKBACK_MS}, so the range is complete up to its end if it was written that long after its end, else
   * up to {@code LOOKBACK_MS} before the time it was written (never earlier than a look-back before its end).
   */
  static long settled(PullCheckpoint cp) {
    return Math.max(cp.toTime() - LOOKBACK_MS, Math.min(cp.toTime(), cp.updatedAt() - LOOKBACK_MS));
  }

  private long[] pullGroup(String group, long start, long to, int index, int count, boolean checkpoints)
      throws InterruptedException {
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
      if (checkpoints && nowNanos - lastCheckpoint > 2_000_000_000L && newest.get() - LOOKBACK_MS > start) {
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
        count, Table.bar(f, 20, true), f * 100, events, FunctionsCommand.bytes(bytes), secs <= 0 ? 0 : events / secs,
        eta);
  }

  /** The summary line after a back-fill. */
  static String summary(Result r, String verb, Store store) {
    return String.format(Locale.ROOT, "taillight: %s %d events (%s) from %d log group%s in %.1f s into %s", verb,
        r.events(), FunctionsCommand.bytes(r.bytes()), r.groups(), r.groups() == 1 ? "" : "s", r.seconds(),
        store.path());
  }
}
