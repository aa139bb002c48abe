package dev.taillight.benchmarks.store;

import dev.taillight.collector.InvocationListener;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.store.Store;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A quicker companion of {@link StoreIngestBenchmark} (same work, same baseline, the store also waiting for the
 * commit of every 20,000 events) for iterating: alternates
 * rounds of the baseline (plain prepared-statement inserts into a table without indexes, 10,000-row
 * transactions) and of {@link Store} ingest, each into a fresh file, and prints per round the wall-clock rate
 * and the process CPU time per event of each, and the ratios store / baseline; on Linux also the bytes written
 * to files per event (a deterministic figure for checkpoint and page-write volume). The CPU-time ratio is the
 * steadier figure on a shared machine. For the store it also prints the CPU time per event of the recording
 * thread, the index's encoder and writer threads, the bytes those threads allocate per event, and (on Linux,
 * from {@code /proc/self/task}) the CPU time per event of every OS thread of the process, so JIT compilation and
 * garbage collection show up by name.
 *
 * <p>Run (from the repository root; arguments: events per round, default 400000, and rounds, default 3):
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package dependency:build-classpath -Dmdep.outputFile=target/cp.txt -DskipTests
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) \
 *     dev.taillight.benchmarks.store.StoreIngestQuick 400000 3
 * </pre>
 */
