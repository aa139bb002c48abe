package dev.taillight.cli.tui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The TUI's key bindings as data: the input handler looks keys up here and the help screen ({@code ?}) is
 * generated from the same list, so the two cannot disagree.
 *
 * <p>A key is named as the user types it: a single character ({@code "q"}, {@code "/"}, {@code " "} for
 * space) or a special key name ({@code "Up"}, {@code "Down"}, {@code "PageUp"}, {@code "PageDown"},
 * {@code "Home"}, {@code "End"}, {@code "Enter"}, {@code "Escape"}).
 */
public final class KeyMap {

  /** One binding: the keys, the label shown in help, and the action. */
  public record Binding(List<String> keys, String label, String description, Action action) {
    public Binding {
      keys = List.copyOf(keys);
    }
  }

  private final List<Binding> bindings;
  private final Map<String, Action> byKey = new LinkedHashMap<>();

  public KeyMap(List<Binding> bindings) {
    this.bindings = List.copyOf(bindings);
    for (Binding b : this.bindings) {
      for (String k : b.keys()) {
        if (byKey.putIfAbsent(k, b.action()) != null) {
          throw new IllegalArgumentException("key bound twice: " + k);
        }
      }
    }
  }

  /** The default bindings of {@code taillight tail}. */
  public static KeyMap defaults() {
    return new KeyMap(List.of(
        new Binding(List.of("Up", "k"), "Up/k", "select the previous line", Action.UP),
        new Binding(List.of("Down", "j"), "Down/j", "select the next line", Action.DOWN),
        new Binding(List.of("PageUp"), "PgUp", "one page up", Action.PAGE_UP),
        new Binding(List.of("PageDown"), "PgDn", "one page down", Action.PAGE_DOWN),
        new Binding(List.of("Home", "g"), "Home/g", "go to the oldest line", Action.TOP),
        new Binding(List.of("End", "G"), "End/G", "go to the newest line and follow", Action.BOTTOM),
        new Binding(List.of("Enter"), "Enter", "open the trace waterfall of the selected invocation",
            Action.OPEN_TRACE),
        new Binding(List.of("/"), "/", "filter: show only invocations with matching text", Action.FILTER),
        new Binding(List.of("n"), "n", "next matching line", Action.NEXT_MATCH),
        new Binding(List.of("N"), "N", "previous matching line", Action.PREV_MATCH),
        new Binding(List.of("e"), "e", "next error, timeout or crash", Action.NEXT_ERROR),
        new Binding(List.of("E"), "E", "previous error", Action.PREV_ERROR),
        new Binding(List.of(" "), "Space", "pause/resume the stream (new lines are kept and counted)",
            Action.PAUSE),
        new Binding(List.of("?"), "?", "show/hide this help", Action.HELP),
        new Binding(List.of("Escape"), "Esc", "close the open view, clear the filter", Action.CLOSE),
        new Binding(List.of("q"), "q", "quit", Action.QUIT)));
  }

  public List<Binding> bindings() {
    return bindings;
  }

  public Optional<Action> actionFor(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /** A one-line summary for the footer, e.g. {@code ?:help  /:filter  e:error  Space:pause  q:quit}. */
  public String hint() {
    StringBuilder sb = new StringBuilder();
    for (Binding b : bindings) {
      if (b.action() == Action.HELP || b.action() == Action.FILTER || b.action() == Action.NEXT_ERROR
          || b.action() == Action.PAUSE || b.action() == Action.OPEN_TRACE || b.action() == Action.QUIT) {
        if (sb.length() > 0) {
          sb.append("  ");
        }
        sb.append(b.label()).append(':').append(shortWord(b.action()));
      }
    }
    return sb.toString();
  }

  private static String shortWord(Action a) {
    return switch (a) {
      case HELP -> "help";
      case FILTER -> "filter";
      case NEXT_ERROR -> "next error";
      case PAUSE -> "pause";
      case OPEN_TRACE -> "trace";
      case QUIT -> "quit";
      default -> a.name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
