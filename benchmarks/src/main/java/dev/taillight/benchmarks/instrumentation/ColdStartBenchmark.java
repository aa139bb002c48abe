package dev.taillight.benchmarks.instrumentation;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whole-process cold start: a hello-world handler started the way Lambda starts one (new JVM, load the
 * handler class, one invocation, see {@link LambdaLikeMain}), bare vs Taillight's
 * {@code TracedRequestHandler} vs OpenTelemetry's {@code TracingRequestHandler} + SDK + logging exporter,
 * run interleaved in the same session, with default JVM flags and with Lambda's
 * ({@code -XX:+TieredCompilation -XX:TieredStopAtLevel=1}). Prints medians of wall time and peak RSS, each
 * as a ratio to the bare handler, and checks the targets (wrapped at most 1.25x bare time and bare + 8 MiB
 * RSS; time added by Taillight at most 1/10 of the time added by OpenTelemetry).
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests &amp;&amp; mvn -B -q -f benchmarks/otel-peer package &amp;&amp; \
 *   java -cp "$(cat benchmarks/target/benchmarks.classpath):benchmarks/target/classes" \
 *   dev.taillight.benchmarks.instrumentation.ColdStartBenchmark 15
 * </pre>
 *
 * The argument is the number of runs per variant and flag set (default 15, at least 10 for the figures
 * in docs/instrumentation.md).
 */
public final class ColdStartBenchmark {
  private ColdStartBenchmark() {}

  record Variant(String name, String handler, String classpath) {}

  record Sample(double wallMs, long rssKb, double cpuMs) {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    String benchClasses = Path.of(ColdStartBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
    List<String> cp = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    String core = pick(cp, "aws-lambda-java-core");
    String instrumentation = pick(cp, "instrumentation");
    Path peerDir = Path.of(System.getProperty("taillight.otelPeer", "benchmarks/otel-peer/target"));
    String peerCp = Files.readString(peerDir.resolve("peer.classpath")).trim();

    List<Variant> variants = List.of(
        new Variant("bare", HelloHandler.class.getName(), join(benchClasses, core)),
        new Variant("taillight", HelloTaillightHandler.class.getName(), join(benchClasses, core, instrumentation)),
        new Variant("opentelemetry", "dev.taillight.benchmarks.instrumentation.otelpeer.HelloOtelHandler",
            join(benchClasses, peerDir.resolve("classes").toString(), peerCp)));
    Map<String, List<String>> flagSets = new LinkedHashMap<>();
    flagSets.put("default JVM flags", List.of());
    flagSets.put("Lambda flags (TieredStopAtLevel=1)", List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"));

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    for (int warm = 0; warm < 2; warm++) { // page cache warm-up, not recorded
      for (Variant v : variants) {
        run(java, List.of(), v);
      }
    }
    for (int i = 0; i < runs; i++) {
      for (Map.Entry<String, List<String>> flags : flagSets.entrySet()) {
        for (Variant v : variants) {
          samples.computeIfAbsent(flags.getKey() + "|" + v.name(), k -> new ArrayList<>())
              .add(run(java, flags.getValue(), v));
        }
      }
    }

    System.out.printf(Locale.ROOT, "Cold start, %d runs each, medians (java %s, %d cpus, load average %s)%n", runs,
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), loadAverage());
    System.out.println("wall = process start to exit; CPU = all threads' CPU time (schedstat), less sensitive"
        + " to other load on the machine");
    boolean allMet = true;
    for (String flags : flagSets.keySet()) {
      System.out.printf(Locale.ROOT, "%n%s%n", flags);
      System.out.printf(Locale.ROOT, "%-14s %10s %9s %10s %10s %9s %10s %9s %9s%n",
          "variant", "wall ms", "x bare", "added ms", "RSS MiB", "x bare", "added MiB", "CPU ms", "x bare");
      double bareMs = medianMs(samples.get(flags + "|bare"));
      double bareRss = medianRssMiB(samples.get(flags + "|bare"));
      Map<String, Double> added = new LinkedHashMap<>();
      for (Variant v : variants) {
        List<Sample> s = samples.get(flags + "|" + v.name());
        double ms = medianMs(s);
        double rss = medianRssMiB(s);
        added.put(v.name(), ms - bareMs);
        double cpu = median(s.stream().mapToDouble(Sample::cpuMs).toArray());
        double bareCpu = median(samples.get(flags + "|bare").stream().mapToDouble(Sample::cpuMs).toArray());
        System.out.printf(Locale.ROOT, "%-14s %10.1f %9.3f %10.1f %10.1f %9.3f %10.1f %9.1f %9.3f%n",
            v.name(), ms, ms / bareMs, ms - bareMs, rss, rss / bareRss, rss - bareRss, cpu, cpu / bareCpu);
      }
      double tlMs = medianMs(samples.get(flags + "|taillight"));
      double tlRss = medianRssMiB(samples.get(flags + "|taillight"));
      double share = added.get("taillight") / added.get("opentelemetry");
      boolean time = tlMs <= 1.25 * bareMs;
      boolean rss = tlRss <= bareRss + 8;
      boolean vsOtel = share <= 0.10;
      allMet &= time && rss && vsOtel;
      System.out.printf(Locale.ROOT, "targets: taillight/bare time %.3f <= 1.25 %s; RSS +%.1f MiB <= 8 %s;"
          + " added time = %.3f of OpenTelemetry's <= 0.10 %s%n",
          tlMs / bareMs, ok(time), tlRss - bareRss, ok(rss), share, ok(vsOtel));
    }
    System.out.println(allMet ? "\nall targets met" : "\nsome targets NOT met");
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static String ok(boolean b) {
    return b ? "[met]" : "[NOT met]";
  }

  private static Sample run(String java, List<String> flags, Variant v) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(flags);
    cmd.add("-cp");
    cmd.add(v.classpath());
    cmd.add(LambdaLikeMain.class.getName());
    cmd.add(v.handler());
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("AWS_LAMBDA_FUNCTION_NAME", "hello");
    pb.environment().put("AWS_REGION", "us-east-1");
    pb.environment().put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    Process p = pb.start();
    long rss = -1;
    double cpuMs = -1;
    List<String> err = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("vmhwm_kb=")) {
          String[] parts = line.split(" ");
          rss = Long.parseLong(parts[0].substring(9));
          cpuMs = Long.parseLong(parts[1].substring(7)) / 1e6;
        } else if (err.size() < 20) {
          err.add(line);
        }
      }
    }
    int exit = p.waitFor();
    long nanos = System.nanoTime() - start;
    if (exit != 0 || rss < 0) {
      throw new IllegalStateException(v.name() + " failed (exit " + exit + "): " + err);
    }
    return new Sample(nanos / 1e6, rss, cpuMs);
  }

  private static double medianMs(List<Sample> s) {
    return median(s.stream().mapToDouble(Sample::wallMs).toArray());
  }

  private static double medianRssMiB(List<Sample> s) {
    return median(s.stream().mapToDouble(x -> x.rssKb() / 1024.0).toArray());
  }

  static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    int n = c.length;
    return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
  }

  private static String pick(List<String> cp, String marker) {
    return cp.stream().filter(e -> e.contains(marker)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + marker + " on the class path"));
  }

  private static String join(String... parts) {
    return String.join(File.pathSeparator, parts);
  }
}
