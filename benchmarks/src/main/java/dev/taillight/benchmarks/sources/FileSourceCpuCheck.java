package dev.taillight.benchmarks.sources;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The workloads of {@link FileSourceBenchmark} timed in CPU time of the running thread (robust on a shared
 * machine): each round reads each input once as plain lines (the baseline) and once through {@code FileSource};
 * after warm-up rounds it prints per format the median CPU nanoseconds per event, events per CPU-second and the
 * ratio to the baseline over the same bytes in the same rounds.
 *
 * <p>Run (from the repository root):
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -Xms512m -Xmx512m -cp benchmarks/target/benchmarks.jar dev.taillight.benchmarks.sources.FileSourceCpuCheck
 * </pre>
 */
public final class FileSourceCpuCheck {
  private FileSourceCpuCheck() {}

  private static long sink;

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 24;
    int warmup = rounds / 3;
    FileSourceBenchmark b = new FileSourceBenchmark();
    b.setup();
    byte[][] inputs = {b.samText, b.awsJson, b.jsonLines};
    String[] names = {"sam logs text", "aws logs filter-log-events JSON", "JSON lines"};
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[][] base = new double[3][rounds - warmup];
    double[][] source = new double[3][rounds - warmup];
    for (int r = 0; r < rounds; r++) {
      for (int f = 0; f < 3; f++) {
        long t0 = threads.getCurrentThreadCpuTime();
        sink += FileSourceBenchmark.readLines(inputs[f]);
        long t1 = threads.getCurrentThreadCpuTime();
        sink += FileSourceBenchmark.read(inputs[f]);
        long t2 = threads.getCurrentThreadCpuTime();
        if (r >= warmup) {
          base[f][r - warmup] = (t1 - t0) / (double) FileSourceBenchmark.EVENTS;
          source[f][r - warmup] = (t2 - t1) / (double) FileSourceBenchmark.EVENTS;
        }
      }
    }
    System.out.printf("%-34s %14s %14s %16s %12s%n", "format (100,000 events)", "lines ns/ev", "source ns/ev",
        "events/CPU-s", "x baseline");
    for (int f = 0; f < 3; f++) {
      double bm = median(base[f]);
      double sm = median(source[f]);
      System.out.printf("%-34s %14.1f %14.1f %,16.0f %12.1f%n", names[f], bm, sm, 1e9 / sm, sm / bm);
    }
    System.out.println("(checksum " + sink + ")");
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
