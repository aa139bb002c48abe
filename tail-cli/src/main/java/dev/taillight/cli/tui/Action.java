package dev.taillight.cli.tui;

/** What a key does in the TUI. The key map binds keys to these; {@link TuiModel#apply} carries them out. */
public enum Action {
  UP, DOWN, PAGE_UP, PAGE_DOWN, TOP, BOTTOM,
  OPEN_TRACE, FILTER, NEXT_MATCH, PREV_MATCH, NEXT_ERROR, PREV_ERROR,
  PAUSE, HELP, CLOSE, QUIT
}
