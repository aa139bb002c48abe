package dev.taillight.collector.store;

import static dev.taillight.collector.store.Fixtures.T0;
import static dev.taillight.collector.store.Fixtures.invocation;
import static dev.taillight.collector.store.Fixtures.line;
import static dev.taillight.collector.store.Fixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationStatus;
import dev.taillight.collector.LineKind;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.SpanData;
import dev.taillight.collector.Trace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreRecordingTest {
  @TempDir Path dir;
  Store store;

  @BeforeEach
  void open() {
    store = Store.open(dir.resolve("t.db"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static final String TRACE = "5759e988bd862e3fe1be46a994272793";

  @Test
  void a_span_that_cannot_be_stored_costs_only_itself_and_the_next_flush_says_which() {
    store.onLine(line("orders-api", 1, T0, "r-1", "charging card"));
    store.onInvocationFinished(invocation("orders-api", "r-1").finished(T0 + 20).build());
    // a value span data never holds: no JSON form, so the batch cannot be encoded as a whole
    store.onSpan(span(TRACE, "53995c3f42cd8ad8", null, "r-1", T0, T0 + 20, Map.of("odd", new Object())));
    store.onSpan(span(TRACE, "1111111111111111", null, "r-1", T0, T0 + 20, Map.of()));
    store.onLine(line("orders-api", 1, T0 + 1, "r-1", "card charged"));

    org.assertj.core.api.Assertions.assertThatThrownBy(store::flush).isInstanceOf(StoreException.class)
        .hasMessageContaining("the span 53995c3f42cd8ad8");
    store.flush(); // reported once

    assertThat(store.lineCount()).isEqualTo(2);
    Trace trace = store.trace(TRACE).orElseThrow();
    assertThat(trace.spans()).extracting(SpanData::spanId).containsExactly("1111111111111111");
    assertThat(store.invocation("r-1").orElseThrow().lines()).extracting(LogLine::text)
        .containsExactly("charging card", "card charged");
  }

  @Test
  void every_invocation_field_round_trips_with_its_lines_and_spans() {
    LogLine start = new LogLine(new RawEvent("/aws/lambda/orders-api", Fixtures.stream(7), T0, T0 + 2100,
        "37511023956011473048225475127232318462604218553766494208", "START RequestId: r-1 Version: $LATEST"),
        "orders-api", LineKind.PLATFORM, null, "r-1", "START RequestId: r-1 Version: $LATEST");
    LogLine app = new LogLine(new RawEvent("/aws/lambda/orders-api", Fixtures.stream(7), T0 + 5, T0 + 2200,
        "37511023956011473048225475127232318462604218553766494209",
        "{\"level\":\"ERROR\",\"message\":\"card declined\"}"), "orders-api", LineKind.APP, "ERROR", "r-1",
        "card declined");
    SpanData s = new SpanData(TRACE, "53995c3f42cd8ad8", "1111111111111111", "orders-api", "SERVER",
        T0 * 1_000_000 + 123, (T0 + 250) * 1_000_000 + 7, "ERROR", "card declined", "orders-api",
        Map.of("faas.invocation_id", "r-1", "faas.coldstart", true, "aws.lambda.init_duration_ms", 812.5,
            "faas.max_memory", 536870912L, "aws.log.group.names", List.of("/aws/lambda/orders-api")),
        List.of(new SpanData.Event("exception", T0 * 1_000_000 + 99,
            Map.of("exception.type", "CardDeclined", "exception.escaped", false))),
        List.of(new SpanData.Link("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", Map.of("n", 3L))),
        "/aws/lambda/orders-api", Fixtures.stream(7));
    Invocation inv = new Invocation("orders-api", "/aws/lambda/orders-api", Fixtures.stream(7), "r-1", T0,
        T0 + 251, true, 812.5, 12.25, 250.75, 1064.0, 512, 187, InvocationStatus.ERROR, "CardDeclined",
        "card declined", TRACE, 0.0000089, List.of(start, app), List.of(s));

    store.onLine(start);
    store.onLine(app);
    store.onSpan(s);
    store.onInvocationFinished(inv);
    store.flush();

    assertThat(store.invocation("r-1")).contains(inv);
  }

  @Test
  void optional_fields_left_null_stay_null() {
    Invocation inv = invocation("f", "r-null").build();
    store.onInvocationStarted(inv);
    store.flush();

    assertThat(store.invocation("r-null")).contains(inv);
  }

  @Test
  void reading_the_same_events_twice_stores_them_once() {
    List<LogLine> lines = List.of(line("f", 1, T0, "r-1", "a"), line("f", 1, T0 + 1, "r-1", "b"),
        line("f", 1, T0 + 1, "r-1", "c"));
    lines.forEach(store::onLine);
    store.flush();
    lines.forEach(store::onLine);
    store.onLine(lines.get(0));
    store.flush();

    assertThat(store.lineCount()).isEqualTo(3);
    assertThat(store.functions()).singleElement().satisfies(f -> {
      assertThat(f.events()).isEqualTo(3);
      assertThat(f.lastEventTime()).isEqualTo(T0 + 1);
      assertThat(f.logGroup()).isEqualTo("/aws/lambda/f");
    });
  }

  @Test
  void same_event_id_in_another_log_group_is_a_different_event() {
    LogLine a = line("f", 1, T0, "r-1", "same");
    LogLine b = new LogLine(new RawEvent("/aws/lambda/g", a.event().logStream(), T0, 0, a.event().eventId(),
        "same"), "g", LineKind.APP, null, "r-2", "same");
    store.onLine(a);
    store.onLine(b);
    store.flush();

    assertThat(store.lineCount()).isEqualTo(2);
  }

  @Test
  void finished_snapshot_replaces_running_but_a_late_running_one_does_not_replace_finished() {
    Invocation running = invocation("f", "r-1").build();
    Invocation finished = invocation("f", "r-1").finished(120).build();
    store.onInvocationStarted(running);
    store.flush();
    assertThat(store.invocation("r-1")).get().extracting(Invocation::status).isEqualTo(InvocationStatus.RUNNING);

    store.onInvocationFinished(finished);
    store.onInvocationStarted(running);
    store.flush();

    assertThat(store.invocation("r-1")).contains(finished);
    assertThat(store.search(InvocationQuery.all())).hasSize(1);
  }

  @Test
  void a_re_emitted_finished_update_replaces_the_earlier_one() {
    store.onInvocationFinished(invocation("f", "r-1").status(InvocationStatus.LOST).build());
    Invocation real = invocation("f", "r-1").finished(50).build();
    store.onInvocationFinished(real);
    store.flush();

    assertThat(store.invocation("r-1")).contains(real);
  }

  @Test
  void final_span_line_replaces_the_timeout_warning_and_not_the_other_way() {
    SpanData warning = span(TRACE, "aaaaaaaaaaaaaaaa", null, "r-1", T0, T0 + 2900,
        Map.of("aws.lambda.timeout_warning", true));
    SpanData fin = span(TRACE, "aaaaaaaaaaaaaaaa", null, "r-1", T0, T0 + 3100, Map.of());
    store.onSpan(warning);
    store.flush();
    assertThat(store.trace(TRACE).orElseThrow().spans()).containsExactly(warning);

    store.onSpan(fin);
    store.onSpan(warning); // read again, e.g. a second pull
    store.flush();

    assertThat(store.trace(TRACE).orElseThrow().spans()).containsExactly(fin);
  }

  @Test
  void trace_is_found_by_xray_and_w3c_id_with_each_invocation_lines() {
    LogLine l1 = line("orders-api", 1, T0 + 1, "r-1", "placing order");
    LogLine l2 = line("payments", 2, T0 + 20, "r-2", "charging card");
    store.onLine(l1);
    store.onLine(l2);
    store.onLine(line("payments", 2, T0 + 500, "r-3", "another request"));
    store.onInvocationFinished(invocation("orders-api", "r-1").start(T0).finished(100).trace(TRACE).build());
    // r-2 carries no trace id itself; its span ties it to the trace
    store.onInvocationFinished(invocation("payments", "r-2").stream(2).start(T0 + 10).finished(40).build());
    store.onInvocationFinished(invocation("payments", "r-3").stream(2).start(T0 + 400).finished(40).build());
    SpanData root = span(TRACE, "1000000000000001", null, "r-1", T0, T0 + 100, Map.of());
    SpanData child = span(TRACE, "1000000000000002", "1000000000000001", "r-2", T0 + 10, T0 + 50, Map.of());
    store.onSpan(root);
    store.onSpan(child);
    store.flush();

    Trace byXray = store.trace("1-5759e988-bd862e3fe1be46a994272793").orElseThrow();
    Trace byW3c = store.trace("5759E988BD862E3FE1BE46A994272793").orElseThrow();

    assertThat(byXray).isEqualTo(byW3c);
    assertThat(byXray.spans()).containsExactly(root, child);
    assertThat(byXray.invocations()).extracting(Invocation::requestId).containsExactly("r-1", "r-2");
    assertThat(byXray.invocations().get(0).lines()).containsExactly(l1);
    assertThat(byXray.invocations().get(1).lines()).containsExactly(l2);
    assertThat(byXray.invocations().get(1).spans()).containsExactly(child);
    assertThat(store.trace("1-5759e988-bd862e3fe1be46a994272794")).isEmpty();
    assertThat(store.trace("not a trace id")).isEmpty();
  }

  @Test
  void lines_of_other_requests_in_the_same_stream_are_not_attached() {
    store.onLine(line("f", 1, T0, "r-1", "mine"));
    store.onLine(line("f", 1, T0 + 1, "r-2", "theirs"));
    store.onLine(line("f", 1, T0 + 2, null, "nobody's"));
    store.onInvocationFinished(invocation("f", "r-1").finished(10).build());
    store.flush();

    assertThat(store.invocation("r-1").orElseThrow().lines()).extracting(LogLine::text).containsExactly("mine");
  }

  @Test
  void pull_checkpoint_is_stored_per_group_and_replaced() {
    assertThat(store.checkpoint("/aws/lambda/f")).isEmpty();
    store.putCheckpoint(new PullCheckpoint("/aws/lambda/f", T0, T0 + 1000, T0 + 5000));
    store.putCheckpoint(new PullCheckpoint("/aws/lambda/g", T0, T0 + 10, T0 + 5000));
    store.putCheckpoint(new PullCheckpoint("/aws/lambda/f", T0, T0 + 2000, T0 + 6000));
    store.flush();

    assertThat(store.checkpoint("/aws/lambda/f")).contains(new PullCheckpoint("/aws/lambda/f", T0, T0 + 2000,
        T0 + 6000));
    assertThat(store.checkpoint("/aws/lambda/g")).get().extracting(PullCheckpoint::toTime).isEqualTo(T0 + 10);
  }

  @Test
  void an_idle_writer_copies_the_write_ahead_log_into_the_index_file() throws Exception {
    store.close();
    Path file = dir.resolve("idle.db");
    store = Store.builder().path(file).flushInterval(java.time.Duration.ofMillis(20)).build();
    for (int i = 0; i < 200; i++) {
      store.onLine(line("f", i, T0 + i, "r-" + i, "line " + i));
    }
    store.flush();

    // nothing else is recorded, so the automatic checkpoint (every 64 MB of WAL) does not run; until a checkpoint
    // the file holds only its first page (the schema and the lines are still in the WAL); the checkpoint the last
    // commit asked for copies them in while the writer is idle
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (java.nio.file.Files.size(file) < 10 * 4096 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(java.nio.file.Files.size(file)).isGreaterThanOrEqualTo(10 * 4096);
  }

  @Test
  void everything_recorded_before_close_is_there_after_reopening() {
    store.onLine(line("f", 1, T0, "r-1", "kept"));
    store.onInvocationFinished(invocation("f", "r-1").finished(10).build());
    store.close();

    store = Store.open(dir.resolve("t.db"));
    assertThat(store.invocation("r-1").orElseThrow().lines()).extracting(LogLine::text).containsExactly("kept");
  }

  @Test
  void span_lines_and_start_end_report_are_kept_but_only_other_lines_are_full_text_searchable() {
    List<LogLine> lines = List.of(
        line("f", 1, T0, "r-1", LineKind.PLATFORM, "START RequestId: r-1 Version: $LATEST"),
        line("f", 1, T0 + 1, "r-1", LineKind.APP, "checkout Version two"),
        line("f", 1, T0 + 2, "r-1", LineKind.SPAN, "{\"resourceSpans\":[{\"name\":\"checkout\"}]}"),
        line("f", 1, T0 + 3, "r-1", LineKind.PLATFORM,
            "2025-11-24T16:00:03.000Z r-1 Task timed out after 3.00 seconds"),
        line("f", 1, T0 + 4, "r-1", LineKind.PLATFORM, "END RequestId: r-1"),
        line("f", 1, T0 + 5, "r-1", LineKind.PLATFORM, "REPORT RequestId: r-1\tDuration: 3000.00 ms\t"));
    lines.forEach(store::onLine);
    store.onInvocationFinished(invocation("f", "r-1").finished(3000).status(InvocationStatus.TIMEOUT).build());
    store.flush();

    assertThat(store.invocation("r-1").orElseThrow().lines()).containsExactlyElementsOf(lines);
    assertThat(store.searchLines(InvocationQuery.builder().text("Version").build()))
        .containsExactly(lines.get(1));
    assertThat(store.searchLines(InvocationQuery.builder().text("resourceSpans").build())).isEmpty();
    assertThat(store.searchLines(InvocationQuery.builder().text("Duration").build())).isEmpty();
    assertThat(store.searchLines(InvocationQuery.builder().text("\"timed out\"").build()))
        .containsExactly(lines.get(3));
  }

  @Test
  void an_item_that_cannot_be_written_is_reported_and_the_rest_of_its_batch_is_kept() {
    List<Throwable> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
    store.close();
    store = Store.builder().path(dir.resolve("t.db")).errorHandler(reported::add).build();
    SpanData bad = span(TRACE, "bbbbbbbbbbbbbbbb", null, "r-1", T0, T0 + 1, Map.of("weird", new Object()));
    store.onLine(line("f", 1, T0, "r-1", "before"));
    store.onSpan(bad);
    store.onInvocationFinished(invocation("f", "r-1").finished(1).build());

    org.assertj.core.api.Assertions.assertThatThrownBy(store::flush)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("the span bbbbbbbbbbbbbbbb");
    assertThat(reported).hasSize(1);
    assertThat(store.invocation("r-1").orElseThrow().lines()).extracting(LogLine::text).containsExactly("before");

    store.onLine(line("f", 1, T0 + 1, "r-1", "after"));
    store.flush(); // the failure was reported once; the writer goes on
    assertThat(store.lineCount()).isEqualTo(2);
  }

  /**
   * Records a flush's worth of 3,000 invocations (running, then finished snapshot, a span and five lines each,
   * over 40 log streams): more invocation snapshots and lines than one part of a transaction holds, so the writer
   * gets several parts and must write them all, once, in one transaction.
   */
  private static final int MANY = 3_000;

  private void recordMany(SpanData extra) {
    for (int i = 0; i < MANY; i++) {
      String req = "r-" + i;
      int stream = i % 40;
      long start = T0 + i * 10L;
      store.onInvocationStarted(invocation("f", req).stream(stream).start(start).build());
      for (int k = 0; k < 5; k++) {
        store.onLine(line("f", stream, start + k, req, "step " + k + " of order o" + i));
      }
      store.onSpan(span(TRACE, String.format("%016x", i + 1), null, req, start, start + 5, Map.of()));
      if (i == MANY / 2 && extra != null) {
        store.onSpan(extra);
      }
      store.onInvocationFinished(invocation("f", req).stream(stream).start(start).finished(5).build());
    }
  }

  @Test
  void a_large_batch_written_in_parts_keeps_every_line_invocation_and_span_once() {
    recordMany(null);
    store.flush();

    assertThat(store.lineCount()).isEqualTo(MANY * 5L);
    List<Invocation> all = store.search(InvocationQuery.builder().limit(MANY + 1).build());
    assertThat(all).hasSize(MANY).allSatisfy(inv -> assertThat(inv.status()).isEqualTo(InvocationStatus.OK));
    assertThat(store.invocation("r-2999").orElseThrow().lines()).extracting(LogLine::text)
        .containsExactly("step 0 of order o2999", "step 1 of order o2999", "step 2 of order o2999",
            "step 3 of order o2999", "step 4 of order o2999");
    assertThat(store.trace(TRACE).orElseThrow().spans()).hasSize(MANY);
    assertThat(store.searchLines(InvocationQuery.builder().text("o1234").build())).hasSize(5);
  }

  @Test
  void a_bad_item_in_an_early_part_costs_only_itself_and_the_whole_transaction_is_written_again() {
    List<Throwable> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
    store.close();
    store = Store.builder().path(dir.resolve("t.db")).errorHandler(reported::add).build();
    recordMany(span(TRACE, "bbbbbbbbbbbbbbbb", null, "r-1", T0, T0 + 1, Map.of("weird", new Object())));

    org.assertj.core.api.Assertions.assertThatThrownBy(store::flush).isInstanceOf(StoreException.class)
        .hasMessageContaining("the span bbbbbbbbbbbbbbbb");
    assertThat(reported).hasSize(1);
    assertThat(store.lineCount()).isEqualTo(MANY * 5L);
    assertThat(store.search(InvocationQuery.builder().limit(MANY + 1).build())).hasSize(MANY)
        .allSatisfy(inv -> assertThat(inv.status()).isEqualTo(InvocationStatus.OK));
    assertThat(store.trace(TRACE).orElseThrow().spans()).hasSize(MANY);
  }

  @Test
  void an_invocations_lines_are_found_across_blocks_of_its_stream_but_not_in_other_streams() {
    store.onInvocationStarted(invocation("f", "r-1").stream(1).build());
    store.onLine(line("f", 1, T0, "r-1", "first"));
    store.flush(); // one block
    for (int i = 0; i < 50; i++) { // other requests of the same stream, in blocks of their own
      store.onLine(line("f", 1, T0 + 1 + i, "r-other-" + i, "other " + i));
      store.flush();
    }
    store.onLine(line("f", 2, T0 + 60, "r-1", "same request id, another stream"));
    store.onLine(line("f", 1, T0 + 61, "r-1", "second"));
    store.onInvocationFinished(invocation("f", "r-1").stream(1).finished(61).build());
    store.onLine(line("f", 1, T0 + 30_000, "r-1", "late, after the end")); // e.g. a background thread
    store.flush();

    assertThat(store.invocation("r-1").orElseThrow().lines()).extracting(LogLine::text)
        .containsExactly("first", "second", "late, after the end");
    assertThat(store.search(InvocationQuery.builder().text("late").build())).extracting(Invocation::requestId)
        .containsExactly("r-1");
  }
}
