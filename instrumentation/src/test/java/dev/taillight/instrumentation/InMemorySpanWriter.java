package dev.taillight.instrumentation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Keeps every written line; tests wait for lines with {@link #await}. */
final class InMemorySpanWriter implements SpanWriter {
  private final List<String> lines = new ArrayList<>();

  @Override
  public synchronized void write(byte[] buf, int off, int len) {
    lines.add(new String(buf, off, len, StandardCharsets.UTF_8));
    notifyAll();
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  synchronized String only() {
    if (lines.size() != 1) {
      throw new AssertionError("expected one line, got " + lines.size() + ": " + lines);
    }
    return lines.get(0);
  }

  /** Waits until at least {@code count} lines were written; fails after 10 s. */
  synchronized List<String> await(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (lines.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("expected " + count + " lines, got " + lines);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return List.copyOf(lines);
  }
}