public final class StoreIngestQuick {
  private StoreIngestQuick() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 400_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    long next = 0;
    // warm-up: one small round of each, not reported
    next = run(true, 50_000, next)[2];
    next = run(false, 50_000, next)[2];
    for (int r = 1; r <= rounds; r++) {
      long[] base = run(false, events, next);
      next = base[2];
      long[] store = run(true, events, next);
      next = store[2];
      double baseRate = base[3] / (base[0] / 1e9);
      double storeRate = store[3] / (store[0] / 1e9);
      double baseCpu = base[1] / (double) base[3];
      double storeCpu = store[1] / (double) store[3];
      System.out.printf("round %d: baseline %,.0f events/s (%.2f us CPU/event), store %,.0f events/s (%.2f us"
          + " CPU/event, file %.1f MB per million events); wall ratio %.2fx, CPU ratio %.2fx%n", r, baseRate,
          baseCpu / 1000, storeRate, storeCpu / 1000, store[4] / 1048576.0 / (store[3] / 1e6),
          storeRate / baseRate, baseCpu / storeCpu);
    }
  }

  /** Returns {wall ns, CPU ns, next invocation number, events, file bytes}. */
  private static long[] run(boolean store, int events, long first) throws IOException, SQLException {
    Path dir = Files.createTempDirectory("taillight-ingest-quick");
    try {
      System.gc();
      java.util.Map<String, Long> tasks0 = taskCpu();
      long written0 = bytesWritten();
      long cpu0 = processCpu();
      long t0 = System.nanoTime();
      long[] r = store ? storeRound(dir, events, first) : baselineRound(dir, events, first);
      long wall = System.nanoTime() - t0;
      long cpu = processCpu() - cpu0;
      long written = bytesWritten() - written0;
      java.util.Map<String, Long> tasks = taskCpu();
      if (!tasks.isEmpty()) {
        StringBuilder b = new StringBuilder();
        tasks.forEach((name, ticks) -> {
          long d = ticks - tasks0.getOrDefault(name, 0L);
          if (d > 0) {
            b.append(String.format(" %s %.2f", name, d * 10_000.0 / r[1]));
          }
        });
        System.out.printf("  %s: CPU us/event by OS thread (all threads, incl. JIT and GC):%s%n",
            store ? "store" : "baseline", b);
      }
      if (written0 >= 0) {
        System.out.printf("  %s: %.1f MB written to files per million events%n", store ? "store" : "baseline",
            written / 1048576.0 / (r[1] / 1e6));
      }
      return new long[] {wall, cpu, r[0], r[1], r[2]};
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /**
   * CPU time (clock ticks of 10 ms, user + system) of each OS thread of this process so far, summed by thread
   * name with digits dropped (so the GC and compiler threads count as one each); empty where there is no
   * {@code /proc}. Threads that ended are not counted.
   */
  private static java.util.Map<String, Long> taskCpu() {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9#]", "");
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.merge(name.isEmpty() ? "?" : name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      return java.util.Map.of();
    }
    return out;
  }

  /** Bytes this process passed to write calls so far (Linux {@code /proc/self/io} wchar), or -1 elsewhere. */
  private static long bytesWritten() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
        if (line.startsWith("wchar:")) {
          return Long.parseLong(line.substring(6).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the figure is left out
    }
    return -1;
  }

  private static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long[] storeRound(Path dir, int events, long next) throws IOException {
    Path file = dir.resolve("store.db");
    int n = 0;
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long main0 = threads.getCurrentThreadCpuTime();
    long writerCpu;
    long encoderCpu;
    try (Store store = Store.open(file)) {
      long writer0 = threadCpu(threads, "taillight-store-writer");
      long encoder0 = threadCpu(threads, "taillight-store-encoder");
      long alloc0 = allocated("taillight-store-writer") + allocated("taillight-store-encoder")
          + allocated(Thread.currentThread().getName());
      int flushed = 0;
      while (n < events) {
        n += SyntheticLogs.emit(next++, store);
        if (n - flushed >= StoreIngestBenchmark.EVENTS_PER_CALL) {
          store.flush(); // like the JMH benchmark: wait for the commit of every 20,000 events
          flushed = n;
        }
      }
      store.flush();
      writerCpu = threadCpu(threads, "taillight-store-writer") - writer0;
      encoderCpu = threadCpu(threads, "taillight-store-encoder") - encoder0;
      long alloc = allocated("taillight-store-writer") + allocated("taillight-store-encoder")
          + allocated(Thread.currentThread().getName()) - alloc0;
      System.out.printf("  store: %.0f bytes allocated per event (recording, encoder and writer threads)%n",
          alloc / (double) n);
    }
    long mainCpu = threads.getCurrentThreadCpuTime() - main0;
    System.out.printf("  store: recording thread %.2f us CPU/event, writer thread %.2f us, encoder thread %.2f us%n",
        mainCpu / 1000.0 / n, writerCpu / 1000.0 / n, encoderCpu / 1000.0 / n);
    return new long[] {next, n, Files.size(file)};
  }

  /** Bytes the live thread(s) with this name allocated so far. */
  private static long allocated(String name) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name))
        .mapToLong(t -> Math.max(0, threads.getThreadAllocatedBytes(t.getId()))).sum();
  }

  /** CPU time of the live thread with this name so far, 0 if there is none. */
  private static long threadCpu(java.lang.management.ThreadMXBean threads, String name) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name))
        .mapToLong(t -> Math.max(0, threads.getThreadCpuTime(t.getId()))).sum();
  }

  private static long[] baselineRound(Path dir, int events, long next) throws SQLException, IOException {
    long main0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long alloc0 = allocated(Thread.currentThread().getName());
    long[] r = baselineWrites(dir, events, next);
    System.out.printf("  baseline: %.0f bytes allocated per event%n",
        (allocated(Thread.currentThread().getName()) - alloc0) / (double) r[1]);
    System.out.printf("  baseline: thread %.2f us CPU/event%n",
        (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - main0) / 1000.0 / r[1]);
    return r;
  }

  private static long[] baselineWrites(Path dir, int events, long next) throws SQLException, IOException {
    Path file = dir.resolve("raw.db");
    int n = 0;
    try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = raw.createStatement()) {
      s.execute("PRAGMA journal_mode = WAL");
      s.execute("PRAGMA synchronous = NORMAL");
      s.execute("CREATE TABLE lines (id INTEGER PRIMARY KEY, ts INTEGER, grp TEXT, stream TEXT, fn TEXT,"
          + " ingest INTEGER, eid TEXT, kind INTEGER, level TEXT, req TEXT, msg TEXT, txt TEXT)");
      try (PreparedStatement ins = raw.prepareStatement("INSERT INTO lines (ts, grp, stream, fn, ingest, eid, kind,"
          + " level, req, msg, txt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        List<LogLine> lines = new ArrayList<>(SyntheticLogs.LINES_PER_INVOCATION);
        InvocationListener collect = new InvocationListener() {
          @Override
          public void onLine(LogLine line) {
            lines.add(line);
          }
        };
        s.execute("BEGIN");
        while (n < events) {
          lines.clear();
          n += SyntheticLogs.emit(next++, collect);
          for (LogLine l : lines) {
            ins.setLong(1, l.timestamp());
            ins.setString(2, l.event().logGroup());
            ins.setString(3, l.event().logStream());
            ins.setString(4, l.function());
            ins.setLong(5, l.event().ingestionTime());
            ins.setString(6, l.event().eventId());
            ins.setInt(7, l.kind().ordinal());
            ins.setString(8, l.level());
            ins.setString(9, l.requestId());
            ins.setString(10, l.event().message());
            ins.setString(11, null);
            ins.addBatch();
          }
          if (n % 10_000 < SyntheticLogs.LINES_PER_INVOCATION) {
            ins.executeBatch();
            s.execute("COMMIT");
            s.execute("BEGIN");
          }
        }
        ins.executeBatch();
        s.execute("COMMIT");
      }
    }
    return new long[] {next, n, Files.size(file)};
  }
}
