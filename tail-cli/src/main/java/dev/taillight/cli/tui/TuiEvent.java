package dev.taillight.cli.tui;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.LogLine;

/** What the collector thread hands to the UI thread, through {@link TuiFeed}. */
public sealed interface TuiEvent {
  /** A correlated line. */
  record Line(LogLine line) implements TuiEvent {}

  /** An invocation started. */
  record Started(Invocation invocation) implements TuiEvent {}

  /** An invocation finished (final snapshot). */
  record Finished(Invocation invocation) implements TuiEvent {}
}
