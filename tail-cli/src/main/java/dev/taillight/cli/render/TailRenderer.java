package dev.taillight.cli.render;

import dev.taillight.collector.InvocationListener;

/**
 * Writes what {@code taillight tail} sees. Called by the collector pipeline from one thread at a time; {@link
 * #finish()} is called once when the source is done, from the same thread, to print what is still pending.
 */
public interface TailRenderer extends InvocationListener {

  /** Prints anything still held back (invocations that never finished) and flushes. */
  void finish();
}
