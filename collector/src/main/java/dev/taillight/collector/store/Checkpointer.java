package dev.taillight.collector.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Copies the write-ahead log into the index file (a passive SQLite checkpoint) on a thread and connection of its
 * own whenever the writer asks (after each commit), at most once per {@code minInterval}, so the pages of the last
 * commit before recording pauses are copied too.
 *
 * <p>A checkpoint copies the log's pages into the file and then waits for the disk. Left to SQLite's automatic
 * checkpoint, that ran inside the writer's commit and held ingest up for about a quarter of a second every 64 MB
 * of log; on its own thread the writer goes on meanwhile (a passive checkpoint never blocks a writer, and copies
 * only what was committed when it began). Every 32 MB of log the writer copies the rest itself, so the log starts
 * over (see {@link #endLongLog}); the writer's automatic checkpoint (see {@link Database}) stays as a further bound.
 */
final class Checkpointer implements AutoCloseable {
  /** Log pages (4 KB each) from which the writer ends the log: 32 MB. */
  static final long RESTART_FRAMES = 8_192;

  private final long restartFrames;
  /** Checkpoints this thread has run (for tests). */
  private final java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();

  private final Connection conn;
  /** Held while a checkpoint of this process runs, by this thread or by the writer (see {@link #endLongLog}). */
  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean logIsLong;
  private final long minIntervalNanos;
  private final Thread thread = new Thread(this::run, "taillight-store-checkpoint");
  private boolean requested;
  private boolean closing;

  /**
   * Starts the thread; {@code conn} is its own and is closed with it; from {@code restartFrames} pages of log on,
   * the writer ends the log (see {@link #endLongLog}).
   */
  Checkpointer(Connection conn, Duration minInterval, long restartFrames) {
    this.conn = conn;
    this.minIntervalNanos = minInterval.toNanos();
    this.restartFrames = restartFrames;
    thread.setDaemon(true);
    thread.start();
  }

  /** Asks for a checkpoint soon; never waits. */
  synchronized void request() {
    requested = true;
    notifyAll();
  }

  private void run() {
    long last = System.nanoTime() - minIntervalNanos;
    try {
      while (true) {
        synchronized (this) {
          while (!requested && !closing) {
            wait();
          }
          for (long w = last + minIntervalNanos - System.nanoTime(); w > 0 && !closing;
              w = last + minIntervalNanos - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, w);
          }
          if (closing) {
            return;
          }
          requested = false;
        }
        last = System.nanoTime();
        checkpoint();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A passive checkpoint; notes whether the log has grown long enough for the writer to end it. */
  private void checkpoint() {
    lock.lock();
    try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      if (rs.next() && rs.getLong(2) >= restartFrames) {
        logIsLong = true;
      }
    } catch (SQLException ignored) {
      // another process's checkpoint may be running; the next request or the writer copies it
    } finally {
      lock.unlock();
      done.incrementAndGet();
    }
  }

  /**
   * Run by the writer between its transactions: when the log has grown past the restart size and this
   * thread is not checkpointing right now, copies the few pages committed since this thread's last checkpoint,
   * on the writer's connection, so the log is copied in full and the writer's next transaction starts it over.
   * While the writer keeps committing, this thread's checkpoints never catch up with it, so without this the log
   * would never start over and its file would keep growing.
   */
  void endLongLog(Connection writer) {
    if (!logIsLong || !lock.tryLock()) {
      return;
    }
    try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      logIsLong = false;
    } catch (SQLException ignored) {
      // another process's checkpoint may be running; tried again after the next commit
    } finally {
      lock.unlock();
    }
  }

  /** Checkpoints this thread has run so far. */
  long checkpoints() {
    return done.get();
  }

  /** Stops the thread (a checkpoint under way ends first) and closes its connection. */
  @Override
  public void close() {
    synchronized (this) {
      closing = true;
      notifyAll();
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    Database.closeQuietly(conn);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
