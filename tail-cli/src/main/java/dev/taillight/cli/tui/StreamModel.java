package dev.taillight.cli.tui;

import dev.taillight.cli.render.InvocationText;
import dev.taillight.cli.render.LineVisibility;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.LogLine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The log/invocation stream of the TUI: blocks in arrival order, each an invocation (a header row followed by
 * its lines) or a line that belongs to no invocation. A line of a running invocation joins its block, so
 * lines stay grouped under their invocation even when functions interleave.
 *
 * <p>Positions are {@link Row}s: a block's sequence number and a row inside it. Sequence numbers never change,
 * so the cursor and the view stay put while new blocks arrive. A filter hides blocks that do not contain the
 * text. Once more than {@code capacity} blocks are held, the oldest are let go (they are in the index).
 *
 * <p>Not thread-safe: the UI thread owns it.
 */
public final class StreamModel {

  /** A position: block sequence number and row within the block (0 = header of an invocation block). */
  public record Row(long seq, int row) {}

  /** One block of the stream. */
  public static final class Block {
    final long seq;
    final String function;
    Invocation invocation;
    final List<LogLine> lines = new ArrayList<>();
    int filterVersion = -1;
    boolean filterMatch;

    Block(long seq, String function, Invocation invocation) {
      this.seq = seq;
      this.function = function;
      this.invocation = invocation;
    }

    public boolean isInvocation() {
      return invocation != null;
    }

    public Invocation invocation() {
      return invocation;
    }

    public String function() {
      return function;
    }

    public List<LogLine> lines() {
      return lines;
    }

    public int rows() {
      return invocation == null ? lines.size() : 1 + lines.size();
    }

    /** The line at {@code row}, or null for the header row. */
    public LogLine line(int row) {
      return invocation == null ? lines.get(row) : row == 0 ? null : lines.get(row - 1);
    }

    /** Plain text of a row, for matching. */
    String text(int row) {
      LogLine l = line(row);
      if (l != null) {
        return l.text();
      }
      String err = InvocationText.error(invocation);
      return invocation.function() + " " + invocation.requestId() + " " + InvocationText.status(invocation.status())
          + (err == null ? "" : " " + err);
    }

    boolean isError(int row) {
      LogLine l = line(row);
      return l == null ? invocation.status().failed() : LineVisibility.isError(l);
    }
  }

  private final int capacity;
  private final boolean allLines;
  private final List<Block> blocks = new ArrayList<>();
  private final Map<String, Block> byRequest = new HashMap<>();
  private long baseSeq;
  private long lineCount;
  private String filter = "";
  private int filterVersion;
  private Row cursor;
  private boolean follow = true;

  public StreamModel(int capacity, boolean allLines) {
    this.capacity = capacity;
    this.allLines = allLines;
  }

  // ---- feeding -------------------------------------------------------------------------------------------

  public void addLine(LogLine line) {
    lineCount++;
    if (!LineVisibility.visible(line, allLines)) {
      return;
    }
    if (line.requestId() == null) {
      Block b = newBlock(line.function(), null);
      b.lines.add(line);
      return;
    }
    Block b = byRequest.get(key(line.event().logGroup(), line.requestId()));
    if (b == null) {
      b = newBlock(line.function(), placeholder(line));
      byRequest.put(key(line.event().logGroup(), line.requestId()), b);
    }
    b.lines.add(line);
    b.filterVersion = -1;
  }

  public void invocationStarted(Invocation inv) {
    Block b = byRequest.get(key(inv.logGroup(), inv.requestId()));
    if (b == null) {
      b = newBlock(inv.function(), inv);
      byRequest.put(key(inv.logGroup(), inv.requestId()), b);
    } else {
      b.invocation = inv;
    }
    b.filterVersion = -1;
  }

