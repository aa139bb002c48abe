package dev.taillight.benchmarks.collector;

import dev.taillight.collector.Collector;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.parse.LineParser;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The same workloads as {@link CollectorPipelineBenchmark}, timed in <em>CPU time of the running thread</em>
 * instead of wall time, for machines shared with other work (where JMH's wall-clock scores swing by more than
 * their own size). Each round runs the baseline ({@code String.indexOf} scan) and each workload once over the
 * same 100,000 events; after warm-up rounds it prints, per workload, the best and the median CPU nanoseconds per
 * event, events per CPU-second, and the ratio to the baseline of the same round.
 *
 * <p>Run (from the repository root):
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar dev.taillight.benchmarks.collector.CollectorCpuCheck
 * </pre>
 */
public final class CollectorCpuCheck {
  private CollectorCpuCheck() {}

  private static long sink;

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int warmup = rounds / 3;
    CollectorPipelineBenchmark b = new CollectorPipelineBenchmark();
    b.setup();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String[] names = {"baselineIndexOfScan", "parseOnly", "parseAndCorrelate", "parseAndCorrelateWithoutSpanLines"};
    double[][] nsPerEvent = new double[names.length][rounds - warmup];
    for (int r = 0; r < rounds; r++) {
      for (int w = 0; w < names.length; w++) {
        long t0 = threads.getCurrentThreadCpuTime();
        switch (w) {
          case 0 -> sink += baseline(b.events);
          case 1 -> sink += parse(b.parser, b.events);
          case 2 -> sink += b.parseAndCorrelate();
          default -> sink += b.parseAndCorrelateWithoutSpanLines();
        }
        long t1 = threads.getCurrentThreadCpuTime();
        if (r >= warmup) {
          nsPerEvent[w][r - warmup] = (t1 - t0) / (double) CollectorPipelineBenchmark.EVENTS;
        }
      }
    }
    double baseBest = Arrays.stream(nsPerEvent[0]).min().orElseThrow();
    double baseMedian = median(nsPerEvent[0]);
    System.out.printf("%-36s %12s %12s %16s %16s%n", "workload (100,000 events)", "best ns/ev", "median ns/ev",
        "events/CPU-s", "x baseline time");
    for (int w = 0; w < names.length; w++) {
      double best = Arrays.stream(nsPerEvent[w]).min().orElseThrow();
      double median = median(nsPerEvent[w]);
      System.out.printf("%-36s %12.1f %12.1f %,16.0f %16.1f%n", names[w], best, median, 1e9 / median,
          median / baseMedian);
    }
    System.out.printf("(baseline best %.1f ns/event; checksum %d)%n", baseBest, sink);
  }

  private static long baseline(RawEvent[] events) {
    long x = 0;
    for (RawEvent e : events) {
      x += e.message().indexOf("RequestId: ");
      x += e.logStream().hashCode();
    }
    return x;
  }

  private static long parse(LineParser parser, RawEvent[] events) {
    long x = 0;
    for (RawEvent e : events) {
      x += parser.parse(e.message(), e.logGroup(), e.logStream()).text().length();
    }
    return x;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
