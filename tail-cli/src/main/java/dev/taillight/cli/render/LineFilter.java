package dev.taillight.cli.render;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.LogLine;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The client-side {@code --grep} / {@code --exclude} filter: a line is kept when it matches at least one grep
 * pattern (or there is none) and no exclude pattern. An invocation is kept when one of its lines is.
 */
public record LineFilter(List<Pattern> grep, List<Pattern> exclude) {

  public LineFilter {
    grep = List.copyOf(grep);
    exclude = List.copyOf(exclude);
  }

  public static LineFilter all() {
    return new LineFilter(List.of(), List.of());
  }

  public boolean isAll() {
    return grep.isEmpty() && exclude.isEmpty();
  }

  public boolean test(LogLine line) {
    return test(line.text());
  }

  public boolean test(String text) {
    for (Pattern p : exclude) {
      if (p.matcher(text).find()) {
        return false;
      }
    }
    if (grep.isEmpty()) {
      return true;
    }
    for (Pattern p : grep) {
      if (p.matcher(text).find()) {
        return true;
      }
    }
    return false;
  }

  public boolean test(Invocation invocation) {
    if (isAll()) {
      return true;
    }
    for (LogLine line : invocation.lines()) {
      if (test(line)) {
        return true;
      }
    }
    return false;
  }
}
