package dev.taillight.collector.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.Collector;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationStatus;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.RecordingListener;
import dev.taillight.collector.TestClock;
import dev.taillight.testing.Samples;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whole sequences: real samples, failure sequences, and out-of-order delivery. */
class RealSequencesTest {
  static final String GROUP = "/aws/lambda/orders-api";
  static final String STREAM = "2024/05/20/[$LATEST]0123456789abcdef0123456789abcdef";
  static final long T0 = 1_716_222_584_833L;

  final TestClock clock = new TestClock(9_000_000);
  final RecordingListener listener = new RecordingListener();
  final Collector collector = Collector.builder().clock(clock).listener(listener).build();

  @Test
  void json_log_format_sample_gives_a_cold_invocation_with_init_duration() {
    List<String> lines = Samples.lines(RealSequencesTest.class,
        "samples/nodejs18-jsonformat-logresult-2024-05-20.jsonl");
    long ts = T0;
    for (String l : lines) {
      collector.accept(RawEvent.of(GROUP, STREAM, ts++, l));
    }
    collector.flush();
    Invocation inv = listener.last("4b142fc3-17b8-4cdb-a46b-a8dbe7918715");
    assertThat(inv.coldStart()).isTrue();
    assertThat(inv.initDurationMs()).isEqualTo(174.055);
    assertThat(inv.durationMs()).isEqualTo(11.642);
    assertThat(inv.billedDurationMs()).isEqualTo(12.0);
    assertThat(inv.status()).isEqualTo(InvocationStatus.OK);
    assertThat(inv.lines()).extracting(LogLine::text).contains("ENV 2024-05-20T16:29:42.891Z");
    assertThat(inv.lines()).hasSize(4); // start, app line, runtimeDone, report
  }

  @Test
  void snapstart_sample_gives_a_restored_cold_invocation_with_restore_duration() {
    for (String raw : Samples.lines(RealSequencesTest.class, "samples/samlogs-snapstart-java11-chatgpt-2023-06-02.log")) {
      String[] parts = raw.split(" ", 3);
      long ts = LocalDateTime.parse(parts[1]).toInstant(ZoneOffset.UTC).toEpochMilli();
      collector.accept(RawEvent.of("/aws/lambda/chatgpt", parts[0], ts, parts[2]));
    }
    collector.flush();
    Invocation inv = listener.last("8c360c87-d4b7-4423-b5f3-af02be3c1763");
    assertThat(inv.coldStart()).isTrue();
    assertThat(inv.restoreDurationMs()).isEqualTo(398.97);
    assertThat(inv.billedDurationMs()).isEqualTo(2521.0);
    assertThat(inv.memorySizeMb()).isEqualTo(3009);
    assertThat(inv.lines()).hasSize(14); // START, 11 Log4j lines, END, REPORT
    assertThat(inv.lines()).allMatch(l -> "8c360c87-d4b7-4423-b5f3-af02be3c1763".equals(l.requestId()));
    // RESTORE_START and RESTORE_REPORT come before START: init-phase lines without a request id
    assertThat(listener.lines).filteredOn(l -> l.requestId() == null).hasSize(2);
  }

  @Test
  void init_failure_during_invoke_marks_the_invocation() {
    String id = "1b2a9a40-5a1e-4e8e-8e1e-2c5a6a1e2b3c";
    List<String> initReports = Samples.lines(RealSequencesTest.class, "samples/init-report-variants.log");
    collector.accept(RawEvent.of(GROUP, STREAM, T0, "START RequestId: " + id + " Version: $LATEST"));
    collector.accept(RawEvent.of(GROUP, STREAM, T0 + 8431, initReports.get(0))); // Phase: invoke, Runtime.ExitError
    collector.accept(RawEvent.of(GROUP, STREAM, T0 + 8432, "END RequestId: " + id));
    collector.accept(RawEvent.of(GROUP, STREAM, T0 + 8432, "REPORT RequestId: " + id + "\tDuration: 8432.00 ms\t"
        + "Billed Duration: 8432 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tStatus: error\t"
        + "Error Type: Runtime.ExitError"));
    collector.flush();
    Invocation inv = listener.last(id);
    assertThat(inv.status()).isEqualTo(InvocationStatus.INIT_FAILURE);
    assertThat(inv.errorType()).isEqualTo("Runtime.ExitError");
    assertThat(inv.coldStart()).isTrue();
    assertThat(inv.initDurationMs()).isEqualTo(8431.38);
  }

