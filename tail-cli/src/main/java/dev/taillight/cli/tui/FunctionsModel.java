package dev.taillight.cli.tui;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.SourceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The functions pane: per function, lines per second over the last {@value #WINDOW_SECONDS} seconds,
 * invocations, errors, cold starts and how far behind the source is. Not thread-safe: the UI thread owns it.
 */
public final class FunctionsModel {
  static final int WINDOW_SECONDS = 10;

  /** One function's counters. */
  public static final class Entry {
    final String function;
    String logGroup;
    long lines;
    long invocations;
    long errors;
    long coldStarts;
    long lagMillis = -1;
    final long[] buckets = new long[WINDOW_SECONDS];
    long bucketSecond = Long.MIN_VALUE;

    Entry(String function) {
      this.function = function;
    }

    public String function() {
      return function;
    }

    public long lines() {
      return lines;
    }

    public long invocations() {
      return invocations;
    }

    public long errors() {
      return errors;
    }

    public long coldStarts() {
      return coldStarts;
    }

    /** Lag behind real time in ms, or -1 when unknown. */
    public long lagMillis() {
      return lagMillis;
    }
  }

  private final Map<String, Entry> entries = new TreeMap<>();

  /** Adds the function so it shows before its first line arrives. */
  public void register(String function, String logGroup) {
    entry(function).logGroup = logGroup;
  }

  public void onLine(LogLine line, long nowMillis) {
    Entry e = entry(line.function());
    e.logGroup = line.event().logGroup();
    e.lines++;
    roll(e, nowMillis);
    e.buckets[(int) Math.floorMod(nowMillis / 1000, WINDOW_SECONDS)]++;
  }

  public void onFinished(Invocation inv) {
    Entry e = entry(inv.function());
    e.invocations++;
    if (inv.status().failed()) {
      e.errors++;
    }
    if (inv.coldStart()) {
      e.coldStarts++;
    }
  }

  /** Takes per-group lag from the source's status. */
  public void onStatus(SourceStatus status) {
    for (SourceStatus.GroupStatus g : status.groups()) {
      for (Entry e : entries.values()) {
        if (g.logGroup().equals(e.logGroup)) {
          e.lagMillis = g.lagMillis();
        }
      }
    }
  }

  /** Lines per second over the window ending at {@code nowMillis}. */
  public double rate(Entry e, long nowMillis) {
    roll(e, nowMillis);
    long sum = 0;
    for (long b : e.buckets) {
      sum += b;
    }
    return (double) sum / WINDOW_SECONDS;
  }

  public List<Entry> entries() {
    return new ArrayList<>(entries.values());
  }

  private Entry entry(String function) {
    return entries.computeIfAbsent(function, Entry::new);
  }

  private static void roll(Entry e, long nowMillis) {
    long sec = nowMillis / 1000;
    if (e.bucketSecond == Long.MIN_VALUE) {
      e.bucketSecond = sec;
      return;
    }
    long gap = sec - e.bucketSecond;
    if (gap <= 0) {
      return;
    }
    for (long s = e.bucketSecond + 1; s <= sec && s <= e.bucketSecond + WINDOW_SECONDS; s++) {
      e.buckets[(int) Math.floorMod(s, WINDOW_SECONDS)] = 0;
    }
    e.bucketSecond = sec;
  }
}
