package dev.taillight.benchmarks.collector;

import dev.taillight.collector.Collector;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationListener;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.SpanData;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.parse.LineParser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the collector pipeline (parse + correlate) on one core, in events per second, on a realistic mix
 * of platform, application and span lines ({@link Workload}), against a baseline in the same run: a plain
 * {@code String.indexOf} scan of the same messages, the least any reader of these events does.
 *
 * <p>Run (from the repository root):
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar CollectorPipelineBenchmark -prof gc
 * </pre>
 *
 * Each operation feeds {@value #EVENTS} events to a new {@link Collector} (so every invocation is new to it, and
 * finished invocations leave memory as they would live) and flushes it, with a listener that reads every line,
 * span and snapshot as a store or a screen would; scores are events/s thanks to
 * {@link OperationsPerInvocation}. {@code gc.alloc.rate.norm} is then bytes allocated per event. The clock follows
 * the events' timestamps, as a live tail's would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class CollectorPipelineBenchmark {
  static final int EVENTS = 100_000;

  RawEvent[] events;
  RawEvent[] withoutSpans;
  final LineParser parser = LineParser.create();
  final FollowingClock clock = new FollowingClock();
  final Consumer consumer = new Consumer();

  @Setup
  public void setup() {
    events = Workload.events(EVENTS);
    withoutSpans = java.util.Arrays.stream(Workload.events(EVENTS * 2))
        .filter(e -> !e.message().startsWith("{\"resourceSpans\"")).limit(EVENTS).toArray(RawEvent[]::new);
  }

  /** Baseline: find the request id label in every message, as the cheapest possible reader would. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void baselineIndexOfScan(Blackhole bh) {
    for (RawEvent e : events) {
      bh.consume(e.message().indexOf("RequestId: "));
      bh.consume(e.logStream().hashCode());
    }
  }

  /** Parsing alone: what kind of line, level, request id, platform fields, spans. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void parseOnly(Blackhole bh) {
    for (RawEvent e : events) {
      bh.consume(parser.parse(e.message(), e.logGroup(), e.logStream()));
    }
  }

  /** The whole pipeline: parse, correlate into invocations and traces, emit finished invocations. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long parseAndCorrelate() {
    return run(events);
  }

  /** The same pipeline on the mix without span lines (functions not instrumented by Taillight). */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long parseAndCorrelateWithoutSpanLines() {
    return run(withoutSpans);
  }

  private long run(RawEvent[] input) {
    Collector collector = Collector.builder().clock(clock).listener(consumer).build();
    for (RawEvent e : input) {
      clock.now = e.timestamp();
      collector.accept(e);
    }
    collector.flush();
    return collector.stats().invocationsFinished();
  }

  /** A listener that reads what a store or a screen would read from every line, span and snapshot. */
  static final class Consumer implements InvocationListener {
    long seen;

    @Override
    public void onLine(LogLine line) {
      seen += line.text().length();
    }

    @Override
    public void onSpan(SpanData span) {
      seen += span.attributes().size();
    }

    @Override
    public void onInvocationStarted(Invocation invocation) {
      seen += invocation.startTime();
    }

    @Override
    public void onInvocationFinished(Invocation invocation) {
      seen += invocation.lineCount() + invocation.spans().size() + (invocation.costUsd() == null ? 0 : 1);
    }
  }

  /** A clock set to the timestamp of the event being fed. */
  static final class FollowingClock extends Clock {
    long now;

    @Override
    public long millis() {
      return now;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