  @Test
  void init_timeout_in_init_phase_then_failed_invocation_is_an_init_failure() {
    String id = "2c3b0b51-6b2f-4f9f-9f2f-3d6b7b2f3c4d";
    collector.accept(RawEvent.of(GROUP, STREAM, T0, "INIT_START Runtime Version: java:17.v15\tRuntime Version ARN: x"));
    collector.accept(RawEvent.of(GROUP, STREAM, T0 + 10009, "INIT_REPORT Init Duration: 10009.13 ms Phase: init "
        + "Status: timeout"));
    collector.accept(RawEvent.of(GROUP, STREAM, T0 + 10010, "START RequestId: " + id + " Version: $LATEST"));
    collector.accept(RawEvent.of(GROUP, STREAM, T0 + 13010, "END RequestId: " + id));
    collector.accept(RawEvent.of(GROUP, STREAM, T0 + 13010, "REPORT RequestId: " + id + "\tDuration: 3000.00 ms\t"
        + "Billed Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tStatus: timeout"));
    collector.flush();
    Invocation inv = listener.last(id);
    assertThat(inv.status()).isEqualTo(InvocationStatus.INIT_FAILURE);
    assertThat(inv.coldStart()).isTrue();
    assertThat(inv.initDurationMs()).isEqualTo(10009.13);
  }

  @Test
  void handler_error_record_marks_the_invocation_as_error_with_type_and_message() {
    String id = "3d4c1c62-7c30-4a0a-8a30-4e7c8c3a4d5e";
    collector.accept(RawEvent.of(GROUP, STREAM, T0, "START RequestId: " + id + " Version: $LATEST"));
    collector.accept(RawEvent.of(GROUP, STREAM, T0 + 20, "{\"errorMessage\":\"card declined\",\"errorType\":"
        + "\"java.lang.IllegalStateException\",\"stackTrace\":[\"com.example.Handler.handleRequest(Handler.java:31)\"]}"));
    collector.accept(RawEvent.of(GROUP, STREAM, T0 + 21, "END RequestId: " + id));
    collector.accept(RawEvent.of(GROUP, STREAM, T0 + 21, "REPORT RequestId: " + id + "\tDuration: 21.00 ms\t"
        + "Billed Duration: 21 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB"));
    collector.flush();
    Invocation inv = listener.last(id);
    assertThat(inv.status()).isEqualTo(InvocationStatus.ERROR);
    assertThat(inv.errorType()).isEqualTo("java.lang.IllegalStateException");
    assertThat(inv.errorMessage()).isEqualTo("card declined");
  }

  @Test
  void log4j_lines_without_platform_lines_group_by_request_id_and_end_lost_at_end_of_input() {
    List<String> lines = Samples.lines(RealSequencesTest.class,
        "samples/java11-log4j2-lambdaappender-lines-from-samlogs.log");
    long ts = T0;
    for (String l : lines) {
      collector.accept(RawEvent.of(GROUP, STREAM, ts++, l));
    }
    collector.finishAll();
    assertThat(listener.finished).extracting(Invocation::status).containsOnly(InvocationStatus.LOST);
    assertThat(listener.finished.stream().mapToInt(Invocation::lineCount).sum()).isEqualTo(lines.size());
    assertThat(listener.last("8c360c87-d4b7-4423-b5f3-af02be3c1763").lines()).hasSize(11);
  }

  /** A stream of {@code n} invocations: init, then per invocation START, app lines, a plain line, END, REPORT. */
  static List<RawEvent> stream(String streamName, int n, long t0) {
    List<RawEvent> out = new ArrayList<>();
    long t = t0;
    out.add(RawEvent.of(GROUP, streamName, t, "INIT_START Runtime Version: java:17.v15\tRuntime Version ARN: x"));
    t += 300;
    for (int i = 0; i < n; i++) {
      String id = String.format("%08x-0000-4000-8000-%012x", streamName.hashCode(), i);
      out.add(RawEvent.of(GROUP, streamName, t, "START RequestId: " + id + " Version: $LATEST"));
      out.add(RawEvent.of(GROUP, streamName, t + 1, "2024-05-20T16:29:45.009Z\t" + id + "\tINFO\tline one of " + i));
      out.add(RawEvent.of(GROUP, streamName, t + 2, "plain line of " + i));
      out.add(RawEvent.of(GROUP, streamName, t + 3, "{\"level\":\"WARN\",\"message\":\"json of " + i
          + "\",\"requestId\":\"" + id + "\"}"));
      out.add(RawEvent.of(GROUP, streamName, t + 5, "END RequestId: " + id));
      out.add(RawEvent.of(GROUP, streamName, t + 5, "REPORT RequestId: " + id + "\tDuration: 4.10 ms\t"
          + "Billed Duration: 5 ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB" + (i == 0 ? "\tInit Duration: "
          + "280.00 ms" : "")));
      t += 50;
    }
    return out;
  }

