package dev.taillight.benchmarks.collector;

import dev.taillight.collector.Collector;
import dev.taillight.collector.CollectorStats;
import dev.taillight.collector.RawEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Checks that the collector's memory stays bounded: feeds one million events of the {@link Workload} mix to one
 * {@link Collector} (clock following the events) and prints the live heap after 100,000 and after 1,000,000
 * events, each after a full GC, against the heap before the collector existed (the baseline, same run). Bounded
 * means the heap after 1,000,000 is about the heap after 100,000: finished invocations leave memory.
 *
 * <p>Run (from the repository root):
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -Xmx512m -cp benchmarks/target/benchmarks.jar dev.taillight.benchmarks.collector.CollectorHeapCheck
 * </pre>
 */
public final class CollectorHeapCheck {
  private CollectorHeapCheck() {}

  public static void main(String[] args) {
    int total = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    Workload.Generator generator = new Workload.Generator();
    long baseline = liveHeap(memory);
    CollectorPipelineBenchmark.FollowingClock clock = new CollectorPipelineBenchmark.FollowingClock();
    Collector collector = Collector.builder().clock(clock).listener(new CollectorPipelineBenchmark.Consumer())
        .build();
    long at100k = 0;
    for (int i = 1; i <= total; i++) {
      RawEvent e = generator.next();
      clock.now = e.timestamp();
      collector.accept(e);
      if (i == 100_000) {
        at100k = liveHeap(memory);
      }
    }
    long atEnd = liveHeap(memory);
    CollectorStats s = collector.stats();
    System.out.printf("baseline live heap (before the collector): %,d bytes%n", baseline);
    System.out.printf("after 100,000 events:   %,d bytes (%,d over baseline)%n", at100k, at100k - baseline);
    System.out.printf("after %,d events: %,d bytes (%,d over baseline)%n", total, atEnd, atEnd - baseline);
    System.out.printf("growth from 100,000 to %,d events: %.2fx of the 100,000-event footprint%n", total,
        (double) (atEnd - baseline) / Math.max(1, at100k - baseline));
    System.out.printf("invocations finished %,d, in memory %,d, pending lines %d, parse failures %d%n",
        s.invocationsFinished(), s.openInvocations(), s.pendingLines(), s.parseFailureCount());
  }

  private static long liveHeap(MemoryMXBean memory) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
