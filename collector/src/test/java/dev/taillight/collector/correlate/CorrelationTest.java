package dev.taillight.collector.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.Collector;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationStatus;
import dev.taillight.collector.LineKind;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.RecordingListener;
import dev.taillight.collector.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CorrelationTest {
  static final String GROUP = "/aws/lambda/orders-api";
  static final String STREAM = "2024/05/20/[$LATEST]0123456789abcdef0123456789abcdef";
  static final String A = "4b142fc3-17b8-4cdb-a46b-a8dbe7918715";
  static final String B = "9d6ad3dd-0b1e-4cba-a0e4-a0de12b2f4f1";
  static final long T0 = 1_716_222_584_833L;

  final TestClock clock = new TestClock(1_000_000);
  final RecordingListener listener = new RecordingListener();
  final Collector collector = Collector.builder().clock(clock).grace(Duration.ofSeconds(3))
      .lostAfter(Duration.ofMinutes(16)).listener(listener).build();

  void event(long ts, String message) {
    event(STREAM, ts, message);
  }

  void event(String stream, long ts, String message) {
    collector.accept(RawEvent.of(GROUP, stream, ts, message));
  }

  void afterGrace() {
    clock.advance(Duration.ofSeconds(4));
    collector.tick();
  }

  static String report(String id, String rest) {
    return "REPORT RequestId: " + id + "\tDuration: 11.64 ms\tBilled Duration: 12 ms\tMemory Size: 128 MB\t"
        + "Max Memory Used: 67 MB\t" + rest;
  }

  @Test
  void lines_between_start_and_report_belong_to_the_invocation_whatever_they_contain() {
    event(T0, "INIT_START Runtime Version: java:17.v15\tRuntime Version ARN: arn:aws:lambda:x");
    event(T0 + 200, "START RequestId: " + A + " Version: $LATEST");
    event(T0 + 201, "plain System.out line without any id");
    event(T0 + 202, "java.lang.IllegalStateException: boom\n\tat com.example.Handler.handle(Handler.java:12)");
    event(T0 + 203, "2024-05-20T16:29:45.009Z\t" + A + "\tINFO\tstructured line");
    event(T0 + 210, "END RequestId: " + A);
    event(T0 + 210, report(A, "Init Duration: 174.05 ms"));
    assertThat(listener.finished).as("emitted only after the grace period").isEmpty();
    afterGrace();

    Invocation inv = listener.last(A);
    assertThat(inv.function()).isEqualTo("orders-api");
    assertThat(inv.status()).isEqualTo(InvocationStatus.OK);
    assertThat(inv.coldStart()).isTrue();
    assertThat(inv.initDurationMs()).isEqualTo(174.05);
    assertThat(inv.durationMs()).isEqualTo(11.64);
    assertThat(inv.billedDurationMs()).isEqualTo(12.0);
    assertThat(inv.memorySizeMb()).isEqualTo(128);
    assertThat(inv.maxMemoryUsedMb()).isEqualTo(67);
    assertThat(inv.startTime()).isEqualTo(T0 + 200);
    assertThat(inv.endTime()).isEqualTo(T0 + 210);
    assertThat(inv.lines()).extracting(LogLine::text).containsExactly(
        "START RequestId: " + A + " Version: $LATEST",
        "plain System.out line without any id",
        "java.lang.IllegalStateException: boom\n\tat com.example.Handler.handle(Handler.java:12)",
        "structured line",
        "END RequestId: " + A,
        report(A, "Init Duration: 174.05 ms"));
    assertThat(inv.lines()).allMatch(l -> A.equals(l.requestId()));
    assertThat(inv.costUsd()).isCloseTo(0.012 * 0.125 * 0.0000166667 + 0.0000002, org.assertj.core.data.Offset
        .offset(1e-12));
    // the INIT_START line precedes the invocation: it is emitted without a request id
    assertThat(listener.lines).filteredOn(l -> l.kind() == LineKind.PLATFORM && l.requestId() == null)
        .hasSize(1);
    assertThat(listener.finished).hasSize(1);
    assertThat(collector.stats().openInvocations()).isZero();
  }

  @Test
  void a_line_arriving_after_report_but_within_grace_joins_the_final_snapshot() {
    event(T0, "START RequestId: " + A + " Version: $LATEST");
    event(T0 + 5, "END RequestId: " + A);
    event(T0 + 5, report(A, ""));
    clock.advance(Duration.ofSeconds(1));
    event(T0 + 3, "late plain line written during the invocation");
    afterGrace();
    Invocation inv = listener.last(A);
    assertThat(inv.lines()).extracting(LogLine::text).containsSubsequence("START RequestId: " + A
        + " Version: $LATEST", "late plain line written during the invocation", "END RequestId: " + A);
    assertThat(listener.finished).hasSize(1);
  }

  @Test
  void a_line_arriving_before_its_start_waits_and_then_joins() {
    event(T0 + 2, "printed before START arrived");
    event(T0, "START RequestId: " + A + " Version: $LATEST");
    event(T0 + 9, "END RequestId: " + A);
    event(T0 + 9, report(A, ""));
    afterGrace();
    assertThat(listener.last(A).lines()).extracting(LogLine::text).contains("printed before START arrived");
    assertThat(collector.stats().unattributedLines()).isZero();
  }

  @Test
  void a_late_line_after_the_final_snapshot_re_emits_an_updated_one() {
    event(T0, "START RequestId: " + A + " Version: $LATEST");
    event(T0 + 9, "END RequestId: " + A);
    event(T0 + 9, report(A, ""));
    afterGrace();
    assertThat(listener.finished).hasSize(1);
    Invocation first = listener.last(A);
    event(T0 + 4, "2024-05-20T16:29:45.009Z\t" + A + "\tWARN\tvery late line");
    collector.tick();
    assertThat(listener.finished).hasSize(2);
    assertThat(listener.last(A).lines()).extracting(LogLine::text).containsExactly("START RequestId: " + A
        + " Version: $LATEST", "very late line", "END RequestId: " + A, report(A, "").trim());
    assertThat(collector.stats().updatesEmitted()).isEqualTo(1);
    // the snapshot emitted first is immutable: the late line, placed before lines it holds, did not change it
    assertThat(first.lines()).extracting(LogLine::text).containsExactly("START RequestId: " + A
        + " Version: $LATEST", "END RequestId: " + A, report(A, "").trim());
  }

  @Test
  void the_snapshot_of_a_new_invocation_knows_only_that_it_runs() {
    event(T0 + 1, "2024-05-20T16:29:45.009Z\t" + A + "\tINFO\tfirst line, before START arrived");
    assertThat(listener.started).singleElement().satisfies(inv -> {
      assertThat(inv).isEqualTo(new Invocation("orders-api", GROUP, STREAM, A, T0 + 1, null, false, null, null, null,
          null, null, null, InvocationStatus.RUNNING, null, null, null, null, java.util.List.of(),
          java.util.List.of()));
    });
    // what the correlator knows after that first line joined
    assertThat(collector.invocation(A)).hasValueSatisfying(inv -> {
      assertThat(inv.status()).isEqualTo(InvocationStatus.RUNNING);
      assertThat(inv.lines()).hasSize(1);
    });
  }

  @Test
  void xray_on_its_own_line_completes_the_report_before_it() {
    event(T0, "START RequestId: " + A + " Version: $LATEST");
    event(T0 + 9, "END RequestId: " + A);
    event(T0 + 9, report(A, ""));
    event(T0 + 9, "XRAY TraceId: 1-5759e988-bd862e3fe1be46a994272793\tSegmentId: 53995c3f42cd8ad8\tSampled: true");
    afterGrace();
    assertThat(listener.last(A).traceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(collector.trace("1-5759e988-bd862e3fe1be46a994272793")).hasValueSatisfying(t ->
        assertThat(t.invocations()).extracting(Invocation::requestId).containsExactly(A));
  }

  @Test
  void timeout_then_reinit_makes_the_next_invocation_cold() {
    event(T0, "START RequestId: " + A + " Version: $LATEST");
    event(T0 + 3000, "2024-05-20T16:29:47.833Z " + A + " Task timed out after 3.00 seconds");
    event(T0 + 3001, "END RequestId: " + A);
    event(T0 + 3001, "REPORT RequestId: " + A + "\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: "
        + "128 MB\tMax Memory Used: 80 MB\tStatus: timeout");
    event(T0 + 3500, "INIT_START Runtime Version: java:17.v15\tRuntime Version ARN: arn:aws:lambda:x");
    event(T0 + 3900, "START RequestId: " + B + " Version: $LATEST");
    event(T0 + 3950, "END RequestId: " + B);
    event(T0 + 3950, report(B, ""));
    afterGrace();
    Invocation a = listener.last(A);
    assertThat(a.status()).isEqualTo(InvocationStatus.TIMEOUT);
    assertThat(a.errorMessage()).isEqualTo("Task timed out after 3.00 seconds");
    assertThat(a.coldStart()).isFalse();
    Invocation b = listener.last(B);
    assertThat(b.coldStart()).isTrue();
    assertThat(b.status()).isEqualTo(InvocationStatus.OK);
  }

  @Test
  void runtime_exit_marks_a_crash() {
    event(T0, "START RequestId: " + A + " Version: $LATEST");
    event(T0 + 40, "RequestId: " + A + " Error: Runtime exited with error: exit status 1\nRuntime.ExitError");
    event(T0 + 41, "END RequestId: " + A);
    event(T0 + 41, report(A, "Status: error\tError Type: Runtime.ExitError"));
    afterGrace();
    Invocation a = listener.last(A);
    assertThat(a.status()).isEqualTo(InvocationStatus.CRASH);
    assertThat(a.errorType()).isEqualTo("Runtime.ExitError");
    assertThat(a.errorMessage()).isEqualTo("Runtime exited with error: exit status 1");
  }

  @Test
  void an_invocation_whose_stream_goes_quiet_is_running_then_lost() {
    event(T0, "START RequestId: " + A + " Version: $LATEST");
    clock.advance(Duration.ofMinutes(5));
    collector.tick();
    assertThat(listener.finished).isEmpty();
    assertThat(collector.running()).extracting(Invocation::status).containsExactly(InvocationStatus.RUNNING);
    clock.advance(Duration.ofMinutes(12));
    collector.tick();
    assertThat(listener.last(A).status()).isEqualTo(InvocationStatus.LOST);
    assertThat(collector.stats().invocationsLost()).isEqualTo(1);
    assertThat(collector.stats().openInvocations()).isZero();
  }

  @Test
  void lines_outside_any_invocation_are_emitted_without_request_id_after_grace() {
    event(T0, "loading configuration during init");
    assertThat(listener.lines).isEmpty();
    assertThat(collector.stats().pendingLines()).isEqualTo(1);
    afterGrace();
    assertThat(listener.lines).singleElement().satisfies(l -> {
      assertThat(l.requestId()).isNull();
      assertThat(l.text()).isEqualTo("loading configuration during init");
    });
  }

  @Test
  void streams_are_separate_timelines() {
    String other = "2024/05/20/[$LATEST]ffffffffffffffffffffffffffffffff";
    event(STREAM, T0, "START RequestId: " + A + " Version: $LATEST");
    event(other, T0 + 1, "START RequestId: " + B + " Version: $LATEST");
    event(STREAM, T0 + 2, "line of A");
    event(other, T0 + 2, "line of B");
    event(STREAM, T0 + 9, report(A, ""));
    event(other, T0 + 9, report(B, ""));
    afterGrace();
    assertThat(listener.last(A).lines()).extracting(LogLine::text).contains("line of A").doesNotContain("line of B");
    assertThat(listener.last(B).lines()).extracting(LogLine::text).contains("line of B").doesNotContain("line of A");
  }
  @Test
  void a_stream_forgotten_after_a_quiet_spell_is_started_afresh_by_its_next_line() {
    event(T0, "START RequestId: " + A + " Version: $LATEST");
    event(T0 + 10, "END RequestId: " + A);
    event(T0 + 10, report(A, ""));
    afterGrace();
    clock.advance(Duration.ofMinutes(17)); // quiet past lostAfter with nothing live: the stream leaves memory
    collector.tick();

    // the same group and stream again (the very same String instances): the line must wait in a stream the
    // collector still knows, so that flushing emits it
    event(T0 + 60_000, "a line after the stream was forgotten");
    assertThat(collector.stats().pendingLines()).isEqualTo(1);
    collector.flush();
    assertThat(collector.stats().pendingLines()).isZero();
    assertThat(listener.lines).filteredOn(l -> l.text().equals("a line after the stream was forgotten"))
        .singleElement().satisfies(l -> assertThat(l.requestId()).isNull());

    event(T0 + 70_000, "START RequestId: " + B + " Version: $LATEST");
    event(T0 + 70_001, "a line of the next invocation");
    event(T0 + 70_010, "END RequestId: " + B);
    event(T0 + 70_010, report(B, ""));
    afterGrace();
    assertThat(listener.last(B).lines()).extracting(LogLine::text).contains("a line of the next invocation");
  }

  @Test
  void only_the_last_max_recent_finished_invocations_stay_queryable() {
    Collector bounded = Collector.builder().clock(clock).maxRecentInvocations(2).listener(listener).build();
    String[] ids = {A, B, "5e7ac3a1-0d64-4d3f-9c0e-6f1f7d2b8a10"};
    long ts = T0;
    for (String id : ids) {
      bounded.accept(RawEvent.of(GROUP, STREAM, ts, "START RequestId: " + id + " Version: $LATEST"));
      bounded.accept(RawEvent.of(GROUP, STREAM, ts + 5, "END RequestId: " + id));
      bounded.accept(RawEvent.of(GROUP, STREAM, ts + 5, report(id, "")));
      clock.advance(Duration.ofSeconds(4));
      bounded.tick();
      ts += 100;
    }
    assertThat(bounded.invocation(A)).isEmpty();
    assertThat(bounded.invocation(B)).isPresent();
    assertThat(bounded.invocation(ids[2])).isPresent();
    assertThat(bounded.running()).isEmpty();
    assertThat(bounded.stats().openInvocations()).isZero();
    // a late line for the forgotten invocation starts a new one (which no START will end: RUNNING)
    bounded.accept(RawEvent.of(GROUP, STREAM, T0 + 1, "2024-05-20T16:29:45.009Z\t" + A + "\tINFO\tlate"));
    assertThat(bounded.running()).extracting(Invocation::requestId).containsExactly(A);
    assertThat(bounded.stats().openInvocations()).isEqualTo(1);
  }

  @Test
  void a_stream_whose_waiting_lines_all_found_their_invocation_still_holds_and_expires_later_ones() {
    event(T0 + 1, "printed before its START arrived");
    collector.tick(); // not due yet: the line keeps waiting
    event(T0, "START RequestId: " + A + " Version: $LATEST");
    event(T0 + 10, "END RequestId: " + A);
    event(T0 + 10, report(A, ""));
    assertThat(collector.stats().pendingLines()).isZero();
    afterGrace();
    assertThat(listener.last(A).lines()).extracting(LogLine::text).contains("printed before its START arrived");

    event(T0 + 500, "printed between invocations");
    assertThat(collector.stats().pendingLines()).isEqualTo(1);
    afterGrace();
    assertThat(collector.stats().pendingLines()).isZero();
    assertThat(listener.lines).filteredOn(l -> l.text().equals("printed between invocations"))
        .singleElement().satisfies(l -> assertThat(l.requestId()).isNull());
  }

  @Test
  void streams_going_quiet_at_different_times_each_lose_their_open_invocation_when_their_own_spell_ends() {
    String other = "2024/05/20/[$LATEST]ffffffffffffffffffffffffffffffff";
    event(STREAM, T0, "START RequestId: " + A + " Version: $LATEST");
    clock.advance(Duration.ofMinutes(10));
    event(other, T0 + 600_000, "START RequestId: " + B + " Version: $LATEST");
    clock.advance(Duration.ofMinutes(7)); // A's stream quiet for 17 min, B's for 7
    collector.tick();
    assertThat(listener.last(A).status()).isEqualTo(InvocationStatus.LOST);
    assertThat(listener.finished).extracting(Invocation::requestId).doesNotContain(B);
    clock.advance(Duration.ofMinutes(8)); // B's stream quiet for 15 min
    collector.tick();
    assertThat(listener.finished).extracting(Invocation::requestId).doesNotContain(B);
    clock.advance(Duration.ofMinutes(2)); // 17 min
    collector.tick();
    assertThat(listener.last(B).status()).isEqualTo(InvocationStatus.LOST);
    assertThat(collector.stats().openInvocations()).isZero();
  }

  @Test
  void lines_of_two_invocations_interleaved_in_one_stream_each_join_the_one_they_name() {
    event(T0, "START RequestId: " + A + " Version: $LATEST");
    event(T0 + 1, "START RequestId: " + B + " Version: $LATEST");
    event(T0 + 2, "2024-05-20T16:29:45.009Z\t" + A + "\tINFO\tfirst of A");
    event(T0 + 3, "2024-05-20T16:29:45.010Z\t" + B + "\tINFO\tfirst of B");
    event(T0 + 4, "2024-05-20T16:29:45.011Z\t" + B + "\tINFO\tsecond of B");
    event(T0 + 5, "2024-05-20T16:29:45.012Z\t" + A + "\tINFO\tsecond of A");
    event(T0 + 9, report(A, ""));
    event(T0 + 9, report(B, ""));
    afterGrace();
    assertThat(listener.last(A).lines()).extracting(LogLine::text).contains("first of A", "second of A")
        .doesNotContain("first of B", "second of B");
    assertThat(listener.last(B).lines()).extracting(LogLine::text).contains("first of B", "second of B")
        .doesNotContain("first of A", "second of A");
  }

  @Test
  void a_line_naming_the_last_invocation_of_its_stream_after_it_left_memory_starts_a_new_one() {
    Collector bounded = Collector.builder().clock(clock).maxRecentInvocations(1).listener(listener).build();
    String other = "2024/05/20/[$LATEST]ffffffffffffffffffffffffffffffff";
    bounded.accept(RawEvent.of(GROUP, STREAM, T0, "START RequestId: " + A + " Version: $LATEST"));
    bounded.accept(RawEvent.of(GROUP, STREAM, T0 + 5, report(A, "")));
    clock.advance(Duration.ofSeconds(4));
    bounded.tick();
    // B, in another stream, finishes: A leaves memory, though it is still the last invocation of its stream
    bounded.accept(RawEvent.of(GROUP, other, T0, "START RequestId: " + B + " Version: $LATEST"));
    bounded.accept(RawEvent.of(GROUP, other, T0 + 5, report(B, "")));
    clock.advance(Duration.ofSeconds(4));
    bounded.tick();
    assertThat(bounded.invocation(A)).isEmpty();

    bounded.accept(RawEvent.of(GROUP, STREAM, T0 + 1, "2024-05-20T16:29:45.009Z\t" + A + "\tINFO\tlate"));
    assertThat(bounded.running()).extracting(Invocation::requestId).containsExactly(A);
    assertThat(bounded.stats().invocationsStarted()).isEqualTo(3);
    assertThat(listener.finished).filteredOn(i -> i.requestId().equals(A)).singleElement();
  }

  @Test
  void a_stream_keeps_its_eight_latest_finished_invocations_for_late_plain_lines() {
    String[] ids = new String[10];
    for (int k = 0; k < 10; k++) {
      ids[k] = String.format("%08x-17b8-4cdb-a46b-a8dbe79187%02d", k, k);
      long t = T0 + k * 100;
      event(t, "START RequestId: " + ids[k] + " Version: $LATEST");
      event(t + 10, "END RequestId: " + ids[k]);
      event(t + 10, report(ids[k], ""));
    }
    afterGrace();
    assertThat(listener.finished).hasSize(10);
    event(T0 + 105, "late line of the second invocation, which the stream no longer holds");
    event(T0 + 205, "late line of the third invocation, the earliest the stream still holds");
    afterGrace();
    assertThat(listener.last(ids[2]).lines()).extracting(LogLine::text)
        .contains("late line of the third invocation, the earliest the stream still holds");
    assertThat(listener.lines).filteredOn(l -> l.text().startsWith("late line of the second"))
        .singleElement().satisfies(l -> assertThat(l.requestId()).isNull());
    assertThat(listener.finished).filteredOn(i -> i.requestId().equals(ids[1])).hasSize(1);
  }

  @Test
  void after_more_reinitialisations_than_a_stream_keeps_marks_for_each_invocation_after_one_is_cold() {
    String[] ids = new String[7];
    for (int k = 0; k < 7; k++) {
      ids[k] = String.format("%08x-0b1e-4cba-a0e4-a0de12b2f4%02d", k, k);
      long t = T0 + k * 1000;
      if (k < 6) { // the seventh invocation runs in the environment the sixth started in
        event(t, "INIT_START Runtime Version: java:17.v15\tRuntime Version ARN: arn:aws:lambda:x");
      }
      event(t + 200, "START RequestId: " + ids[k] + " Version: $LATEST");
      event(t + 210, "END RequestId: " + ids[k]);
      event(t + 210, report(ids[k], ""));
    }
    afterGrace();
    for (int k = 0; k < 7; k++) {
      assertThat(listener.last(ids[k]).coldStart()).as("invocation %d", k).isEqualTo(k < 6);
    }
  }
}