  static String summary(Invocation i) {
    // lines with equal timestamps (END and REPORT) have no defined order between them
    return i.requestId() + " " + i.status() + " cold=" + i.coldStart() + " " + i.startTime() + ".." + i.endTime()
        + " " + i.lines().stream().sorted(java.util.Comparator.comparingLong(LogLine::timestamp)
            .thenComparing(LogLine::text)).map(LogLine::text).toList();
  }

  @Test
  void shuffled_delivery_within_seconds_gives_the_same_invocations_as_ordered_delivery() {
    List<RawEvent> events = new ArrayList<>();
    events.addAll(stream("s1", 40, T0));
    events.addAll(stream("s2", 40, T0 + 7));
    RecordingListener ordered = new RecordingListener();
    Collector inOrder = Collector.builder().clock(clock).listener(ordered).build();
    events.forEach(inOrder::accept);
    inOrder.flush();
    List<String> expected = ordered.finished.stream().map(RealSequencesTest::summary).sorted().toList();
    assertThat(expected).hasSize(80);
    assertThat(expected).allMatch(s -> s.contains(" OK "));

    for (long seed = 1; seed <= 20; seed++) {
      // each event is delayed by up to 2 s of event time: CloudWatch's out-of-order delivery, across pages
      Random random = new Random(seed);
      List<long[]> keyed = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        keyed.add(new long[] {events.get(i).timestamp() + random.nextInt(2000), i});
      }
      keyed.sort((a, b) -> Long.compare(a[0], b[0]));
      TestClock c = new TestClock(9_000_000);
      RecordingListener shuffled = new RecordingListener();
      Collector collector = Collector.builder().clock(c).grace(Duration.ofSeconds(3)).listener(shuffled).build();
      long lastKey = keyed.get(0)[0];
      for (long[] k : keyed) {
        // the clock follows arrival, so grace periods pass between delayed events as they would live
        c.advance(Duration.ofMillis(k[0] - lastKey));
        lastKey = k[0];
        collector.accept(events.get((int) k[1]));
      }
      c.advance(Duration.ofSeconds(10));
      collector.tick();
      List<String> actual = new ArrayList<>();
      for (Invocation inv : shuffled.finished) {
        // later snapshots replace earlier ones
        actual.removeIf(s -> s.startsWith(inv.requestId()));
        actual.add(summary(inv));
      }
      List<String> missing = new ArrayList<>(expected);
      missing.removeAll(actual);
      List<String> extra = new ArrayList<>(actual);
      extra.removeAll(expected);
      assertThat(missing).as("seed " + seed + ": expected but not emitted; emitted instead: " + extra).isEmpty();
      assertThat(extra).as("seed " + seed).isEmpty();
      assertThat(collector.stats().unattributedLines()).as("seed " + seed).isEqualTo(2); // the INIT_STARTs
    }
  }

  @Test
  void memory_stays_bounded_finished_invocations_leave_and_old_ones_are_forgotten() {
    Collector bounded = Collector.builder().clock(clock).maxRecentInvocations(100).maxTraces(100)
        .listener(listener).build();
    List<RawEvent> events = stream("s1", 5_000, T0);
    for (RawEvent e : events) {
      bounded.accept(e);
      clock.advance(Duration.ofMillis(2));
    }
    clock.advance(Duration.ofSeconds(10));
    bounded.tick();
    assertThat(listener.finished.stream().map(Invocation::requestId).distinct().count()).isEqualTo(5_000);
    assertThat(bounded.stats().updatesEmitted()).isZero();
    assertThat(listener.finished.stream().filter(Invocation::coldStart).map(Invocation::requestId).toList())
        .containsExactly(listener.finished.get(0).requestId());
    assertThat(bounded.stats().openInvocations()).isZero();
    assertThat(bounded.stats().pendingLines()).isZero();
    assertThat(bounded.invocation(listener.finished.get(0).requestId())).isEmpty();
    assertThat(bounded.invocation(listener.finished.get(4_999).requestId())).isPresent();
  }
}
