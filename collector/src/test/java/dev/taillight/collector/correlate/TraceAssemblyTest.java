package dev.taillight.collector.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.Collector;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationListener;
import dev.taillight.collector.InvocationStatus;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.Pricing;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.RecordingListener;
import dev.taillight.collector.SpanData;
import dev.taillight.collector.TestClock;
import dev.taillight.collector.Trace;
import dev.taillight.collector.parse.SpanLineParsingTestAccess;
import dev.taillight.testing.Samples;
import java.time.Duration;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class TraceAssemblyTest {
  static final String ORDERS = "/aws/lambda/orders-api";
  static final String PAYMENTS = "/aws/lambda/payments-worker";
  static final String ORDERS_STREAM = "2024/05/20/[$LATEST]0123456789abcdef0123456789abcdef";
  static final String PAYMENTS_STREAM = "2024/05/20/[$LATEST]fedcba9876543210fedcba9876543210";
  static final String A = "4b142fc3-17b8-4cdb-a46b-a8dbe7918715";
  static final String P = "0f5a8e1c-3a34-4a4b-9f5e-2d3c4b5a6978";
  static final long T0 = 1_716_222_585_008L;

  final TestClock clock = new TestClock(5_000_000);
  final RecordingListener listener = new RecordingListener();
  final Collector collector = Collector.builder().clock(clock).listener(listener).build();

  void event(String group, String stream, long ts, String message) {
    collector.accept(RawEvent.of(group, stream, ts, message));
  }

  String ordersSpanLine() {
    return Samples.resource(TraceAssemblyTest.class, "samples/spans/otlp-json-invocation-span.json").trim();
  }

  void ordersInvocation() {
    event(ORDERS, ORDERS_STREAM, T0, "START RequestId: " + A + " Version: $LATEST");
    event(ORDERS, ORDERS_STREAM, T0 + 5, "calling payments");
    event(ORDERS, ORDERS_STREAM, T0 + 11, ordersSpanLine());
    event(ORDERS, ORDERS_STREAM, T0 + 12, "END RequestId: " + A);
    event(ORDERS, ORDERS_STREAM, T0 + 12, "REPORT RequestId: " + A + "\tDuration: 11.64 ms\tBilled Duration: 12 ms"
        + "\tMemory Size: 512 MB\tMax Memory Used: 67 MB\tInit Duration: 174.05 ms");
  }

  void paymentsInvocation() throws Exception {
    event(PAYMENTS, PAYMENTS_STREAM, T0 + 90, "START RequestId: " + P + " Version: $LATEST");
    event(PAYMENTS, PAYMENTS_STREAM, T0 + 120, "charging card");
    event(PAYMENTS, PAYMENTS_STREAM, T0 + 150, SpanLineParsingTestAccess.paymentsEnvelope());
    event(PAYMENTS, PAYMENTS_STREAM, T0 + 151, "END RequestId: " + P);
    event(PAYMENTS, PAYMENTS_STREAM, T0 + 151, "REPORT RequestId: " + P + "\tDuration: 60.00 ms\tBilled Duration: "
        + "60 ms\tMemory Size: 1024 MB\tMax Memory Used: 99 MB");
  }

  void afterGrace() {
    clock.advance(Duration.ofSeconds(4));
    collector.tick();
  }

  @Test
  void span_line_joins_its_invocation_and_fills_trace_id_and_architecture() {
    ordersInvocation();
    afterGrace();
    Invocation inv = listener.last(A);
    assertThat(inv.spans()).extracting(SpanData::name).containsExactly("orders-api", "init");
    assertThat(inv.traceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(inv.coldStart()).isTrue();
    // arm64 from the span's aws.lambda.architecture: 0.012 s x 0.5 GB x arm price + request
    assertThat(inv.costUsd()).isCloseTo(0.012 * 0.5 * 0.0000133334 + 0.0000002, Offset.offset(1e-12));
    assertThat(listener.spans).hasSize(2);
  }

  @Test
  void spans_from_two_functions_form_one_trace_tied_to_their_invocations_and_lines() throws Exception {
    ordersInvocation();
    paymentsInvocation();
    afterGrace();
    Trace trace = collector.trace("1-5759e988-bd862e3fe1be46a994272793").orElseThrow();
    // ordered by start time: orders' init child, orders' invocation span, the payments span it caused
    assertThat(trace.spans()).extracting(SpanData::name).containsExactly("init", "orders-api", "payments-worker");
    assertThat(trace.invocations()).extracting(Invocation::requestId).containsExactly(A, P);
    assertThat(trace.roots()).extracting(SpanData::name).containsExactly("orders-api");
    assertThat(trace.children("53995c3f42cd8ad8")).extracting(SpanData::name)
        .containsExactlyInAnyOrder("init", "payments-worker");
    SpanData payments = trace.spans().get(2);
    Invocation paymentsInv = trace.invocationOf(payments).orElseThrow();
    assertThat(paymentsInv.requestId()).isEqualTo(P);
    assertThat(paymentsInv.function()).isEqualTo("payments-worker");
    assertThat(paymentsInv.lines()).extracting(LogLine::text).contains("charging card");
    assertThat(paymentsInv.status()).isEqualTo(InvocationStatus.ERROR);
    assertThat(paymentsInv.errorType()).isEqualTo("java.lang.IllegalStateException");
    assertThat(paymentsInv.errorMessage()).isEqualTo("card declined");
    assertThat(trace.totalCostUsd()).isCloseTo(listener.last(A).costUsd() + listener.last(P).costUsd(),
        Offset.offset(1e-15));
    // the same trace is found by its W3C form too
    assertThat(collector.trace("5759e988bd862e3fe1be46a994272793")).isPresent();
  }

  @Test
  void final_span_replaces_the_timeout_warning_with_the_same_span_id_in_either_order() {
    String warning = Samples.resource(TraceAssemblyTest.class, "samples/spans/otlp-json-timeout-warning-span.json")
        .trim();
    event(ORDERS, ORDERS_STREAM, T0, "START RequestId: " + A + " Version: $LATEST");
    event(ORDERS, ORDERS_STREAM, T0 + 2900, warning);
    event(ORDERS, ORDERS_STREAM, T0 + 2950, ordersSpanLine());
    event(ORDERS, ORDERS_STREAM, T0 + 2951, "REPORT RequestId: " + A + "\tDuration: 2950.00 ms\tBilled Duration: "
        + "2950 ms\tMemory Size: 512 MB\tMax Memory Used: 67 MB");
    afterGrace();
    SpanData inv = listener.last(A).spans().stream().filter(s -> s.spanId().equals("53995c3f42cd8ad8"))
        .findFirst().orElseThrow();
    assertThat(inv.attributes()).doesNotContainKey("aws.lambda.timeout_warning");
    assertThat(collector.trace("5759e988bd862e3fe1be46a994272793").orElseThrow().spans())
        .filteredOn(s -> s.spanId().equals("53995c3f42cd8ad8")).singleElement()
        .satisfies(s -> assertThat(s.attributes()).doesNotContainKey("aws.lambda.timeout_warning"));

    Invocation finalSnapshot = listener.last(A);
    java.util.List<SpanData> finalSpans = java.util.List.copyOf(finalSnapshot.spans());

    // a warning that arrives after its final line (out of order) does not replace it
    event(ORDERS, ORDERS_STREAM, T0 + 2900, warning);
    collector.tick();
    assertThat(listener.last(A).spans()).filteredOn(s -> s.spanId().equals("53995c3f42cd8ad8")).singleElement()
        .satisfies(s -> assertThat(s.attributes()).doesNotContainKey("aws.lambda.timeout_warning"));
    assertThat(finalSnapshot.spans()).isEqualTo(finalSpans);
  }

  @Test
  void a_span_replaced_after_the_final_snapshot_leaves_that_snapshot_as_it_was() {
    String warning = Samples.resource(TraceAssemblyTest.class, "samples/spans/otlp-json-timeout-warning-span.json")
        .trim();
    event(ORDERS, ORDERS_STREAM, T0, "START RequestId: " + A + " Version: $LATEST");
    event(ORDERS, ORDERS_STREAM, T0 + 2900, warning);
    event(ORDERS, ORDERS_STREAM, T0 + 2951, "REPORT RequestId: " + A + "\tDuration: 2950.00 ms\tBilled Duration: "
        + "2950 ms\tMemory Size: 512 MB\tMax Memory Used: 67 MB");
    afterGrace();
    Invocation first = listener.last(A);
    SpanData warned = first.spans().stream().filter(s -> s.spanId().equals("53995c3f42cd8ad8")).findFirst()
        .orElseThrow();
    assertThat(warned.attributes()).containsKey("aws.lambda.timeout_warning");

    event(ORDERS, ORDERS_STREAM, T0 + 2950, ordersSpanLine()); // the final span, late: replaces the warning
    collector.tick();
    assertThat(listener.last(A).spans()).filteredOn(s -> s.spanId().equals("53995c3f42cd8ad8")).singleElement()
        .satisfies(s -> assertThat(s.attributes()).doesNotContainKey("aws.lambda.timeout_warning"));
    assertThat(first.spans()).contains(warned);
  }

  @Test
  void a_timeout_warning_alone_is_kept_when_the_function_then_times_out() {
    String warning = Samples.resource(TraceAssemblyTest.class, "samples/spans/otlp-json-timeout-warning-span.json")
        .trim();
    event(ORDERS, ORDERS_STREAM, T0, "START RequestId: " + A + " Version: $LATEST");
    event(ORDERS, ORDERS_STREAM, T0 + 2900, warning);
    event(ORDERS, ORDERS_STREAM, T0 + 3000, "2024-05-20T16:29:48.008Z " + A + " Task timed out after 3.00 seconds");
    event(ORDERS, ORDERS_STREAM, T0 + 3001, "REPORT RequestId: " + A + "\tDuration: 3000.00 ms\tBilled Duration: "
        + "3000 ms\tMemory Size: 512 MB\tMax Memory Used: 67 MB\tStatus: timeout");
    afterGrace();
    Invocation inv = listener.last(A);
    assertThat(inv.status()).isEqualTo(InvocationStatus.TIMEOUT);
    assertThat(inv.spans()).singleElement().satisfies(s -> {
      assertThat(s.attributes()).containsEntry("aws.lambda.timeout_warning", true);
      assertThat(s.events()).extracting(SpanData.Event::name).containsExactly("aws.lambda.timeout_warning");
    });
  }

  @Test
  void pricing_default_architecture_is_used_when_no_span_says() {
    Collector arm = Collector.builder().clock(clock).listener(listener)
        .pricing(Pricing.builder().defaultArchitecture("arm64").perRequest(0).build()).build();
    arm.accept(RawEvent.of(ORDERS, ORDERS_STREAM, T0, "START RequestId: " + A + " Version: $LATEST"));
    arm.accept(RawEvent.of(ORDERS, ORDERS_STREAM, T0 + 1000, "REPORT RequestId: " + A + "\tDuration: 1000.00 ms\t"
        + "Billed Duration: 1000 ms\tMemory Size: 1024 MB\tMax Memory Used: 67 MB"));
    arm.flush();
    assertThat(listener.last(A).costUsd()).isCloseTo(0.0000133334, Offset.offset(1e-15));
  }

  @Test
  void a_listener_that_throws_is_counted_and_the_others_still_hear() {
    RecordingListener second = new RecordingListener();
    Collector c = Collector.builder().clock(clock).listener(new InvocationListener() {
      @Override
      public void onLine(LogLine line) {
        throw new IllegalStateException("listener bug");
      }
    }).listener(second).build();
    c.accept(RawEvent.of(ORDERS, ORDERS_STREAM, T0, "START RequestId: " + A + " Version: $LATEST"));
    c.accept(RawEvent.of(ORDERS, ORDERS_STREAM, T0 + 1, "REPORT RequestId: " + A + "\tDuration: 1.00 ms"));
    c.flush();
    assertThat(second.lines).hasSize(2);
    assertThat(second.finished).hasSize(1);
    assertThat(c.stats().listenerFailures()).isEqualTo(2);
  }

  @Test
  void without_report_the_invocation_span_gives_billed_duration_memory_init_and_cold_start() {
    // the span-format example: estimated billed 887 ms, faas.max_memory 512 MiB, init 850 ms, cold, x86_64
    String id = "8f507cfc-5b6a-4697-b07a-ac58fc914c95";
    String stream = "2026/11/28/[$LATEST]3a1f0c2b9d8e4f5a6b7c8d9e0f1a2b3c";
    event("/aws/lambda/orders", stream, T0, "START RequestId: " + id + " Version: $LATEST");
    event("/aws/lambda/orders", stream, T0 + 37, Samples.resource(TraceAssemblyTest.class,
        "samples/spans/span-format-doc-example.json").trim());
    event("/aws/lambda/orders", stream, T0 + 38, "END RequestId: " + id);
    afterGrace();
    Invocation inv = listener.last(id);
    assertThat(inv.billedDurationMs()).isEqualTo(887.0);
    assertThat(inv.memorySizeMb()).isEqualTo(512);
    assertThat(inv.initDurationMs()).isEqualTo(850.0);
    assertThat(inv.durationMs()).isEqualTo(37.0);
    assertThat(inv.coldStart()).isTrue();
    assertThat(inv.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(inv.costUsd()).isCloseTo(0.887 * 0.5 * 0.0000166667 + 0.0000002, Offset.offset(1e-12));
  }
  @Test
  void a_trace_looked_up_counts_as_recent_when_the_oldest_trace_is_dropped() {
    Collector bounded = Collector.builder().clock(clock).maxTraces(2).listener(listener).build();
    String ta = "5759e988bd862e3fe1be46a994272793";
    String tb = "6a1f0c2de3b4a5968778695a4b3c2d1e";
    String tc = "7b2e1d3cf4a5b6079889706b5c4d3e2f";
    String[] ids = {"11111111-2222-4333-8444-555555555551", "11111111-2222-4333-8444-555555555552",
        "11111111-2222-4333-8444-555555555553", "11111111-2222-4333-8444-555555555554"};
    report(bounded, ids[0], ta, T0);
    report(bounded, ids[1], tb, T0 + 100);
    assertThat(bounded.trace(ta)).isPresent(); // ta is now the most recently used, tb the eldest
    report(bounded, ids[2], tb, T0 + 200); // tb used again: ta is the eldest
    report(bounded, ids[3], tc, T0 + 300); // one too many: ta leaves
    assertThat(bounded.trace(ta)).isEmpty();
    assertThat(bounded.trace(tb)).hasValueSatisfying(t -> assertThat(t.invocations())
        .extracting(Invocation::requestId).containsExactlyInAnyOrder(ids[1], ids[2]));
    assertThat(bounded.trace(tc)).isPresent();
  }

  static String spanLine(String requestId, String spanId, String parent, int kind, long startMs, long endMs,
      long billedMs) {
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[]},\"scopeSpans\":[{\"scope\":{\"name\":\"t\"},"
        + "\"spans\":[{\"traceId\":\"5759e988bd862e3fe1be46a994272793\",\"spanId\":\"" + spanId + "\","
        + "\"parentSpanId\":\"" + parent + "\",\"name\":\"s" + kind + "\",\"kind\":" + kind + ","
        + "\"startTimeUnixNano\":\"" + startMs * 1_000_000 + "\",\"endTimeUnixNano\":\"" + endMs * 1_000_000 + "\","
        + "\"attributes\":[{\"key\":\"faas.invocation_id\",\"value\":{\"stringValue\":\"" + requestId + "\"}},"
        + "{\"key\":\"aws.lambda.estimated_billed_duration_ms\",\"value\":{\"intValue\":\"" + billedMs + "\"}}]}]}]}]}";
  }

  @Test
  void the_server_span_stands_for_the_invocation_whether_it_arrives_before_or_after_a_child_naming_it() {
    String[] ids = {"11111111-2222-4333-8444-555555555551", "11111111-2222-4333-8444-555555555552"};
    for (int k = 0; k < 2; k++) {
      String id = ids[k];
      long t = T0 + k * 1000;
      String child = spanLine(id, "00000000000000c" + k, "00000000000000a" + k, 1, t + 5, t + 15, 100);
      String server = spanLine(id, "00000000000000a" + k, "00f067aa0ba902b7", 2, t, t + 40, 200);
      event(ORDERS, ORDERS_STREAM, t, "START RequestId: " + id + " Version: $LATEST");
      event(ORDERS, ORDERS_STREAM, t + 16, k == 0 ? child : server);
      event(ORDERS, ORDERS_STREAM, t + 41, k == 0 ? server : child);
      event(ORDERS, ORDERS_STREAM, t + 42, "END RequestId: " + id);
    }
    afterGrace();
    for (String id : ids) {
      Invocation inv = listener.last(id);
      assertThat(inv.spans()).hasSize(2);
      assertThat(inv.durationMs()).as(id).isEqualTo(40.0);
      assertThat(inv.billedDurationMs()).as(id).isEqualTo(200.0);
    }
  }

  @Test
  void a_report_whose_trace_left_the_index_since_the_span_line_records_the_trace_afresh() {
    Collector bounded = Collector.builder().clock(clock).maxTraces(1).listener(listener).build();
    String tb = "6a1f0c2de3b4a5968778695a4b3c2d1e";
    bounded.accept(RawEvent.of(ORDERS, ORDERS_STREAM, T0, "START RequestId: " + A + " Version: $LATEST"));
    bounded.accept(RawEvent.of(ORDERS, ORDERS_STREAM, T0 + 11, ordersSpanLine())); // trace 5759e988...
    report(bounded, "11111111-2222-4333-8444-555555555551", tb, T0 + 20); // another trace: 5759e988... leaves
    assertThat(bounded.trace("5759e988bd862e3fe1be46a994272793")).isEmpty();
    bounded.accept(RawEvent.of(ORDERS, ORDERS_STREAM, T0 + 12, "REPORT RequestId: " + A + "\tDuration: 11.64 ms\t"
        + "Billed Duration: 12 ms\tMemory Size: 512 MB\tMax Memory Used: 67 MB\t\nXRAY TraceId: "
        + "1-5759e988-bd862e3fe1be46a994272793\tSegmentId: 4c36a0d0c78d0149\tSampled: true\t"));
    assertThat(bounded.trace("5759e988bd862e3fe1be46a994272793")).hasValueSatisfying(t -> assertThat(
        t.invocations()).extracting(Invocation::requestId).containsExactly(A));
    assertThat(bounded.trace(tb)).isEmpty();
  }

  private static void report(Collector c, String id, String traceId, long ts) {
    c.accept(RawEvent.of(ORDERS, ORDERS_STREAM, ts, "START RequestId: " + id + " Version: $LATEST"));
    c.accept(RawEvent.of(ORDERS, ORDERS_STREAM, ts + 5, "REPORT RequestId: " + id + "\tDuration: 4.00 ms\t"
        + "Billed Duration: 4 ms\tMemory Size: 512 MB\tMax Memory Used: 67 MB\t\nXRAY TraceId: 1-"
        + traceId.substring(0, 8) + "-" + traceId.substring(8) + "\tSegmentId: 4c36a0d0c78d0149\tSampled: true\t"));
  }
}
