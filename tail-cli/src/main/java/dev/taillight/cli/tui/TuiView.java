package dev.taillight.cli.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import dev.taillight.cli.render.Format;
import dev.taillight.cli.render.FunctionColors;
import dev.taillight.cli.render.InvocationText;
import dev.taillight.cli.render.LineVisibility;
import dev.taillight.cli.render.Waterfall;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationStatus;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.SourceStatus;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link TuiModel} with Lanterna: functions pane on the left, the stream on the right with the detail
 * pane under it, the status line at the bottom, and the help, trace and filter views over them. Reads the model
 * only; all state lives in the model.
 *
 * <pre>
 * FUNCTION      ev/s inv err cold│orders-api 03:40:01.123 ┌ 8f3c2a1e OK COLD init 412 ms  120.5 ms ...
 * orders-api     2.0   3   1    1│orders-api 03:40:01.130 │ INFO  Processing order 42
 * ...                            │─ 8f3c2a1e-... orders-api ─────────────────────────────
 *                                │ status OK  cold start (init 412.3 ms)  duration 120.5 ms ...
 * polling · 1.0 req/s · lag 2.1 s · 12.0 ev/s                     ?:help  /:filter  e:next error  q:quit
 * </pre>
 */
public final class TuiView {
  private static final TextColor[] PALETTE = {
      TextColor.ANSI.CYAN, TextColor.ANSI.GREEN, TextColor.ANSI.YELLOW, TextColor.ANSI.BLUE,
      TextColor.ANSI.MAGENTA, TextColor.ANSI.CYAN_BRIGHT, TextColor.ANSI.GREEN_BRIGHT,
      TextColor.ANSI.YELLOW_BRIGHT, TextColor.ANSI.BLUE_BRIGHT, TextColor.ANSI.MAGENTA_BRIGHT};

  private final ZoneId zone;
  private final boolean unicode;
  private StreamModel.Row top;

  public TuiView(ZoneId zone, boolean unicode) {
    this.zone = zone;
    this.unicode = unicode;
  }

  static TextColor colorOf(String function) {
    return PALETTE[FunctionColors.index(function)];
  }

  /** Draws the whole screen. */
  public void draw(TuiModel m, TextGraphics g, TerminalSize size) {
    int w = size.getColumns();
    int h = size.getRows();
    reset(g);
    g.fill(' ');
    if (w < 20 || h < 5) {
      g.putString(0, 0, Format.fit("window too small", w));
      return;
    }
    int fw = Math.min(40, Math.max(28, w * 34 / 100));
    int body = h - 1;
    drawFunctions(m, g, 0, 0, fw, body);
    char vbar = unicode ? '\u2502' : '|';
    for (int r = 0; r < body; r++) {
      g.setCharacter(fw, r, vbar);
    }
    int sx = fw + 1;
    int sw = w - sx;
    int detail = Math.min(6, Math.max(3, body / 4));
    int streamHeight = body - detail - 1;
    m.pageSize(streamHeight);
    if (m.mode() == TuiModel.Mode.TRACE && m.trace() != null) {
      g.fillRectangle(new com.googlecode.lanterna.TerminalPosition(0, 0), new TerminalSize(w, body), ' ');
      drawTrace(m.trace(), g, 0, 0, w, body);
    } else {
      drawStream(m, g, sx, 0, sw, streamHeight);
      drawDetail(m, g, sx, streamHeight, sw, detail + 1);
    }
    drawStatus(m, g, w, h - 1);
    if (m.mode() == TuiModel.Mode.HELP) {
      drawHelp(m, g, w, body);
    }
  }

  private static void reset(TextGraphics g) {
    g.setForegroundColor(TextColor.ANSI.DEFAULT);
    g.setBackgroundColor(TextColor.ANSI.DEFAULT);
    g.clearModifiers();
  }

