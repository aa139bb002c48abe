package dev.taillight.cli.render;

/**
 * A stable colour per function: the same name gets the same colour in every run, in plain output and in the
 * TUI. Red is never used (it marks failures).
 */
public final class FunctionColors {
  /** ANSI SGR foreground codes of the palette, in index order. */
  static final int[] SGR = {36, 32, 33, 34, 35, 96, 92, 93, 94, 95};

  private FunctionColors() {}

  /** Number of colours in the palette. */
  public static int size() {
    return SGR.length;
  }

  /** The palette index for {@code function}, in {@code [0, size())}. */
  public static int index(String function) {
    return Math.floorMod(function.hashCode(), SGR.length);
  }

  /** The ANSI SGR foreground code for the palette index. */
  public static int sgr(int index) {
    return SGR[index];
  }
}
