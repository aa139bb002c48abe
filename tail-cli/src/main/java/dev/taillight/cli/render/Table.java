package dev.taillight.cli.render;

import java.util.ArrayList;
import java.util.List;

/**
 * A text table: columns sized to their content, numbers right-aligned, two spaces between columns, the header
 * in bold when colours are on. Cells may carry ANSI styling; widths are measured without it.
 */
public final class Table {
  private final List<String> headers;
  private final boolean[] right;
  private final List<List<String>> rows = new ArrayList<>();

  /** Column names; a name starting with {@code >} is right-aligned (the {@code >} is not printed). */
  public Table(String... columns) {
    headers = new ArrayList<>();
    right = new boolean[columns.length];
    for (int i = 0; i < columns.length; i++) {
      right[i] = columns[i].startsWith(">");
      headers.add(right[i] ? columns[i].substring(1) : columns[i]);
    }
  }

  public Table row(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException("expected " + headers.size() + " cells, got " + cells.length);
    }
    rows.add(List.of(cells));
    return this;
  }

  public int size() {
    return rows.size();
  }

  /** Lays the table out, one string per line. */
  public List<String> lines(Ansi ansi) {
    int[] width = new int[headers.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = headers.get(c).length();
      for (List<String> r : rows) {
        width[c] = Math.max(width[c], visible(r.get(c)));
      }
    }
    List<String> out = new ArrayList<>(rows.size() + 1);
    out.add(ansi.bold(line(headers, width)));
    for (List<String> r : rows) {
      out.add(line(r, width));
    }
    return out;
  }

  private String line(List<String> cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      int pad = width[c] - visible(cell);
      if (c > 0) {
        sb.append("  ");
      }
      if (right[c]) {
        sb.append(" ".repeat(pad)).append(cell);
      } else {
        sb.append(cell);
        if (c < cells.size() - 1) {
          sb.append(" ".repeat(pad));
        }
      }
    }
    return sb.toString();
  }

  /** Length without ANSI escape sequences. */
  static int visible(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\u001b') {
        while (i < s.length() && s.charAt(i) != 'm') {
          i++;
        }
      } else {
        n++;
      }
    }
    return n;
  }

  /** A sparkline of {@code values}: one character per value, scaled to the largest. */
  public static String sparkline(long[] values, boolean unicode) {
    String levels = unicode ? "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588" : "_.-=+*#@";
    long max = 0;
    for (long v : values) {
      max = Math.max(max, v);
    }
    StringBuilder sb = new StringBuilder(values.length);
    for (long v : values) {
      if (v == 0) {
        sb.append(unicode ? ' ' : ' ');
      } else {
        int i = (int) Math.min(levels.length() - 1, Math.round((double) v / max * (levels.length() - 1)));
        sb.append(levels.charAt(i));
      }
    }
    return sb.toString();
  }

  /** A bar of {@code fraction} (0..1) in {@code width} characters. */
  public static String bar(double fraction, int width, boolean unicode) {
    int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * width);
    return (unicode ? "\u2588" : "#").repeat(filled) + (unicode ? "\u00b7" : ".").repeat(width - filled);
  }
}
