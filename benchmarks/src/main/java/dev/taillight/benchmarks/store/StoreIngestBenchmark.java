package dev.taillight.benchmarks.store;

import dev.taillight.collector.InvocationListener;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.store.Store;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Ingest rate of the index: log events per second recorded through {@link Store} (as the collector pipeline
 * hands them over: lines, running and finished invocation snapshots, spans), committed, against a baseline
 * measured in the same run: the same lines inserted with one prepared statement in 10,000-row transactions
 * into a plain table with the same columns and no indexes, no full-text index and no de-duplication.
 *
 * <p>One operation is one log event; each benchmark call records 20,000 fresh events (generated on the fly
 * from a counter, so nothing is ever a duplicate) and waits until they are committed. Both sides pay the same
 * generation cost. Each iteration starts from an empty database file in a temporary directory.
 *
 * <p>Run (from the repository root):
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package dependency:build-classpath -Dmdep.outputFile=target/cp.txt -DskipTests
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) org.openjdk.jmh.Main StoreIngestBenchmark
 * </pre>
 *
 * Result: {@code store} and {@code baselineRawInsert} in events/s; the target is store at least 200,000
 * events/s, reported as the ratio store / baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class StoreIngestBenchmark {
  static final int EVENTS_PER_CALL = 20_000;

  Path dir;
  Store store;
  Connection raw;
  PreparedStatement rawInsert;
  long next;

  @Setup(Level.Iteration)
  public void open() throws IOException, SQLException {
    dir = Files.createTempDirectory("taillight-ingest");
    store = Store.open(dir.resolve("store.db"));
    raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("raw.db"));
    try (Statement s = raw.createStatement()) {
      s.execute("PRAGMA journal_mode = WAL");
      s.execute("PRAGMA synchronous = NORMAL");
      s.execute("CREATE TABLE lines (id INTEGER PRIMARY KEY, ts INTEGER, grp TEXT, stream TEXT, fn TEXT,"
          + " ingest INTEGER, eid TEXT, kind INTEGER, level TEXT, req TEXT, msg TEXT, txt TEXT)");
    }
    rawInsert = raw.prepareStatement("INSERT INTO lines (ts, grp, stream, fn, ingest, eid, kind, level, req, msg,"
        + " txt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  }

  @TearDown(Level.Iteration)
  public void close() throws IOException, SQLException {
    store.close();
    rawInsert.close();
    raw.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS_PER_CALL)
  public void store() {
    int events = 0;
    while (events < EVENTS_PER_CALL) {
      events += SyntheticLogs.emit(next++, store);
    }
    store.flush();
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS_PER_CALL)
  public void baselineRawInsert() throws SQLException {
    List<LogLine> lines = new ArrayList<>(SyntheticLogs.LINES_PER_INVOCATION);
    InvocationListener collect = new InvocationListener() {
      @Override
      public void onLine(LogLine line) {
        lines.add(line);
      }
    };
    int events = 0;
    try (Statement s = raw.createStatement()) {
      s.execute("BEGIN");
      while (events < EVENTS_PER_CALL) {
        lines.clear();
        events += SyntheticLogs.emit(next++, collect);
        for (LogLine l : lines) {
          rawInsert.setLong(1, l.timestamp());
          rawInsert.setString(2, l.event().logGroup());
          rawInsert.setString(3, l.event().logStream());
          rawInsert.setString(4, l.function());
          rawInsert.setLong(5, l.event().ingestionTime());
          rawInsert.setString(6, l.event().eventId());
          rawInsert.setInt(7, l.kind().ordinal());
          rawInsert.setString(8, l.level());
          rawInsert.setString(9, l.requestId());
          rawInsert.setString(10, l.event().message());
          rawInsert.setString(11, null);
          rawInsert.addBatch();
        }
        if (events % 10_000 < SyntheticLogs.LINES_PER_INVOCATION) {
          rawInsert.executeBatch();
          s.execute("COMMIT");
          s.execute("BEGIN");
        }
      }
      rawInsert.executeBatch();
      s.execute("COMMIT");
    }
  }
}
