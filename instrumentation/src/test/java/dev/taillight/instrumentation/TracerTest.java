package dev.taillight.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

class TracerTest {
  private final Tracers t = new Tracers();

  private SpanLine invoke(Tracer tracer, Object event, Context ctx) {
    int before = t.writer.lines().size();
    RequestHandler<Object, Object> h = Taillight.wrap((in, c) -> {
      t.clock.advance(Duration.ofMillis(120));
      return "ok";
    }, tracer);
    h.handleRequest(event, ctx);
    List<String> lines = t.writer.lines();
    assertThat(lines).hasSize(before + 1);
    return SpanLine.parse(lines.get(lines.size() - 1));
  }

  @Test
  void first_invocation_of_on_demand_environment_is_a_cold_start_with_an_init_span() {
    Tracer tracer = t.build();
    SpanLine line = invoke(tracer, Map.of(), FakeLambdaContext.create("req-1"));

    assertThat(line.attr("faas.coldstart")).isEqualTo(true);
    assertThat(line.attr("aws.lambda.init_type")).isEqualTo("on-demand");
    assertThat(line.attr("aws.lambda.init_duration_ms")).isEqualTo(850L);
    assertThat(line.attr("aws.lambda.proactive_init")).isEqualTo(false);
    JsonNode init = line.child("init");
    assertThat(init).isNotNull();
    assertThat(init.path("parentSpanId").asText()).isEqualTo(line.invocation().path("spanId").asText());
    assertThat(init.path("traceId").asText()).isEqualTo(line.invocation().path("traceId").asText());
    assertThat(Long.parseLong(init.path("endTimeUnixNano").asText())
        - Long.parseLong(init.path("startTimeUnixNano").asText())).isEqualTo(850_000_000L);
  }

  @Test
  void second_invocation_is_warm_without_init_span() {
    Tracer tracer = t.build();
    invoke(tracer, Map.of(), FakeLambdaContext.create("req-1"));
    SpanLine second = invoke(tracer, Map.of(), FakeLambdaContext.create("req-2"));

    assertThat(second.attr("faas.coldstart")).isEqualTo(false);
    assertThat(second.attr("aws.lambda.init_duration_ms")).isNull();
    assertThat(second.attr("aws.lambda.proactive_init")).isNull();
    assertThat(second.child("init")).isNull();
    assertThat(second.spans).hasSize(1);
  }

  @Test
  void provisioned_concurrency_is_never_a_cold_start() {
    Tracer tracer = t.env("AWS_LAMBDA_INITIALIZATION_TYPE", "provisioned-concurrency").build();
    SpanLine line = invoke(tracer, Map.of(), FakeLambdaContext.create("req-1"));

    assertThat(line.attr("faas.coldstart")).isEqualTo(false);
    assertThat(line.attr("aws.lambda.init_type")).isEqualTo("provisioned-concurrency");
    assertThat(line.child("init")).isNull();
  }

  @Test
  void first_invocation_long_after_jvm_start_is_proactive_init_not_a_cold_start() {
    t.jvmStartNanos = t.clock.nanos() - Duration.ofSeconds(45).toNanos();
    Tracer tracer = t.build();
    SpanLine line = invoke(tracer, Map.of(), FakeLambdaContext.create("req-1"));

    assertThat(line.attr("faas.coldstart")).isEqualTo(false);
    assertThat(line.attr("aws.lambda.proactive_init")).isEqualTo(true);
    assertThat(line.attr("aws.lambda.init_duration_ms")).isNull();
  }

  @Test
  void proactive_gap_is_configurable() {
    t.jvmStartNanos = t.clock.nanos() - Duration.ofSeconds(3).toNanos();
    Tracer tracer = t.env("TAILLIGHT_PROACTIVE_INIT_GAP_MS", "2000").build();
    assertThat(invoke(tracer, Map.of(), FakeLambdaContext.create("r")).attr("aws.lambda.proactive_init"))
        .isEqualTo(true);
  }

