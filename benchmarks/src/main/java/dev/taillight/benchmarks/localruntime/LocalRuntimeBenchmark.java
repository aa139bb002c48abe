package dev.taillight.benchmarks.localruntime;

import dev.taillight.benchmarks.instrumentation.HelloHandler;
import dev.taillight.benchmarks.instrumentation.LambdaLikeMain;
import dev.taillight.collector.LogSink;
import dev.taillight.collector.RawEvent;
import dev.taillight.localruntime.FunctionConfig;
import dev.taillight.localruntime.InvocationResult;
import dev.taillight.localruntime.LocalRuntime;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Whole-process benchmark of the local runtime, baseline measured in the same run:
 *
 * <ul>
 *   <li><b>Cold start</b>: {@code invoke()} on a fresh runtime (child JVM with the real runtime interface client,
 *       Runtime API round trips, platform lines) of a hello-world handler, against starting that JVM alone
 *       (same java, same heap/GC/tiered flags, same classpath) running the handler once in {@code main} and
 *       exiting. Target: ratio at most 1.5. A second baseline runs the handler once in the same JVM through the
 *       runtime interface client's own handler loader and event serialiser ({@link ClientInProcessMain}): the
 *       ratio to it is what the local runtime (processes, Runtime API, logs) adds to the work every Lambda JVM
 *       does anyway.
 *   <li><b>Runtime overhead</b> on warm invocations: from {@code invoke()} to the START line, and from the end of
 *       the REPORT duration (the runtime asked for its next event) to the REPORT line, against the warm
 *       invocation's total time.
 * </ul>
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests &amp;&amp; \
 *   java -cp "$(cat benchmarks/target/benchmarks.classpath):benchmarks/target/classes" \
 *   dev.taillight.benchmarks.localruntime.LocalRuntimeBenchmark 10
 * </pre>
 *
 * The argument is the number of cold starts per side (default 10); warm invocations are 20x that.
 */