  public void invocationFinished(Invocation inv) {
    Block b = byRequest.remove(key(inv.logGroup(), inv.requestId()));
    if (b == null) {
      b = newBlock(inv.function(), inv);
      for (LogLine l : inv.lines()) {
        if (LineVisibility.visible(l, allLines)) {
          b.lines.add(l);
        }
      }
    }
    b.invocation = inv;
    b.filterVersion = -1;
  }

  private static String key(String group, String requestId) {
    return group + '\u0000' + requestId;
  }

  private static Invocation placeholder(LogLine l) {
    return new Invocation(l.function(), l.event().logGroup(), l.event().logStream(), l.requestId(), l.timestamp(),
        null, false, null, null, null, null, null, null, dev.taillight.collector.InvocationStatus.RUNNING, null,
        null, null, null, List.of(), List.of());
  }

  private Block newBlock(String function, Invocation inv) {
    Block b = new Block(baseSeq + blocks.size(), function, inv);
    blocks.add(b);
    if (blocks.size() > capacity + capacity / 10) {
      evict(blocks.size() - capacity);
    }
    return b;
  }

  private void evict(int n) {
    List<Block> gone = blocks.subList(0, n);
    for (Block b : gone) {
      if (b.invocation != null) {
        byRequest.remove(key(b.invocation.logGroup(), b.invocation.requestId()), b);
      }
    }
    gone.clear();
    baseSeq += n;
    if (cursor != null && cursor.seq() < baseSeq) {
      cursor = first();
    }
  }

  // ---- reading --------------------------------------------------------------------------------------------

  public long lineCount() {
    return lineCount;
  }

  public int blockCount() {
    return blocks.size();
  }

  public Block block(long seq) {
    long i = seq - baseSeq;
    return i < 0 || i >= blocks.size() ? null : blocks.get((int) i);
  }

  public String filter() {
    return filter;
  }

  public boolean following() {
    return follow;
  }

  /** The selected row: the newest row while following, or null when nothing is visible. */
  public Row cursor() {
    if (follow || cursor == null) {
      return last();
    }
    Block b = block(cursor.seq());
    if (!visible(b) || cursor.row() >= b.rows()) {
      cursor = nearestVisible(cursor);
    }
    return cursor;
  }

  /** The block of the selected row, or null. */
  public Block selectedBlock() {
    Row c = cursor();
    return c == null ? null : block(c.seq());
  }

  /** The invocation of the selected row, or null. */
  public Invocation selectedInvocation() {
    Row c = cursor();
    Block b = c == null ? null : block(c.seq());
    return b == null ? null : b.invocation;
  }

  public boolean visible(Block b) {
    if (b == null) {
      return false;
    }
    if (filter.isEmpty()) {
      return true;
    }
    if (b.filterVersion != filterVersion) {
      b.filterMatch = false;
      for (int r = 0; r < b.rows(); r++) {
        if (matches(b, r)) {
          b.filterMatch = true;
          break;
        }
      }
      b.filterVersion = filterVersion;
    }
    return b.filterMatch;
  }

  /** Whether row {@code r} of block {@code b} contains the filter text (false without a filter). */
  public boolean matches(Block b, int r) {
    return !filter.isEmpty() && b.text(r).toLowerCase(Locale.ROOT).contains(filter);
  }

  public Row first() {
    for (Block b : blocks) {
      if (visible(b) && b.rows() > 0) {
        return new Row(b.seq, 0);
      }
    }
    return null;
  }

  public Row last() {
    for (int i = blocks.size() - 1; i >= 0; i--) {
      Block b = blocks.get(i);
      if (visible(b) && b.rows() > 0) {
        return new Row(b.seq, b.rows() - 1);
      }
    }
    return null;
  }

  /** The visible row after {@code r}, or null. */
  public Row next(Row r) {
    Block b = block(r.seq());
    if (b != null && r.row() + 1 < b.rows()) {
      return new Row(r.seq(), r.row() + 1);
    }
    for (long s = Math.max(r.seq() + 1, baseSeq); s < baseSeq + blocks.size(); s++) {
      Block n = block(s);
      if (visible(n) && n.rows() > 0) {
        return new Row(s, 0);
      }
    }
    return null;
  }

