package dev.taillight.benchmarks.store;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.Trace;
import dev.taillight.collector.store.InvocationQuery;
import dev.taillight.collector.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Query latency of the index holding {@code events} log events ({@link SyntheticLogs}: 10 functions, 10 lines
 * per invocation), built in {@code @Setup} by recording through {@link Store} into a temporary directory.
 * Setup prints the build rate and the file size per million events.
 *
 * <ul>
 *   <li>{@code requestId}: an invocation with its 10 lines and span, by request id (target at most 5 ms);
 *   <li>{@code traceIdXRay}: a trace by its X-Ray id, with its invocation, lines and span (target at most 5 ms);
 *   <li>{@code textRareWord}: newest 100 invocations whose lines contain a vocabulary word that is in about
 *       0.04% of lines (target at most 200 ms);
 *   <li>{@code textPhraseErrors}: {@code "payment declined"} with errors only, in one function: a phrase in 2%
 *       of invocations;
 *   <li>{@code textCommonWord}: newest 100 invocations with {@code DEBUG}, a word in 30% of lines (the worst
 *       case: every match is read before the newest are picked);
 *   <li>{@code baselineLatestInvocations}: the newest 100 invocations with no filter, the cheapest query the
 *       index can answer, as the baseline for the ratios.
 * </ul>
 *
 * <p>Run (from the repository root; the 5-million run needs about 1 GB of temporary disk):
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package dependency:build-classpath -Dmdep.outputFile=target/cp.txt -DskipTests
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) org.openjdk.jmh.Main StoreQueryBenchmark \
 *     -p events=5000000
 * rm -rf /tmp/taillight-store-bench
 * </pre>
 *
 * The data set is built once per size under {@code $java.io.tmpdir/taillight-store-bench/events-N} and reused
 * by the other benchmark methods (JMH forks a JVM per method); the last command deletes it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class StoreQueryBenchmark {
  @Param({"500000"})
  public long events;

  Path dir;
  Store store;
  long invocations;
  long probe;

  @Setup(Level.Trial)
  public void build() throws IOException {
    // JMH runs each benchmark method in its own JVM; they share one data set per size, built by the first
    dir = Path.of(System.getProperty("java.io.tmpdir"), "taillight-store-bench", "events-" + events);
    Path file = dir.resolve("taillight.db");
    Path complete = dir.resolve("complete");
    invocations = events / SyntheticLogs.LINES_PER_INVOCATION;
    if (Files.exists(complete)) {
      long bytes = Files.size(file);
      System.out.printf("%nindex: reusing %s, %,d MB = %.1f MB per million events%n", file, bytes >> 20,
          bytes / 1048576.0 / (events / 1e6));
      store = Store.open(file);
      return;
    }
    if (Files.exists(dir)) {
      deleteTree(dir);
    }
    Files.createDirectories(dir);
    store = Store.open(file);
    long t0 = System.nanoTime();
    for (long n = 0; n < invocations; n++) {
      SyntheticLogs.emit(n, store);
    }
    store.flush();
    double seconds = (System.nanoTime() - t0) / 1e9;
    store.close(); // fold the WAL into the file, so its size is the index size
    long bytes = Files.size(file);
    System.out.printf("%nindex: %,d events in %.1f s (%,.0f events/s), file %,d MB = %.1f MB per million events%n",
        events, seconds, events / seconds, bytes >> 20, bytes / 1048576.0 / (events / 1e6));
    Files.createFile(complete);
    store = Store.open(file);
  }

  @TearDown(Level.Trial)
  public void close() {
    store.close();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private long nextInvocation() {
    probe = (probe + 7_919) % invocations; // spread over the whole data set
    return probe;
  }

  @Benchmark
  public Invocation requestId() {
    Invocation inv = store.invocation(SyntheticLogs.requestId(nextInvocation())).orElseThrow();
    if (inv.lines().size() != SyntheticLogs.LINES_PER_INVOCATION) {
      throw new IllegalStateException("expected all lines, got " + inv.lines().size());
    }
    return inv;
  }

  @Benchmark
  public Trace traceIdXRay() {
    Trace trace = store.trace(SyntheticLogs.xrayTraceId(nextInvocation())).orElseThrow();
    if (trace.invocations().size() != 1 || trace.spans().size() != 1) {
      throw new IllegalStateException("incomplete trace " + trace.traceId());
    }
    return trace;
  }

  @Benchmark
  public List<Invocation> textRareWord() {
    return store.search(InvocationQuery.builder().text(SyntheticLogs.word(nextInvocation() % 5000)).build());
  }

  @Benchmark
  public List<Invocation> textPhraseErrors() {
    return store.search(InvocationQuery.builder().functions("fn-3").errorsOnly().text("\"payment declined\"")
        .build());
  }

  @Benchmark
  public List<Invocation> textCommonWord() {
    return store.search(InvocationQuery.builder().text("DEBUG").build());
  }

  @Benchmark
  public List<Invocation> baselineLatestInvocations() {
    return store.search(InvocationQuery.all());
  }
}
