package dev.taillight.cli.tui;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Holds stream events while the user has paused the stream. Nothing is dropped: everything offered while
 * paused is replayed, in order, on resume. Not thread-safe: used by the UI thread only.
 */
public final class PauseBuffer<T> {
  private final List<T> held = new ArrayList<>();
  private boolean paused;
  private long heldLines;

  public boolean paused() {
    return paused;
  }

  /** Pauses; subsequent {@link #offer} calls hold their items. */
  public void pause() {
    paused = true;
  }

  /** Resumes: hands every held item to {@code sink}, in arrival order, and empties the buffer. */
  public void resume(Consumer<? super T> sink) {
    paused = false;
    for (T t : held) {
      sink.accept(t);
    }
    held.clear();
    heldLines = 0;
  }

  /** Passes {@code item} to {@code sink} now, or holds it when paused; {@code isLine} counts it as a line. */
  public void offer(T item, boolean isLine, Consumer<? super T> sink) {
    if (paused) {
      held.add(item);
      if (isLine) {
        heldLines++;
      }
    } else {
      sink.accept(item);
    }
  }

  /** Items held since the pause. */
  public int heldItems() {
    return held.size();
  }

  /** Log lines held since the pause (what the status line shows). */
  public long heldLines() {
    return heldLines;
  }
}
