package dev.taillight.cli.render;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.SpanData;
import dev.taillight.collector.Trace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A trace as a waterfall: one row per span (children indented under their parent), a bar on a shared time
 * axis, a cold start's init phase as its own bar, errors marked. Invocations of the trace that wrote no span
 * (functions without the instrumentation) get a bar from their REPORT timing. Used by {@code taillight trace}
 * and the TUI's trace view; lays out text only, colours are added by the caller per {@link Row#error()}.
 */
public final class Waterfall {

  /** What a row stands for. */
  public enum Kind { SPAN, INIT, INVOCATION }

  /**
   * One bar.
   *
   * @param depth nesting level (0 = root)
   * @param function the function the span ran in, or null
   * @param name span name, {@code init (cold start)}, or {@code invocation <id>}
   * @param startMs start, relative to the trace start, in milliseconds
   * @param durationMs length in milliseconds
   * @param error whether the span or invocation failed
   * @param kind what the bar stands for
   */
  public record Row(int depth, String function, String name, double startMs, double durationMs, boolean error,
      Kind kind) {}

  private final Trace trace;
  private final List<Row> rows = new ArrayList<>();
  private final double totalMs;

  private Waterfall(Trace trace) {
    this.trace = trace;
    long origin = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    for (SpanData s : trace.spans()) {
      origin = Math.min(origin, s.startEpochNanos());
      end = Math.max(end, s.endEpochNanos());
    }
    for (Invocation inv : trace.invocations()) {
      long start = inv.startTime() * 1_000_000L;
      if (inv.coldStart() && inv.initDurationMs() != null && !hasInitSpan(inv)) {
        start -= (long) (inv.initDurationMs() * 1_000_000L);
      }
      origin = Math.min(origin, start);
      long stop = inv.endTime() != null ? inv.endTime() * 1_000_000L
          : inv.durationMs() != null ? inv.startTime() * 1_000_000L + (long) (inv.durationMs() * 1_000_000L)
          : inv.startTime() * 1_000_000L;
      end = Math.max(end, stop);
    }
    if (origin == Long.MAX_VALUE) {
      origin = 0;
      end = 0;
    }
    final long t0 = origin;
    this.totalMs = Math.max(0, (end - origin) / 1e6);

    Set<String> spanIds = new HashSet<>();
    trace.spans().forEach(s -> spanIds.add(s.spanId()));
    Set<String> drawnInvocations = new HashSet<>();
    for (SpanData root : trace.roots()) {
      addSpan(root, 0, t0, drawnInvocations);
    }
    for (Invocation inv : trace.invocations()) {
      if (!drawnInvocations.contains(inv.requestId())) {
        addInit(inv, 0, t0);
        double start = (inv.startTime() * 1_000_000L - t0) / 1e6;
        double dur = inv.durationMs() != null ? inv.durationMs()
            : inv.endTime() != null ? inv.endTime() - inv.startTime() : 0;
        rows.add(new Row(0, inv.function(), "invocation " + Format.shortId(inv.requestId()), start, dur,
            inv.status().failed(), Kind.INVOCATION));
      }
    }
  }

  public static Waterfall of(Trace trace) {
    return new Waterfall(trace);
  }

  public List<Row> rows() {
    return rows;
  }

  public double totalMs() {
    return totalMs;
  }

  public Trace trace() {
    return trace;
  }

  private boolean hasInitSpan(Invocation inv) {
    for (SpanData s : trace.spans()) {
      if (inv.requestId().equals(s.invocationId()) || inv.spans().contains(s)) {
        for (SpanData c : trace.children(s.spanId())) {
          if (c.name().toLowerCase(Locale.ROOT).startsWith("init")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private Invocation invocationOf(SpanData s) {
    String id = s.invocationId();
    for (Invocation inv : trace.invocations()) {
      if (inv.requestId().equals(id) || inv.spans().contains(s)) {
        return inv;
      }
    }
    return null;
  }

  private void addInit(Invocation inv, int depth, long t0) {
    if (inv != null && inv.coldStart() && inv.initDurationMs() != null && !hasInitSpan(inv)) {
      double start = (inv.startTime() * 1_000_000L - t0) / 1e6 - inv.initDurationMs();
      rows.add(new Row(depth, inv.function(), "init (cold start)", start, inv.initDurationMs(), false, Kind.INIT));
    }
  }

  private void addSpan(SpanData s, int depth, long t0, Set<String> drawn) {
    Invocation inv = invocationOf(s);
    String function = s.serviceName();
    if (inv != null) {
      function = inv.function();
      if (drawn.add(inv.requestId())) {
        addInit(inv, depth, t0);
      }
    }
    boolean error = "ERROR".equals(s.statusCode());
    String name = s.name();
    Kind kind = Kind.SPAN;
    if (name.toLowerCase(Locale.ROOT).startsWith("init") && s.parentSpanId() != null) {
      kind = Kind.INIT;
    }
    rows.add(new Row(depth, function, name, (s.startEpochNanos() - t0) / 1e6, s.durationNanos() / 1e6, error, kind));
    for (SpanData c : trace.children(s.spanId())) {
      addSpan(c, depth + 1, t0, drawn);
    }
  }

  /**
   * Lays the waterfall out in {@code width} columns: a time axis line, then one line per row ({@code label  bar
   * duration}). Line {@code i + 1} belongs to {@code rows().get(i)}.
   */
  public List<String> lines(int width, boolean unicode) {
    int labelWidth = 10;
    for (Row r : rows) {
      labelWidth = Math.max(labelWidth, label(r).length());
    }
    labelWidth = Math.min(labelWidth, Math.max(16, width / 3));
    int durWidth = 11;
    int barWidth = Math.max(10, width - labelWidth - durWidth - 2);
    List<String> out = new ArrayList<>(rows.size() + 1);
    out.add(Format.fit("", labelWidth) + " " + axis(barWidth) + " " + Format.right(Format.ms(totalMs), durWidth - 1));
    char full = unicode ? '\u2588' : '#';
    char init = unicode ? '\u2591' : '-';
    for (Row r : rows) {
      StringBuilder bar = new StringBuilder(" ".repeat(barWidth));
      double scale = totalMs <= 0 ? 0 : barWidth / totalMs;
      int from = (int) Math.floor(Math.max(0, r.startMs()) * scale);
      int to = (int) Math.ceil((Math.max(0, r.startMs()) + r.durationMs()) * scale);
      from = Math.min(from, barWidth - 1);
      to = Math.max(from + 1, Math.min(to, barWidth));
      for (int i = from; i < to; i++) {
        bar.setCharAt(i, r.kind() == Kind.INIT ? init : full);
      }
      if (r.error()) {
        int at = Math.min(to, barWidth - 1);
        bar.setCharAt(at, unicode ? '\u2717' : 'X');
      }
      out.add(Format.fit(label(r), labelWidth) + " " + bar + " " + Format.right(Format.ms(r.durationMs()),
          durWidth - 1));
    }
    return out;
  }

  /** The row label: function and span name, indented by depth. */
  public static String label(Row r) {
    boolean named = r.function() != null && !r.function().equals(r.name());
    return "  ".repeat(r.depth()) + (named ? r.function() + " " : "") + r.name();
  }

  private String axis(int barWidth) {
    StringBuilder sb = new StringBuilder(" ".repeat(barWidth));
    String start = "0 ms";
    sb.replace(0, start.length(), start);
    if (totalMs > 0 && barWidth > 24) {
      String mid = Format.ms(totalMs / 2);
      int at = barWidth / 2 - mid.length() / 2;
      sb.replace(at, at + mid.length(), mid);
    }
    return sb.toString();
  }
}
