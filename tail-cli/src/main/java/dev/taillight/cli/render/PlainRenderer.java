package dev.taillight.cli.render;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationStatus;
import dev.taillight.collector.LogLine;
import java.io.PrintStream;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --format plain}: each finished invocation as a block, a header line with what REPORT said followed by
 * its lines, every line starting with the function name in the function's colour. Lines outside any invocation
 * are printed as they come. Invocations still running when the source ends are printed by {@link #finish()}.
 *
 * <pre>
 * orders-api 03:40:01.123 ┌ 8f3c2a1e-... OK COLD init 412.3 ms  120.5 ms  billed 121 ms  mem 87/512 MB  $0.00000225
 * orders-api 03:40:01.130 │ INFO  Processing order 42
 * </pre>
 */
public final class PlainRenderer implements TailRenderer {
  private final PrintStream out;
  private final Ansi ansi;
  private final ZoneId zone;
  private final LineFilter filter;
  private final boolean allLines;
  private final String top;
  private final String bar;
  private final Map<String, Invocation> running = new LinkedHashMap<>();
  private final Map<String, List<LogLine>> pendingLines = new LinkedHashMap<>();
  private int width;

  public PlainRenderer(PrintStream out, Ansi ansi, ZoneId zone, LineFilter filter, boolean allLines,
      boolean unicode) {
    this.out = out;
    this.ansi = ansi;
    this.zone = zone;
    this.filter = filter;
    this.allLines = allLines;
    this.top = unicode ? "\u250c" : "+";
    this.bar = unicode ? "\u2502" : "|";
  }

  /** Pads function names to at least this width from the start (e.g. the longest name being tailed). */
  public PlainRenderer reserveWidth(int width) {
    this.width = Math.max(this.width, width);
    return this;
  }

  @Override
  public void onLine(LogLine line) {
    if (line.requestId() == null) {
      if (LineVisibility.visible(line, allLines) && filter.test(line)) {
        printLine(line, " ");
      }
      return;
    }
    pendingLines.computeIfAbsent(line.requestId(), k -> new ArrayList<>()).add(line);
  }

  @Override
  public void onInvocationStarted(Invocation invocation) {
    running.put(invocation.requestId(), invocation);
  }

  @Override
  public void onInvocationFinished(Invocation invocation) {
    running.remove(invocation.requestId());
    pendingLines.remove(invocation.requestId());
    if (filter.test(invocation)) {
      printInvocation(invocation, invocation.lines());
    }
  }

  @Override
  public void finish() {
    for (Map.Entry<String, List<LogLine>> e : pendingLines.entrySet()) {
      Invocation inv = running.get(e.getKey());
      List<LogLine> lines = e.getValue();
      if (inv == null) {
        LogLine first = lines.get(0);
        inv = new Invocation(first.function(), first.event().logGroup(), first.event().logStream(), e.getKey(),
            first.timestamp(), null, false, null, null, null, null, null, null, InvocationStatus.RUNNING, null,
            null, null, null, lines, List.of());
      }
      boolean keep = filter.isAll() || lines.stream().anyMatch(filter::test);
      if (keep) {
        printInvocation(inv, lines);
      }
    }
    for (Invocation inv : running.values()) {
      if (!pendingLines.containsKey(inv.requestId()) && filter.test(inv)) {
        printInvocation(inv, inv.lines());
      }
    }
    running.clear();
    pendingLines.clear();
    out.flush();
  }

  private void printInvocation(Invocation inv, List<LogLine> lines) {
    StringBuilder sb = new StringBuilder(160);
    sb.append(prefix(inv.function(), inv.startTime())).append(' ').append(ansi.function(inv.function(), top))
        .append(' ').append(inv.requestId()).append(' ');
    String status = InvocationText.status(inv.status());
    if (inv.status() == InvocationStatus.OK) {
      sb.append(ansi.green(status));
    } else if (inv.status() == InvocationStatus.TIMEOUT || inv.status() == InvocationStatus.CRASH
        || inv.status() == InvocationStatus.INIT_FAILURE) {
      sb.append(ansi.enabled() ? ansi.alarm(" " + status + " ") : status);
    } else if (inv.status().failed()) {
      sb.append(ansi.red(status));
    } else {
      sb.append(ansi.dim(status));
    }
    String cold = InvocationText.cold(inv);
    if (cold != null) {
      sb.append(' ').append(ansi.yellow(cold));
    }
    for (String fact : InvocationText.facts(inv)) {
      sb.append("  ").append(fact);
    }
    String error = InvocationText.error(inv);
    if (error != null) {
      sb.append("  ").append(ansi.red(error));
    }
    out.println(sb);
    for (LogLine line : lines) {
      if (LineVisibility.visible(line, allLines)) {
        printLine(line, ansi.function(inv.function(), bar));
      }
    }
  }

  private void printLine(LogLine line, String gutter) {
    String head = prefix(line.function(), line.timestamp()) + " " + gutter + " ";
    String level = line.level() == null ? "" : Format.fit(line.level(), 5) + " ";
    boolean error = LineVisibility.isError(line);
    String[] parts = line.text().split("\r?\n", -1);
    for (int i = 0; i < parts.length; i++) {
      String text = (i == 0 ? level : " ".repeat(level.length())) + parts[i];
      out.println(head + (error ? ansi.red(text) : text));
    }
  }

  private String prefix(String function, long timestamp) {
    width = Math.max(width, function.length());
    return ansi.function(function, Format.fit(function, width)) + " " + ansi.dim(Format.time(timestamp, zone));
  }
}
