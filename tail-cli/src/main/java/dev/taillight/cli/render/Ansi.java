package dev.taillight.cli.render;

/**
 * ANSI styling that turns into plain text when colours are off (not a terminal, {@code NO_COLOR} set, or
 * {@code --color=never}).
 */
public final class Ansi {
  private static final String RESET = "\u001b[0m";
  private final boolean enabled;

  public Ansi(boolean enabled) {
    this.enabled = enabled;
  }

  public static Ansi off() {
    return new Ansi(false);
  }

  public boolean enabled() {
    return enabled;
  }

  /** {@code text} in the function's stable colour. */
  public String function(String function, String text) {
    return sgr(String.valueOf(FunctionColors.sgr(FunctionColors.index(function))), text);
  }

  public String red(String text) {
    return sgr("1;31", text);
  }

  public String yellow(String text) {
    return sgr("33", text);
  }

  public String green(String text) {
    return sgr("32", text);
  }

  public String bold(String text) {
    return sgr("1", text);
  }

  public String dim(String text) {
    return sgr("2", text);
  }

  /** White on red: a failure that must stand out (timeout, crash). */
  public String alarm(String text) {
    return sgr("1;97;41", text);
  }

  private String sgr(String code, String text) {
    return enabled ? "\u001b[" + code + "m" + text + RESET : text;
  }
}