  private void drawFunctions(TuiModel m, TextGraphics g, int x, int y, int w, int h) {
    int nameW = w - 20;
    g.enableModifiers(SGR.BOLD);
    g.putString(x, y, Format.fit(Format.fit("FUNCTION", nameW) + Format.right("ev/s", 6) + Format.right("err", 4)
        + Format.right("cold", 5) + Format.right("lag", 5), w));
    reset(g);
    int row = y + 1;
    long now = m.now();
    for (FunctionsModel.Entry e : m.functions().entries()) {
      if (row >= y + h) {
        break;
      }
      g.setForegroundColor(colorOf(e.function()));
      g.putString(x, row, Format.fit(e.function(), nameW));
      reset(g);
      String rate = String.format(Locale.ROOT, "%.1f", m.functions().rate(e, now));
      g.putString(x + nameW, row, Format.right(rate, 6));
      if (e.errors() > 0) {
        g.setForegroundColor(TextColor.ANSI.RED);
        g.enableModifiers(SGR.BOLD);
      }
      g.putString(x + nameW + 6, row, Format.right(count(e.errors()), 4));
      reset(g);
      g.putString(x + nameW + 10, row, Format.right(count(e.coldStarts()), 5) + Format.right(lag(e.lagMillis()), 5));
      row++;
    }
  }

  private static String count(long n) {
    return n < 1000 ? Long.toString(n) : n < 100_000 ? (n / 1000) + "k" : "99k+";
  }

