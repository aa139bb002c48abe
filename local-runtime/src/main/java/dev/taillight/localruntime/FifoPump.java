package dev.taillight.localruntime;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads one FIFO a child writes into, on a daemon thread of its own, and knows when it has caught up: the part
 * {@link OutputPump} (stdout, stderr) and {@link TelemetryPump} (the runtime's log frames) share.
 *
 * <p>Opening the FIFO blocks until the child opens its end, so it happens on the pump's thread. A subclass reads
 * in {@link #pump}, calling {@link #reading} around each blocking read and delivering under {@code
 * synchronized (this)}; {@link #waitUntilCaughtUp} then tells when every byte written so far has been read.
 * Subclasses call {@link #start} at the end of their constructor, once their own fields are set.
 */
abstract class FifoPump {
  private final Path fifo;
  private final Thread thread;
  private volatile FileInputStream in;
  private volatile boolean inRead;
  private volatile boolean finished;

  FifoPump(Path fifo, String name) {
    this.fifo = fifo;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  final void start() {
    thread.start();
  }

  private void run() {
    try (FileInputStream fis = new FileInputStream(fifo.toFile())) {
      in = fis;
      pump(fis);
    } catch (IOException e) {
      // the child is gone; what was read has been delivered
    } finally {
      inRead = false;
      onEnd();
      finished = true;
    }
  }

  /** Reads until end of file (the child closed its end) or a frame that cannot be read. */
  abstract void pump(FileInputStream in) throws IOException;

  /** Called on the pump's thread after the last read, before the pump counts as finished. */
  void onEnd() {}

  /** Marks whether the pump's thread is blocked in a read (and so has delivered all it read before). */
  final void reading(boolean blocked) {
    inRead = blocked;
  }

  /**
   * Waits (at most {@code maxMillis}) until the pump's thread is blocked in a read with nothing left in the pipe,
   * that is until everything already written has been read. Returns at once when the pump has finished.
   */
  final void waitUntilCaughtUp(long maxMillis) {
    long deadline = System.nanoTime() + maxMillis * 1_000_000L;
    while (!finished && System.nanoTime() < deadline) {
      FileInputStream s = in;
      try {
        if (s != null && inRead && s.available() == 0) {
          break;
        }
      } catch (IOException e) {
        break;
      }
      Thread.onSpinWait();
      LockSupport.parkNanos(100_000);
    }
  }

  /**
   * Unblocks a pump still waiting for the child to open the FIFO (the child died before it did), by opening the
   * write end once.
   */
  final void release() {
    if (in == null && !finished) {
      Fifos.openWriteEndOnce(fifo);
    }
  }

  /** Waits for end of file (the child has exited), at most {@code maxMillis}. */
  final void awaitFinished(long maxMillis) {
    try {
      thread.join(maxMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