public final class LocalRuntimeBenchmark {
  private LocalRuntimeBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path classes = Path.of(LocalRuntimeBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    FunctionConfig fn = FunctionConfig.builder(HelloHandler.class.getName() + "::handleRequest").name("hello")
        .classpath(classes).memoryMb(512).build();
    List<String> childCp = childClasspath(classes);

    List<Double> baseline = new ArrayList<>();
    List<Double> withClient = new ArrayList<>();
    List<Double> local = new ArrayList<>();
    List<String> bare = List.of(LambdaLikeMain.class.getName(), HelloHandler.class.getName());
    List<String> client = List.of(ClientInProcessMain.class.getName(), fn.handler());
    for (int warm = 0; warm < 2; warm++) { // page cache warm-up, not recorded
      baselineRun(java, fn, childCp, bare);
      baselineRun(java, fn, childCp, client);
      localCold(fn);
    }
    for (int i = 0; i < runs; i++) { // interleaved, so load changes hit all sides alike
      baseline.add(baselineRun(java, fn, childCp, bare));
      withClient.add(baselineRun(java, fn, childCp, client));
      local.add(localCold(fn));
    }

    Timing sink = new Timing();
    List<Double> toStart = new ArrayList<>();
    List<Double> afterRun = new ArrayList<>();
    List<Double> total = new ArrayList<>();
    List<Double> reported = new ArrayList<>();
    try (LocalRuntime rt = LocalRuntime.builder().function(fn).sink(sink).build()) {
      rt.invoke("{\"name\":\"warm-up\"}");
      for (int i = 0; i < runs * 20; i++) {
        long t0 = System.nanoTime();
        InvocationResult r = rt.invoke("{\"name\":\"world\"}");
        long t1 = System.nanoTime();
        if (!r.succeeded()) {
          throw new IllegalStateException("warm invocation failed: " + r.payload());
        }
        toStart.add((sink.start - t0) / 1e6);
        afterRun.add((sink.report - sink.start) / 1e6 - r.durationMs());
        total.add((t1 - t0) / 1e6);
        reported.add(r.durationMs());
      }
    }

    double b = median(baseline);
    double c = median(withClient);
    double l = median(local);
    System.out.printf(Locale.ROOT, "Local runtime, %d cold starts per side, medians (java %s, %d cpus, load %s)%n",
        runs, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), load());
    System.out.printf(Locale.ROOT, "  JVM alone (same flags, handler run once in main): %8.1f ms%n", b);
    System.out.printf(Locale.ROOT, "  local cold start (invoke -> REPORT)             : %8.1f ms  = %.2fx  target <= 1.50x  %s%n",
        l, l / b, l / b <= 1.5 ? "MET" : "MISSED");
    System.out.printf(Locale.ROOT, "  JVM alone, handler run through the runtime client's loader/serialiser: %8.1f ms%n", c);
    System.out.printf(Locale.ROOT, "  local cold start against it                     : %.2fx  target <= 1.50x  %s%n",
        l / c, l / c <= 1.5 ? "MET" : "MISSED");
    System.out.printf(Locale.ROOT, "Warm invocations, %d, medians:%n", total.size());
    System.out.printf(Locale.ROOT, "  invoke -> START line                : %7.3f ms%n", median(toStart));
    System.out.printf(Locale.ROOT, "  REPORT duration (START -> next)     : %7.3f ms%n", median(reported));
    System.out.printf(Locale.ROOT, "  runtime done -> REPORT line         : %7.3f ms%n", median(afterRun));
    System.out.printf(Locale.ROOT, "  invoke -> result, total             : %7.3f ms  (overhead outside the duration: %.2fx of it)%n",
        median(total), (median(total) - median(reported)) / median(reported));
  }

  /** The runtime side of the child classpath (the jars the local runtime puts there) plus the handler's classes. */
  private static List<String> childClasspath(Path classes) {
    List<String> out = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (e.contains("aws-lambda-java") || e.contains("utils-lite") || e.contains("local-runtime")) {
        out.add(e);
      }
    }
    out.add(classes.toString());
    return out;
  }

  private static double baselineRun(String java, FunctionConfig fn, List<String> cp, List<String> main)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(java, "-XX:MaxHeapSize=" + fn.maxHeapKib() + "k", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Djava.net.preferIPv4Stack=true",
        "--add-opens=java.base/java.io=ALL-UNNAMED", "-cp", String.join(File.pathSeparator, cp)));
    cmd.addAll(main);
    long t0 = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("AWS_LAMBDA_FUNCTION_NAME", fn.name());
    pb.environment().put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(fn.memoryMb()));
    pb.environment().put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    pb.environment().put("AWS_LAMBDA_LOG_GROUP_NAME", fn.logGroup());
    pb.environment().put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef");
    Process p = pb.start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("baseline JVM failed: " + cmd);
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double localCold(FunctionConfig fn) {
    try (LocalRuntime rt = LocalRuntime.builder().function(fn).build()) {
      long t0 = System.nanoTime();
      InvocationResult r = rt.invoke("{\"name\":\"world\"}");
      long t1 = System.nanoTime();
      if (!r.succeeded() || !r.coldStart()) {
        throw new IllegalStateException("cold invocation failed: " + r);
      }
      return (t1 - t0) / 1e6;
    }
  }

  /** Notes when the START and REPORT lines reach the sink. */
  private static final class Timing implements LogSink {
    volatile long start;
    volatile long report;

    @Override
    public void accept(RawEvent e) {
      if (e.message().startsWith("START ")) {
        start = System.nanoTime();
      } else if (e.message().startsWith("REPORT ")) {
        report = System.nanoTime();
      }
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  private static String load() {
    try {
      return Arrays.asList(java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3)
          .toString();
    } catch (Exception e) {
      return "?";
    }
  }
}