  private static String lag(long ms) {
    if (ms < 0) {
      return "-";
    }
    if (ms < 10_000) {
      return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    return ms < 100_000 ? (ms / 1000) + "s" : (ms / 60_000) + "m";
  }

  private void drawStream(TuiModel m, TextGraphics g, int x, int y, int w, int h) {
    StreamModel s = m.stream();
    List<StreamModel.Row> rows = s.window(h, top);
    top = rows.isEmpty() ? null : rows.get(0);
    StreamModel.Row cursor = s.cursor();
    int fnW = 4;
    for (StreamModel.Row r : rows) {
      fnW = Math.max(fnW, Math.min(18, s.block(r.seq()).function().length()));
    }
    if (rows.isEmpty()) {
      g.enableModifiers(SGR.ITALIC);
      g.putString(x + 1, y, s.filter().isEmpty() ? "waiting for log events..." : "nothing matches the filter");
      reset(g);
    }
    int line = y;
    for (StreamModel.Row r : rows) {
      StreamModel.Block b = s.block(r.seq());
      boolean selected = r.equals(cursor);
      drawRow(g, x, line, w, b, r.row(), fnW, selected, s.matches(b, r.row()));
      line++;
    }
  }

  private void drawRow(TextGraphics g, int x, int y, int w, StreamModel.Block b, int row, int fnW, boolean selected,
      boolean match) {
    LogLine l = b.line(row);
    String fn = Format.fit(b.function(), fnW);
    long ts = l != null ? l.timestamp() : b.invocation().startTime();
    String gutter = !b.isInvocation() ? " " : l == null ? (unicode ? "\u250c" : "+") : (unicode ? "\u2502" : "|");
    String head = fn + " " + Format.time(ts, zone) + " " + gutter + " ";
    String text;
    TextColor color = TextColor.ANSI.DEFAULT;
    boolean bold = false;
    if (l == null) {
      Invocation inv = b.invocation();
      StringBuilder sb = new StringBuilder();
      sb.append(Format.shortId(inv.requestId())).append(' ').append(InvocationText.status(inv.status()));
      String cold = InvocationText.cold(inv);
      if (cold != null) {
        sb.append(' ').append(cold);
      }
      for (String f : InvocationText.facts(inv)) {
        sb.append("  ").append(f);
      }
      String err = InvocationText.error(inv);
      if (err != null) {
        sb.append("  ").append(err);
      }
      text = sb.toString();
      bold = true;
      if (inv.status().failed()) {
        color = TextColor.ANSI.RED;
      } else if (inv.status() == InvocationStatus.RUNNING) {
        color = TextColor.ANSI.DEFAULT;
        bold = false;
      }
    } else {
      text = (l.level() == null ? "" : Format.fit(l.level(), 5) + " ") + l.text().replace('\n', ' ').replace('\r', ' ')
          .replace('\t', ' ');
      if (LineVisibility.isError(l)) {
        color = TextColor.ANSI.RED;
      }
    }
    String full = Format.fit(head + text, w);
    if (selected) {
      g.enableModifiers(SGR.REVERSE);
    }
    g.setForegroundColor(colorOf(b.function()));
    g.putString(x, y, full.substring(0, Math.min(fnW, full.length())));
    g.setForegroundColor(TextColor.ANSI.DEFAULT);
    if (full.length() > fnW) {
      g.putString(x + fnW, y, full.substring(fnW, Math.min(head.length(), full.length())));
    }
    if (full.length() > head.length()) {
      g.setForegroundColor(color);
      if (match) {
        g.setBackgroundColor(TextColor.ANSI.YELLOW);
        g.setForegroundColor(TextColor.ANSI.BLACK);
      }
      if (bold) {
        g.enableModifiers(SGR.BOLD);
      }
      g.putString(x + head.length(), y, full.substring(head.length()));
    }
    reset(g);
  }

  private void drawDetail(TuiModel m, TextGraphics g, int x, int y, int w, int h) {
    char hbar = unicode ? '\u2500' : '-';
    Invocation inv = m.stream().selectedInvocation();
    String title = inv == null ? "" : " " + inv.function() + " " + inv.requestId() + " ";
    g.putString(x, y, Format.fit(String.valueOf(hbar) + title + String.valueOf(hbar).repeat(Math.max(0, w)), w));
    if (inv == null) {
      g.putString(x + 1, y + 1, Format.fit("select an invocation (Up/Down) to see its details", w - 1));
      return;
    }
    String cold = InvocationText.cold(inv);
    String line1 = "status " + InvocationText.status(inv.status())
        + (cold == null ? "  warm" : "  " + cold) + "  duration " + Format.ms(inv.durationMs())
        + "  billed " + Format.ms(inv.billedDurationMs());
    String line2 = "memory " + (inv.maxMemoryUsedMb() == null ? "-" : inv.maxMemoryUsedMb()) + "/"
        + (inv.memorySizeMb() == null ? "-" : inv.memorySizeMb()) + " MB  cost " + Format.usd(inv.costUsd())
        + "  lines " + Math.max(inv.lineCount(), blockLines(m)) + "  spans " + inv.spans().size();
    String line3 = "trace " + (inv.traceId() == null ? "-" : inv.traceId()) + "  stream " + inv.logStream();
    String err = InvocationText.error(inv);
    String[] lines = {line1, line2, line3, err == null ? "" : "error " + err};
    for (int i = 0; i < lines.length && i + 1 < h; i++) {
      if (i == 0 && inv.status().failed() || i == 3) {
        g.setForegroundColor(TextColor.ANSI.RED);
      }
      g.putString(x + 1, y + 1 + i, Format.fit(lines[i], w - 1));
      reset(g);
    }
  }

  private static int blockLines(TuiModel m) {
    StreamModel.Block b = m.stream().selectedBlock();
    return b == null ? 0 : b.lines().size();
  }

  private void drawTrace(Waterfall wf, TextGraphics g, int x, int y, int w, int h) {
    g.enableModifiers(SGR.BOLD);
    long errors = wf.rows().stream().filter(Waterfall.Row::error).count();
    g.putString(x, y, Format.fit("trace " + wf.trace().traceId() + "  " + wf.rows().size() + " bars  "
        + Format.ms(wf.totalMs()) + (errors > 0 ? "  " + errors + " failed" : "") + "   (Esc: back)", w));
    reset(g);
    List<String> lines = wf.lines(w, unicode);
    for (int i = 0; i < lines.size() && y + 1 + i < y + h; i++) {
      if (i > 0) {
        Waterfall.Row r = wf.rows().get(i - 1);
        if (r.error()) {
          g.setForegroundColor(TextColor.ANSI.RED);
        } else if (r.kind() == Waterfall.Kind.INIT) {
          g.setForegroundColor(TextColor.ANSI.YELLOW);
        } else if (r.function() != null) {
          g.setForegroundColor(colorOf(r.function()));
        }
      }
      g.putString(x, y + 1 + i, Format.fit(lines.get(i), w));
      reset(g);
    }
    int row = y + 2 + lines.size();
    char hbar = unicode ? '\u2500' : '-';
    for (Invocation inv : wf.trace().invocations()) {
      if (row >= y + h) {
        break;
      }
      g.setForegroundColor(colorOf(inv.function()));
      g.putString(x, row++, Format.fit(hbar + " " + inv.function() + " " + inv.requestId() + " "
          + InvocationText.status(inv.status()) + " " + String.valueOf(hbar).repeat(w), w));
      reset(g);
      for (LogLine l : inv.lines()) {
        if (row >= y + h) {
          break;
        }
        if (!LineVisibility.visible(l, false)) {
          continue;
        }
        if (LineVisibility.isError(l)) {
          g.setForegroundColor(TextColor.ANSI.RED);
        }
        g.putString(x, row++, Format.fit(Format.time(l.timestamp(), zone) + " " + (l.level() == null ? ""
            : Format.fit(l.level(), 5) + " ") + l.text().replace('\n', ' ').replace('\t', ' '), w));
        reset(g);
      }
    }
  }

  private void drawStatus(TuiModel m, TextGraphics g, int w, int y) {
    StringBuilder left = new StringBuilder();
    if (m.mode() == TuiModel.Mode.FILTER_INPUT) {
      left.append("/").append(m.filterInput()).append('_');
    } else {
      SourceStatus st = m.status();
      if (st != null) {
        boolean sampled = st.groups().stream().anyMatch(gs -> gs.state().contains("sampled"));
        long lag = st.groups().stream().mapToLong(SourceStatus.GroupStatus::lagMillis).max().orElse(-1);
        left.append(st.mode()).append(sampled ? " (sampled)" : "")
            .append(String.format(Locale.ROOT, " \u00b7 %.1f req/s", st.requestsPerSecond()))
            .append(" \u00b7 lag ").append(lag < 0 ? "-" : Format.ms((double) lag));
        if (st.message() != null) {
          left.append(" \u00b7 ").append(st.message());
        }
        left.append(" \u00b7 ");
      }
      left.append(String.format(Locale.ROOT, "%.1f ev/s", m.eventsPerSecond()));
      left.append(" \u00b7 ").append(m.stream().lineCount()).append(" lines");
      if (m.pauseBuffer().paused()) {
        left.append(" \u00b7 PAUSED +").append(m.pauseBuffer().heldLines()).append(" new");
      } else if (!m.stream().following()) {
        left.append(" \u00b7 scrolled (End: follow)");
      }
      if (!m.stream().filter().isEmpty()) {
        left.append(" \u00b7 filter '").append(m.stream().filter()).append('\'');
      }
      if (m.message() != null) {
        left.append(" \u00b7 ").append(m.message());
      }
    }
    String right = m.keys().hint();
    if (left.length() + right.length() + 2 > w) {
      right = "?:help  q:quit";
    }
    String text = left.length() + right.length() + 2 <= w
        ? left + " ".repeat(w - left.length() - right.length()) + right : Format.fit(left.toString(), w);
    String ascii = unicode ? text : text.replace('\u00b7', '-');
    g.setBackgroundColor(m.pauseBuffer().paused() ? TextColor.ANSI.YELLOW : TextColor.ANSI.BLUE);
    g.setForegroundColor(m.pauseBuffer().paused() ? TextColor.ANSI.BLACK : TextColor.ANSI.WHITE_BRIGHT);
    g.putString(0, y, Format.fit(ascii, w));
    reset(g);
  }

  private void drawHelp(TuiModel m, TextGraphics g, int w, int h) {
    List<KeyMap.Binding> bindings = m.keys().bindings();
    int bw = Math.min(w - 2, 72);
    int bh = Math.min(h - 2, bindings.size() + 3);
    int x = (w - bw) / 2;
    int y = Math.max(0, (h - bh) / 2);
    g.setBackgroundColor(TextColor.ANSI.BLACK_BRIGHT);
    g.setForegroundColor(TextColor.ANSI.WHITE_BRIGHT);
    g.fillRectangle(new com.googlecode.lanterna.TerminalPosition(x, y), new TerminalSize(bw, bh), ' ');
    g.enableModifiers(SGR.BOLD);
    g.putString(x + 2, y, Format.fit("Keys (any key closes)", bw - 4));
    g.disableModifiers(SGR.BOLD);
    int row = y + 2;
    for (KeyMap.Binding b : bindings) {
      if (row >= y + bh) {
        break;
      }
      g.putString(x + 2, row++, Format.fit(Format.fit(b.label(), 8) + b.description(), bw - 4));
    }
    reset(g);
  }
}
