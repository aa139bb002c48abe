package dev.taillight.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimeoutWarningTest {
  private final Tracers t = new Tracers();

  @Test
  void a_handler_still_running_near_its_deadline_gets_a_warning_line_then_its_final_line() throws Exception {
    Tracer tracer = t.env("TAILLIGHT_TIMEOUT_MARGIN_MS", "200").build();
    CountDownLatch release = new CountDownLatch(1);
    RequestHandler<Object, Object> h = Taillight.wrap((in, c) -> {
      try {
        release.await(30, TimeUnit.SECONDS); // parked here when the warning is taken
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "done";
    }, tracer);
    // 250 ms left at start, margin 200 ms: the warning is due 50 ms in
    Thread handler = new Thread(() -> h.handleRequest(Map.of(),
        FakeLambdaContext.builder().requestId("slow").remainingMillis(250).build()), "orders-handler");
    handler.start();

    List<String> lines = t.writer.await(1);
    SpanLine warning = SpanLine.parse(lines.get(0));
    release.countDown();
    handler.join();
    lines = t.writer.await(2);
    SpanLine last = SpanLine.parse(lines.get(1));

    assertThat(warning.attr("aws.lambda.timeout_warning")).isEqualTo(true);
    assertThat(warning.invocation().path("status").path("code").asInt()).isEqualTo(2);
    JsonNode event = warning.invocation().path("events").get(0);
    assertThat(event.path("name").asText()).isEqualTo("aws.lambda.timeout_warning");
    String stack = (String) SpanLine.attr(event, "exception.stacktrace");
    assertThat(stack).startsWith("\"orders-handler\"").contains("CountDownLatch.await")
        .contains("TimeoutWarningTest");
    assertThat(last.attr("aws.lambda.timeout_warning")).isNull();
    assertThat(last.invocation().path("spanId").asText()).isEqualTo(warning.invocation().path("spanId").asText());
    assertThat(last.attr("faas.invocation_id")).isEqualTo("slow");
    assertThat(lines).hasSize(2);
  }

  @Test
  void a_handler_that_finishes_in_time_gets_no_warning_and_leaves_nothing_watched() throws Exception {
    Tracer tracer = t.env("TAILLIGHT_TIMEOUT_MARGIN_MS", "500").build();
    RequestHandler<Object, Object> h = Taillight.wrap((in, c) -> "fast", tracer);
    for (int i = 0; i < 5; i++) {
      h.handleRequest(Map.of(), FakeLambdaContext.builder().remainingMillis(60_000).build());
    }
    assertThat(t.writer.lines()).hasSize(5);
    assertThat(t.writer.lines()).noneMatch(l -> l.contains("timeout_warning"));
    assertThat(watchdogField(tracer)).isNotNull();
    assertThat(tracer.watchedCount()).isZero();
  }

  @Test
  void the_watchdog_thread_is_a_daemon_and_only_exists_once_something_was_watched() throws Exception {
    Tracer tracer = t.env("TAILLIGHT_TIMEOUT_MARGIN_MS", "0").build();
    Taillight.wrap((in, c) -> "x", tracer).handleRequest(Map.of(), FakeLambdaContext.create("r"));
    assertThat(watchdogField(tracer)).isNull();

    Tracer watching = new Tracers().env("TAILLIGHT_TIMEOUT_MARGIN_MS", "100").build();
    Taillight.wrap((in, c) -> "x", watching).handleRequest(Map.of(), FakeLambdaContext.create("r"));
    Thread dogThread = Thread.getAllStackTraces().keySet().stream()
        .filter(th -> th.getName().equals("taillight-timeout-watchdog")).findFirst().orElseThrow();
    assertThat(dogThread.isDaemon()).isTrue();
  }

  private static Object watchdogField(Tracer tracer) throws Exception {
    var f = Tracer.class.getDeclaredField("watchdog");
    f.setAccessible(true);
    return f.get(tracer);
  }
}
