package dev.taillight.cli.render;

import dev.taillight.collector.LineKind;
import dev.taillight.collector.LogLine;
import java.util.Locale;

/**
 * Which lines people want to read under an invocation. The invocation header already says what START, END,
 * REPORT and the span line say, so those are hidden unless {@code --all-lines}; platform lines that report a
 * problem ({@code Task timed out}, an init error) stay visible.
 */
public final class LineVisibility {
  private LineVisibility() {}

  public static boolean visible(LogLine line, boolean allLines) {
    if (allLines || line.kind() == LineKind.APP) {
      return true;
    }
    if (line.kind() == LineKind.SPAN) {
      return false;
    }
    String t = line.text().toLowerCase(Locale.ROOT);
    return t.contains("timed out") || t.contains("error") || t.contains("exited") || t.contains("fail");
  }

  /** True when the line's level or text marks an error. */
  public static boolean isError(LogLine line) {
    String level = line.level();
    if (level != null) {
      String l = level.toUpperCase(Locale.ROOT);
      return l.equals("ERROR") || l.equals("FATAL") || l.equals("SEVERE") || l.equals("CRITICAL");
    }
    String t = line.text();
    return t.startsWith("Exception") || t.contains("Task timed out") || t.startsWith("\tat ")
        || t.contains("Exception:") || t.contains("Error:");
  }
}
