package dev.taillight.benchmarks.cli;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.taillight.cli.tui.KeyMap;
import dev.taillight.cli.tui.TuiApp;
import dev.taillight.cli.tui.TuiFeed;
import dev.taillight.cli.tui.TuiModel;
import dev.taillight.cli.tui.TuiView;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationStatus;
import dev.taillight.collector.LineKind;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.SourceStatus;
import java.io.IOException;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How many log lines per second the TUI takes in and shows: lines of 8 functions' interleaved invocations are
 * queued as the collector would queue them, then one UI step drains the whole batch into the model and redraws a
 * 160x50 {@link DefaultVirtualTerminal} once. Scores are lines/s ({@link OperationsPerInvocation}). The target is
 * 5,000 lines/s without dropping one; the UI redraws once per batch, so the score is far above the rate at which
 * frames are drawn.
 *
 * <p>Baselines in the same run: {@code rawPutString} writes the same number of lines straight to a Lanterna
 * screen (no model, no layout) and refreshes once per batch, the least any Lanterna view of these lines costs;
 * {@code modelOnly} applies the batch to the model without drawing.
 *
 * <p>Run (from the repository root):
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar TuiRenderBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
public class TuiRenderBenchmark {
  static final int BATCH = 1_000;
  static final int FUNCTIONS = 8;

  LogLine[] lines;
  Invocation[] started;
  Invocation[] finished;
  final AtomicLong now = new AtomicLong(1_795_837_201_123L);
  DefaultVirtualTerminal vt;
  TuiFeed feed;
  TuiModel model;
  TuiApp app;
  TerminalScreen rawScreen;
  int next;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    int n = BATCH * 20;
    lines = new LogLine[n];
    started = new Invocation[n];
    finished = new Invocation[n];
    for (int i = 0; i < n; i++) {
      String fn = "function-" + (i % FUNCTIONS);
      String req = "req-" + (i / (FUNCTIONS * 5)) + "-" + (i % FUNCTIONS);
      String text = "INFO processing order " + i + " for customer c-" + (i * 7919 % 1000) + " in 12 ms";
      RawEvent e = RawEvent.of("/aws/lambda/" + fn, "stream-" + (i % FUNCTIONS), now.get() + i, text);
      lines[i] = new LogLine(e, fn, LineKind.APP, "INFO", req, text);
      boolean first = (i / FUNCTIONS) % 5 == 0;
      boolean last = (i / FUNCTIONS) % 5 == 4;
      started[i] = first ? invocation(fn, req, e.timestamp(), InvocationStatus.RUNNING) : null;
      finished[i] = last ? invocation(fn, req, e.timestamp() - 4 * FUNCTIONS, i % 97 == 0
          ? InvocationStatus.TIMEOUT : InvocationStatus.OK) : null;
    }
    vt = new DefaultVirtualTerminal(new TerminalSize(160, 50));
    feed = new TuiFeed();
    model = new TuiModel(KeyMap.defaults(), now::get, TuiModel::traceOf, 50_000, false);
    SourceStatus status = new SourceStatus("polling", 2.0, 0, 0, List.of(), null);
    app = new TuiApp(vt, model, feed, new TuiView(ZoneOffset.UTC, true), () -> status);
    app.start();
    rawScreen = new TerminalScreen(new DefaultVirtualTerminal(new TerminalSize(160, 50)));
    rawScreen.startScreen();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    app.close();
    rawScreen.stopScreen();
  }

  private static Invocation invocation(String fn, String req, long start, InvocationStatus status) {
    boolean done = status.finished();
    return new Invocation(fn, "/aws/lambda/" + fn, "stream", req, start, done ? start + 40 : null, false, null,
        null, done ? 40.0 : null, done ? 40.0 : null, done ? 512 : null, done ? 90 : null, status, null, null, null,
        done ? 0.0000004 : null, List.of(), List.of());
  }

  private void queueBatch() {
    for (int k = 0; k < BATCH; k++) {
      int i = next;
      next = (next + 1) % lines.length;
      if (started[i] != null) {
        feed.onInvocationStarted(started[i]);
      }
      feed.onLine(lines[i]);
      if (finished[i] != null) {
        feed.onInvocationFinished(finished[i]);
      }
    }
  }

  /** Queue a batch as the collector would, then one UI step: drain, apply, redraw. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public boolean tuiStep() throws IOException {
    queueBatch();
    now.addAndGet(200);
    return app.step();
  }

  /** Baseline: the same lines written straight to a screen, refreshed once per batch. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void rawPutString() throws IOException {
    var g = rawScreen.newTextGraphics();
    for (int k = 0; k < BATCH; k++) {
      LogLine l = lines[next];
      next = (next + 1) % lines.length;
      g.putString(0, k % 50, l.text());
    }
    rawScreen.refresh();
  }

  /** Baseline: the batch applied to the model with no drawing. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long modelOnly() {
    queueBatch();
    java.util.ArrayList<dev.taillight.cli.tui.TuiEvent> batch = new java.util.ArrayList<>(BATCH * 2);
    feed.drain(batch, Integer.MAX_VALUE);
    model.accept(batch);
    return model.stream().lineCount();
  }
}