  /** The visible row before {@code r}, or null. */
  public Row prev(Row r) {
    if (r.row() > 0 && block(r.seq()) != null) {
      return new Row(r.seq(), r.row() - 1);
    }
    for (long s = Math.min(r.seq() - 1, baseSeq + blocks.size() - 1); s >= baseSeq; s--) {
      Block p = block(s);
      if (visible(p) && p.rows() > 0) {
        return new Row(s, p.rows() - 1);
      }
    }
    return null;
  }

  private Row nearestVisible(Row r) {
    if (r == null) {
      return last();
    }
    Block b = block(r.seq());
    if (visible(b) && b.rows() > 0) {
      return new Row(r.seq(), Math.min(r.row(), b.rows() - 1));
    }
    Row n = next(new Row(r.seq(), Integer.MAX_VALUE - 1));
    return n != null ? n : last();
  }

  /** The {@code height} rows to show, top to bottom, keeping the cursor on screen. */
  public List<Row> window(int height, Row top) {
    List<Row> rows = new ArrayList<>(height);
    Row c = cursor();
    if (c == null || height <= 0) {
      return rows;
    }
    Row start = top;
    if (follow || start == null || block(start.seq()) == null || !visible(block(start.seq()))) {
      start = c;
      for (int i = 1; i < height; i++) {
        Row p = prev(start);
        if (p == null) {
          break;
        }
        start = p;
      }
    } else if (before(c, start)) {
      start = c;
    }
    Row r = start;
    while (r != null && rows.size() < height) {
      rows.add(r);
      r = next(r);
    }
    if (!rows.contains(c)) {
      rows.clear();
      r = c;
      for (int i = 1; i < height && prev(r) != null; i++) {
        r = prev(r);
      }
      while (r != null && rows.size() < height) {
        rows.add(r);
        r = next(r);
      }
    }
    return rows;
  }

  private static boolean before(Row a, Row b) {
    return a.seq() < b.seq() || (a.seq() == b.seq() && a.row() < b.row());
  }

  // ---- moving ---------------------------------------------------------------------------------------------

  public void move(int delta) {
    Row c = cursor();
    if (c == null) {
      return;
    }
    Row r = c;
    for (int i = 0; i < Math.abs(delta); i++) {
      Row n = delta > 0 ? next(r) : prev(r);
      if (n == null) {
        break;
      }
      r = n;
    }
    select(r);
    if (delta > 0 && r.equals(last())) {
      follow = true;
    }
  }

  public void top() {
    Row f = first();
    if (f != null) {
      select(f);
    }
  }

  public void bottom() {
    follow = true;
    cursor = null;
  }

  /** Selects a row and stops following. */
  public void select(Row r) {
    cursor = r;
    follow = false;
  }

  /** Moves to the next (or previous) row that contains the filter text; false when there is none. */
  public boolean nextMatch(boolean forward) {
    return seek(forward, (b, r) -> matches(b, r));
  }

  /** Moves to the next (or previous) error line or failed invocation; false when there is none. */
  public boolean nextError(boolean forward) {
    return seek(forward, Block::isError);
  }

  private boolean seek(boolean forward, java.util.function.BiPredicate<Block, Integer> test) {
    Row c = cursor();
    if (c == null) {
      return false;
    }
    for (Row r = forward ? next(c) : prev(c); r != null; r = forward ? next(r) : prev(r)) {
      if (test.test(block(r.seq()), r.row())) {
        select(r);
        return true;
      }
    }
    return false;
  }

  /** Shows only blocks containing {@code text} (case-insensitive); empty shows everything. */
  public void setFilter(String text) {
    Row before = follow ? null : cursor;
    filter = text == null ? "" : text.toLowerCase(Locale.ROOT);
    filterVersion++;
    if (before != null) {
      cursor = nearestVisible(before);
    }
  }
}
