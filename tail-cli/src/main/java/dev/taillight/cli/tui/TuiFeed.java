package dev.taillight.cli.tui;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationListener;
import dev.taillight.collector.LogLine;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The hand-over from the collector thread to the UI thread: the listener side only enqueues (never blocks,
 * never drops), the UI thread drains everything queued in one batch per frame.
 */
public final class TuiFeed implements InvocationListener {
  private final ConcurrentLinkedQueue<TuiEvent> queue = new ConcurrentLinkedQueue<>();

  @Override
  public void onLine(LogLine line) {
    queue.add(new TuiEvent.Line(line));
  }

  @Override
  public void onInvocationStarted(Invocation invocation) {
    queue.add(new TuiEvent.Started(invocation));
  }

  @Override
  public void onInvocationFinished(Invocation invocation) {
    queue.add(new TuiEvent.Finished(invocation));
  }

  /** Moves up to {@code max} queued events into {@code into}; returns how many. UI thread only. */
  public int drain(List<TuiEvent> into, int max) {
    int n = 0;
    TuiEvent e;
    while (n < max && (e = queue.poll()) != null) {
      into.add(e);
      n++;
    }
    return n;
  }

  public boolean isEmpty() {
    return queue.isEmpty();
  }
}
