package dev.taillight.benchmarks.instrumentation;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Warm invocation cost: a bare hello-world handler that prints one line vs the same handler extended
 * from Taillight's {@code TracedRequestHandler} (span built, OTLP JSON line written and flushed, timeout
 * watchdog armed and disarmed). Both print to {@code /dev/null} through {@code System.out}, so the write
 * syscalls are counted. Targets: at most 10 us and 2 KB allocated added per invocation.
 *
 * <p>Run from the repository root (prints JMH's results, then the ratio table):
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests &amp;&amp; \
 *   java -cp "$(cat benchmarks/target/benchmarks.classpath):benchmarks/target/classes" \
 *   dev.taillight.benchmarks.instrumentation.WarmInvocationBenchmark
 * </pre>
 *
 * or through JMH directly: {@code java -jar benchmarks/target/benchmarks.jar WarmInvocationBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"})
public class WarmInvocationBenchmark {
  private HelloHandler bare;
  private HelloTaillightHandler wrapped;
  private Map<String, Object> event;
  private BenchContext context;
  private PrintStream savedOut;

  @Setup
  public void setUp() throws IOException {
    savedOut = System.out;
    System.setOut(new PrintStream(new FileOutputStream("/dev/null"), true));
    bare = new HelloHandler();
    wrapped = new HelloTaillightHandler();
    event = new HashMap<>();
    event.put("name", "world");
    context = new BenchContext("c0ffee00-0000-4000-8000-000000000001");
    wrapped.handleRequest(event, context); // the cold first invocation is not what this measures
  }

  @TearDown
  public void tearDown() {
    System.out.close();
    System.setOut(savedOut);
  }

  @Benchmark
  public String bare() {
    return bare.handleRequest(event, context);
  }

  @Benchmark
  public String taillight() {
    return wrapped.handleRequest(event, context);
  }

  /** Runs both benchmarks with the GC profiler and prints the ratio table. */
  public static void main(String[] args) throws Exception {
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(WarmInvocationBenchmark.class.getName() + "\\.")
        .addProfiler(GCProfiler.class)
        .build()).run();
    Map<String, double[]> byName = new HashMap<>();
    for (RunResult r : results) {
      String label = r.getParams().getBenchmark();
      label = label.substring(label.lastIndexOf('.') + 1);
      Result<?> alloc = r.getSecondaryResults().get("·gc.alloc.rate.norm");
      if (alloc == null) {
        alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      }
      byName.put(label, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
          alloc == null ? Double.NaN : alloc.getScore()});
    }
    double[] b = byName.get("bare");
    double[] t = byName.get("taillight");
    System.out.printf(Locale.ROOT, "%nWarm invocation (Lambda flags), average per invocation%n");
    System.out.printf(Locale.ROOT, "%-10s %12s %12s %12s%n", "variant", "us/op", "x bare", "B/op");
    System.out.printf(Locale.ROOT, "%-10s %12.3f %12.3f %12.0f%n", "bare", b[0], 1.0, b[2]);
    System.out.printf(Locale.ROOT, "%-10s %12.3f %12.3f %12.0f%n", "taillight", t[0], t[0] / b[0], t[2]);
    double addedUs = t[0] - b[0];
    double addedBytes = t[2] - b[2];
    System.out.printf(Locale.ROOT, "added: %.3f us/op (target <= 10: %s), %.0f B/op (target <= 2048: %s)%n",
        addedUs, addedUs <= 10 ? "met" : "NOT met", addedBytes, addedBytes <= 2048 ? "met" : "NOT met");

    // The same comparison in CPU time of the invoking thread, which other load on the machine does not
    // inflate (JMH's figures above are wall time). Median of 7 alternating rounds after warm-up.
    double[] cpu = cpuTimes();
    System.out.printf(Locale.ROOT, "%nCPU time per invocation (thread CPU, median of 7 rounds of 50,000)%n");
    System.out.printf(Locale.ROOT, "%-10s %12.3f us%n%-10s %12.3f us (x%.3f)%n", "bare", cpu[0], "taillight", cpu[1],
        cpu[1] / cpu[0]);
    double addedCpu = cpu[1] - cpu[0];
    System.out.printf(Locale.ROOT, "added: %.3f us CPU per invocation (target <= 10: %s)%n", addedCpu,
        addedCpu <= 10 ? "met" : "NOT met");
  }

  private static double[] cpuTimes() throws IOException {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    WarmInvocationBenchmark state = new WarmInvocationBenchmark();
    state.setUp();
    try {
      int n = 50_000;
      for (int i = 0; i < 4 * n; i++) {
        state.bare();
        state.taillight();
      }
      double[] bareRounds = new double[7];
      double[] tlRounds = new double[7];
      for (int r = 0; r < 7; r++) {
        long t0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          state.bare();
        }
        long t1 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          state.taillight();
        }
        long t2 = threads.getCurrentThreadCpuTime();
        bareRounds[r] = (t1 - t0) / 1e3 / n;
        tlRounds[r] = (t2 - t1) / 1e3 / n;
      }
      return new double[] {ColdStartBenchmark.median(bareRounds), ColdStartBenchmark.median(tlRounds)};
    } finally {
      state.tearDown();
    }
  }
}
