package dev.taillight.instrumentation;

import java.util.ArrayList;

/**
 * Calls back shortly before an invocation times out, while it still runs.
 *
 * <p>One daemon thread, started on the first {@link #watch} (never at class load, so it costs nothing
 * to functions that never get there), waits on this object's monitor for the earliest deadline. It can
 * never keep the JVM alive. {@link #unwatch} on completion removes the entry; nothing runs afterwards.
 * Thread-safe: several invocations may be watched at once (Lambda Managed Instances).
 */
final class TimeoutWatchdog implements Runnable {
  private final ArrayList<ActiveInvocation> watched = new ArrayList<>();
  private final Tracer onDue;
  private Thread thread;
  /** System.nanoTime() the thread sleeps until; only an earlier deadline needs to wake it. */
  private long sleepingUntil;
  private boolean sleepingForever = true;

  /** Calls {@link Tracer#warn} when an invocation is due. */
  TimeoutWatchdog(Tracer onDue) {
    this.onDue = onDue;
  }

  synchronized void watch(ActiveInvocation invocation) {
    watched.add(invocation);
    if (thread == null) {
      thread = new Thread(this, "taillight-timeout-watchdog");
      thread.setDaemon(true);
      thread.start();
    } else if (sleepingForever || invocation.warnAtNanoTime - sleepingUntil < 0) {
      notifyAll(); // a warm invocation with a later deadline than the one awaited wakes nobody
    }
  }

  synchronized void unwatch(ActiveInvocation invocation) {
    for (int i = watched.size() - 1; i >= 0; i--) {
      if (watched.get(i) == invocation) {
        watched.remove(i);
        return;
      }
    }
  }

  synchronized int watchedCount() {
    return watched.size();
  }

  @Override
  public void run() {
    while (true) {
      ActiveInvocation due;
      try {
        due = next();
      } catch (Exception e) { // InterruptedException: named, the verifier would load it on a cold start
        return;
      }
      try {
        onDue.warn(due);
      } catch (Throwable t) {
        Problems.report("timeout warning", t);
      }
    }
  }

  private synchronized ActiveInvocation next() throws InterruptedException {
    while (true) {
      ActiveInvocation earliest = null;
      for (ActiveInvocation a : watched) {
        if (earliest == null || a.warnAtNanoTime - earliest.warnAtNanoTime < 0) {
          earliest = a;
        }
      }
      if (earliest == null) {
        sleepingForever = true;
        wait();
        continue;
      }
      long waitNanos = earliest.warnAtNanoTime - System.nanoTime();
      if (waitNanos <= 0) {
        unwatch(earliest);
        return earliest;
      }
      sleepingForever = false;
      sleepingUntil = earliest.warnAtNanoTime;
      long ms = waitNanos / 1_000_000;
      wait(ms, (int) (waitNanos % 1_000_000));
    }
  }
}