  @Test
  void snap_start_restore_is_reported_once_on_the_first_invocation_after_restore() {
    Tracer tracer = t.env("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start").build();
    tracer.restored();
    t.clock.advance(Duration.ofMillis(40));
    SpanLine first = invoke(tracer, Map.of(), FakeLambdaContext.builder().logStream(null).build());
    SpanLine second = invoke(tracer, Map.of(), FakeLambdaContext.create("req-2"));

    assertThat(first.attr("faas.coldstart")).isEqualTo(false);
    assertThat(first.attr("aws.lambda.init_type")).isEqualTo("snap-start");
    assertThat(first.attr("aws.lambda.restore_duration_ms")).isEqualTo(40L);
    assertThat(first.child("restore")).isNotNull();
    assertThat(first.child("init")).isNull();
    assertThat(first.attr("faas.instance")).isNull();
    assertThat(second.attr("aws.lambda.restore_duration_ms")).isNull();
    assertThat(second.child("restore")).isNull();
  }

  @Test
  void concurrent_first_invocations_in_one_jvm_have_exactly_one_cold_start() throws Exception {
    Tracer tracer = t.env("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand").build();
    int n = 8;
    CyclicBarrier start = new CyclicBarrier(n);
    RequestHandler<Object, Object> h = Taillight.wrap((in, c) -> "ok", tracer);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = "req-" + i;
      Thread th = new Thread(() -> {
        try {
          start.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        h.handleRequest(Map.of(), FakeLambdaContext.create(id));
      });
      th.start();
      threads.add(th);
    }
    for (Thread th : threads) {
      th.join();
    }
    List<String> lines = t.writer.lines();
    assertThat(lines).hasSize(n);
    long cold = lines.stream().map(SpanLine::parse).filter(l -> Boolean.TRUE.equals(l.attr("faas.coldstart")))
        .count();
    assertThat(cold).isEqualTo(1);
    assertThat(lines.stream().map(l -> SpanLine.parse(l).attr("faas.invocation_id")).distinct()).hasSize(n);
  }

  @Test
  void user_exception_passes_through_unchanged_and_is_recorded_on_the_span() {
    Tracer tracer = t.build();
    IllegalStateException boom = new IllegalStateException("out of stock: <book>");
    RequestHandler<Object, Object> h = Taillight.wrap((in, c) -> {
      throw boom;
    }, tracer);

    assertThatThrownBy(() -> h.handleRequest(Map.of(), FakeLambdaContext.create("req-err"))).isSameAs(boom);

    SpanLine line = SpanLine.parse(t.writer.only());
    JsonNode span = line.invocation();
    assertThat(span.path("status").path("code").asInt()).isEqualTo(2);
    assertThat(span.path("status").path("message").asText()).isEqualTo("out of stock: <book>");
    JsonNode event = span.path("events").get(0);
    assertThat(event.path("name").asText()).isEqualTo("exception");
    assertThat(SpanLine.attr(event, "exception.type")).isEqualTo("java.lang.IllegalStateException");
    assertThat((String) SpanLine.attr(event, "exception.stacktrace")).contains("TracerTest");
  }

  @Test
  void checked_exception_thrown_sneakily_passes_through_unchanged() {
    Tracer tracer = t.build();
    Exception checked = new java.io.IOException("disk");
    RequestHandler<Object, Object> h = Taillight.wrap((in, c) -> {
      throw Sneaky.<RuntimeException>rethrow(checked);
    }, tracer);
    assertThatThrownBy(() -> h.handleRequest(Map.of(), FakeLambdaContext.create("r"))).isSameAs(checked);
    assertThat(SpanLine.parse(t.writer.only()).invocation().path("status").path("code").asInt()).isEqualTo(2);
  }

  @Test
  void lambda_xray_header_gives_the_trace_id_when_the_event_carries_none() {
    t.props.put("com.amazonaws.xray.traceHeader",
        "Root=1-6566b0a4-1c2a3b4c5d6e7f8091a2b3c4;Parent=9f8e7d6c5b4a3921;Sampled=1;Lineage=1:2b4d:0");
    Tracer tracer = t.build();
    SpanLine line = invoke(tracer, Map.of("orderId", "42"), FakeLambdaContext.create("r"));

    assertThat(line.invocation().path("traceId").asText()).isEqualTo("6566b0a41c2a3b4c5d6e7f8091a2b3c4");
    assertThat(line.invocation().path("parentSpanId").asText()).isEqualTo("9f8e7d6c5b4a3921");
  }

  @Test
  void env_xray_header_is_used_when_the_system_property_is_absent() {
    t.env.put("_X_AMZN_TRACE_ID", "Root=1-6566b0a4-1c2a3b4c5d6e7f8091a2b3c4;Parent=9f8e7d6c5b4a3921;Sampled=0");
    SpanLine line = invoke(t.build(), Map.of(), FakeLambdaContext.create("r"));
    assertThat(line.invocation().path("traceId").asText()).isEqualTo("6566b0a41c2a3b4c5d6e7f8091a2b3c4");
  }

