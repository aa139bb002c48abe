package dev.taillight.cli.demo;

import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends the demo's traffic to a {@link DemoPipeline} on a thread of its own: the scripted steps at their offsets,
 * then random steps until {@link #stop}. Each order is posted on its own thread, so orders sent together run at
 * once (scale-out).
 */
final class DemoRun {
  private final DemoPipeline pipeline;
  private final DemoTraffic traffic;
  private final Clock clock;
  private final PrintStream notes;
  private final boolean printNotes;
  private final AtomicLong sent = new AtomicLong();
  private volatile boolean stopping;
  private volatile String note;
  private Thread thread;

  DemoRun(DemoPipeline pipeline, DemoTraffic traffic, Clock clock, PrintStream notes, boolean printNotes) {
    this.pipeline = pipeline;
    this.traffic = traffic;
    this.clock = clock;
    this.notes = notes;
    this.printNotes = printNotes;
  }

  void start() {
    thread = new Thread(this::run, "taillight-demo-traffic");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops sending (orders already sent run on). */
  void stop() {
    stopping = true;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  long ordersSent() {
    return sent.get();
  }

  /** What the latest step was about. */
  String note() {
    return note;
  }

  private void run() {
    long start = clock.millis();
    try {
      long last = 0;
      for (DemoTraffic.Step step : traffic.script()) {
        waitUntil(start + step.offsetMillis());
        send(step);
        last = step.offsetMillis();
      }
      long next = last + traffic.pauseMillis();
      while (!stopping) {
        waitUntil(start + next);
        send(traffic.next(next));
        next += traffic.pauseMillis();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void waitUntil(long at) throws InterruptedException {
    long now;
    while (!stopping && (now = clock.millis()) < at) {
      Thread.sleep(Math.min(100, at - now));
    }
    if (stopping) {
      throw new InterruptedException();
    }
  }

  private void send(DemoTraffic.Step step) {
    note = step.note();
    if (printNotes) {
      notes.println("taillight demo: " + step.note());
      notes.flush();
    }
    for (String order : step.orders()) {
      sent.incrementAndGet();
      pipeline.postOrderAsync(order);
    }
  }
}