  @Test
  void without_any_context_the_trace_id_is_random_and_there_is_no_parent() {
    Tracer tracer = t.build();
    SpanLine a = invoke(tracer, Map.of(), FakeLambdaContext.create("r1"));
    SpanLine b = invoke(tracer, Map.of(), FakeLambdaContext.create("r2"));
    assertThat(a.invocation().path("traceId").asText()).matches("[0-9a-f]{32}")
        .isNotEqualTo(b.invocation().path("traceId").asText());
    assertThat(a.invocation().path("spanId").asText()).matches("[0-9a-f]{16}");
    assertThat(a.invocation().has("parentSpanId")).isFalse();
  }

  @Test
  void span_carries_the_faas_and_cloud_attributes_of_the_context() {
    Tracer tracer = t.build();
    Context ctx = FakeLambdaContext.builder()
        .requestId("c6af9ac6-7b61-11e6-9a41-93e8deadbeef")
        .invokedArn("arn:aws:lambda:us-east-1:123456789012:function:orders:live")
        .version("7")
        .memoryMb(1024)
        .remainingMillis(2_345)
        .build();
    SpanLine line = invoke(tracer, Map.of(), ctx);

    assertThat(line.invocation().path("name").asText()).isEqualTo("orders");
    assertThat(line.invocation().path("kind").asInt()).isEqualTo(2);
    assertThat(line.attr("faas.invocation_id")).isEqualTo("c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
    assertThat(line.attr("faas.trigger")).isEqualTo("other");
    assertThat(line.attr("faas.name")).isEqualTo("orders");
    assertThat(line.attr("faas.version")).isEqualTo("7");
    assertThat(line.attr("faas.instance")).isEqualTo("2026/11/28/[$LATEST]3a1f0c2b9d8e4f5a6b7c8d9e0f1a2b3c");
    assertThat(line.attr("faas.max_memory")).isEqualTo(1024L * 1024 * 1024);
    assertThat(line.attr("cloud.provider")).isEqualTo("aws");
    assertThat(line.attr("cloud.region")).isEqualTo("us-east-1");
    assertThat(line.attr("cloud.account.id")).isEqualTo("123456789012");
    assertThat(line.attr("cloud.resource_id")).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:orders:7");
    assertThat(line.attr("aws.lambda.invoked_arn")).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:orders:live");
    assertThat(line.attr("aws.log.group.names")).isEqualTo(List.of("/aws/lambda/orders"));
    assertThat(line.attr("aws.lambda.architecture")).isEqualTo("x86_64");
    assertThat(line.attr("aws.lambda.remaining_time_ms")).isEqualTo(2345L);
    assertThat(line.attr("service.name")).isEqualTo("orders");
  }

  @Test
  void billed_duration_and_cost_are_estimated_from_duration_memory_and_architecture() {
    t.props.put("os.arch", "aarch64");
    Tracer tracer = t.build();
    invoke(tracer, Map.of(), FakeLambdaContext.create("cold")); // cold start: init is billed too
    SpanLine warm = invoke(tracer, Map.of(), FakeLambdaContext.builder().memoryMb(2048).build());

    assertThat(warm.attr("aws.lambda.architecture")).isEqualTo("arm64");
    assertThat(warm.attr("aws.lambda.estimated_billed_duration_ms")).isEqualTo(120L);
    double expected = 0.0000002 + 0.120 * 2.0 * 0.0000133334;
    assertThat((Double) warm.attr("aws.lambda.estimated_cost_usd")).isCloseTo(expected, within(1e-12));

    SpanLine cold = SpanLine.parse(t.writer.lines().get(0));
    assertThat(cold.attr("aws.lambda.estimated_billed_duration_ms")).isEqualTo(850L + 120L);
  }

  @Test
  void price_per_gb_second_can_be_overridden() {
    Tracer tracer = t.env("TAILLIGHT_PRICE_GB_SECOND", "0.001").env("TAILLIGHT_PRICE_PER_REQUEST", "0").build();
    invoke(tracer, Map.of(), FakeLambdaContext.create("cold"));
    SpanLine warm = invoke(tracer, Map.of(), FakeLambdaContext.builder().memoryMb(1024).build());
    assertThat((Double) warm.attr("aws.lambda.estimated_cost_usd")).isCloseTo(0.120 * 0.001, within(1e-12));
  }

  @Test
  void a_wrapper_inside_a_wrapper_writes_one_line() {
    Tracer tracer = t.build();
    RequestHandler<Object, Object> inner = Taillight.wrap((in, c) -> "ok", tracer);
    RequestHandler<Object, Object> outer = Taillight.wrap(inner, tracer);
    outer.handleRequest(Map.of(), FakeLambdaContext.create("r"));
    assertThat(t.writer.lines()).hasSize(1);
  }

  @Test
  void disabled_tracing_writes_nothing_and_still_runs_the_handler() {
    Tracer tracer = t.env("TAILLIGHT_DISABLED", "true").build();
    Object out = Taillight.wrap((in, c) -> "ran", tracer).handleRequest(Map.of(), FakeLambdaContext.create("r"));
    assertThat(out).isEqualTo("ran");
    assertThat(t.writer.lines()).isEmpty();
  }

  @Test
  void inject_and_ids_expose_the_running_invocation_and_nothing_outside_it() {
    Tracer tracer = t.build();
    List<String> seen = new ArrayList<>();
    RequestHandler<Object, Object> h = Taillight.wrap((in, c) -> {
      Taillight.inject((k, v) -> seen.add(k + "=" + v));
      seen.add("trace=" + Taillight.traceId());
      seen.add("span=" + Taillight.spanId());
      return "ok";
    }, tracer);
    h.handleRequest(Map.of(), FakeLambdaContext.create("r"));
    SpanLine line = SpanLine.parse(t.writer.only());
    String trace = line.invocation().path("traceId").asText();
    String span = line.invocation().path("spanId").asText();

    assertThat(seen).containsExactly(
        "traceparent=00-" + trace + "-" + span + "-01",
        "X-Amzn-Trace-Id=Root=1-" + trace.substring(0, 8) + "-" + trace.substring(8) + ";Parent=" + span
            + ";Sampled=1",
        "trace=" + trace,
        "span=" + span);
    assertThat(Taillight.traceId()).isNull();
    List<String> outside = new ArrayList<>();
    Taillight.inject((k, v) -> outside.add(k));
    assertThat(outside).isEmpty();
  }

  @Test
  void a_throwing_span_writer_never_fails_the_invocation() {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    Problems.err = new java.io.PrintStream(err, true);
    Problems.resetForTests();
    try {
      Tracer tracer = new Tracer(Config.from(t.env::get), t.env::get, t.props::get, t.clock,
          (buf, off, len) -> {
            throw new IllegalStateException("stdout closed");
          }, LogCorrelation.noop(), () -> 0L);
      RequestHandler<Object, Object> h = Taillight.wrap((in, c) -> "ok", tracer);
      assertThat(h.handleRequest(Map.of(), FakeLambdaContext.create("r1"))).isEqualTo("ok");
      assertThat(h.handleRequest(Map.of(), FakeLambdaContext.create("r2"))).isEqualTo("ok");
      assertThat(err.toString()).containsOnlyOnce("taillight: finishing the invocation span failed")
          .contains("stdout closed");
    } finally {
      Problems.err = null;
    }
  }

  @Test
  void null_context_still_gives_a_span_line() {
    Tracer tracer = t.build();
    Object out = Taillight.wrap((in, c) -> "ok", tracer).handleRequest(null, null);
    assertThat(out).isEqualTo("ok");
    SpanLine line = SpanLine.parse(t.writer.only());
    assertThat(line.invocation().path("name").asText()).isEqualTo("orders");
    assertThat(line.attr("faas.invocation_id")).isNull();
  }

  @Test
  void stream_handler_wrapper_sees_the_same_bytes_and_reads_the_raw_event() throws Exception {
    Tracer tracer = t.build();
    CountDownLatch ran = new CountDownLatch(1);
    byte[] event = Fixtures.bytes("sqs-single-xray.json");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    Taillight.wrap((in, o, c) -> {
      o.write(in.readAllBytes());
      ran.countDown();
    }, tracer).handleRequest(new java.io.ByteArrayInputStream(event), out, FakeLambdaContext.create("r"));

    assertThat(ran.getCount()).isZero();
    assertThat(out.toByteArray()).isEqualTo(event);
    SpanLine line = SpanLine.parse(t.writer.only());
    assertThat(line.invocation().path("traceId").asText()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(line.invocation().path("kind").asInt()).isEqualTo(5);
  }
}
