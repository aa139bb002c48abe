package dev.taillight.localruntime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taillight.localruntime.InvocationResult.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * End to end with the real AWS Lambda runtime interface client in child JVMs; the handlers are in {@code
 * testfn} and run from {@code target/test-classes}.
 */
@Timeout(60)
class LocalRuntimeTest {

  static final Path CODE = Path.of("target/test-classes");
  static final String HANDLER = "dev.taillight.localruntime.testfn.TestHandler::handleRequest";
  static final String MS = "\\d+\\.\\d\\d ms";
  private static final ObjectMapper JSON = new ObjectMapper();

  final InMemorySink sink = new InMemorySink();

  LocalRuntime runtime(UnaryOperator<FunctionConfig.Builder> fn, UnaryOperator<LocalRuntime.Builder> rt) {
    return rt.apply(LocalRuntime.builder()
        .function(fn.apply(FunctionConfig.builder(HANDLER).name("test-fn").classpath(CODE)).build())
        .sink(sink)
        .random(new Random(7))
        .reapIdleInBackground(false)).build();
  }

  static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @Test
  void cold_start_then_warm_invocation_write_lambdas_lines_into_one_stream() throws Exception {
    InvocationResult first;
    InvocationResult second;
    try (LocalRuntime rt = runtime(f -> f.memoryMb(256), r -> r)) {
      first = rt.invoke("{\"action\":\"hello\"}");
      second = rt.invoke("{\"action\":\"hello\"}");
    }
    assertThat(first.status()).isEqualTo(Status.SUCCESS);
    assertThat(first.coldStart()).isTrue();
    assertThat(second.coldStart()).isFalse();
    assertThat(second.logStream()).isEqualTo(first.logStream());
    assertThat(first.logStream()).matches("\\d{4}/\\d\\d/\\d\\d/\\[\\$LATEST][0-9a-f]{32}");
    assertThat(sink.streams()).containsExactly(first.logStream());
    assertThat(sink.events()).allSatisfy(e -> assertThat(e.logGroup()).isEqualTo("/aws/lambda/test-fn"));

    JsonNode out = json(first.payload());
    assertThat(out.get("requestId").asText()).isEqualTo(first.requestId());
    assertThat(out.get("traceHeader").asText()).isEqualTo(first.traceHeader());
    assertThat(first.traceHeader()).matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0");
    assertThat(out.get("logStream").asText()).isEqualTo(first.logStream());
    assertThat(out.get("functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:test-fn");
    assertThat(out.get("memory").asInt()).isEqualTo(256);
    assertThat(out.get("initType").asText()).isEqualTo("on-demand");
    assertThat(out.get("maxHeapMb").asLong()).isBetween(200L, 218L); // 85% of 256 MB, less a survivor space
    assertThat(out.get("remainingMs").asLong()).isBetween(1L, 3000L);

    List<String> lines = sink.messages(first.logStream());
    String a = first.requestId();
    String b = second.requestId();
    assertThat(lines).hasSize(14);
    assertThat(lines.get(0)).matches("INIT_START Runtime Version: java:17\\.vlocal\tRuntime Version ARN: "
        + "arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}");
    assertThat(lines.subList(1, 3)).containsExactly(
        "TestHandler class initialised",
        "START RequestId: " + a + " Version: $LATEST");
    // stdout, stderr and the logger are three pipes: their relative order is not defined (nor is it on Lambda)
    assertThat(lines.subList(3, 6)).containsExactlyInAnyOrder("hello from stdout " + a, "hello from stderr",
        "logger first line\nlogger second line");
    assertThat(lines.get(6)).isEqualTo("END RequestId: " + a);
    assertThat(lines.get(7)).matches("REPORT RequestId: " + a + "\tDuration: " + MS + "\tBilled Duration: \\d+ ms"
        + "\tMemory Size: 256 MB\tMax Memory Used: \\d+ MB\tInit Duration: " + MS + "\t");
    assertThat(lines.get(8)).isEqualTo("START RequestId: " + b + " Version: $LATEST");
    assertThat(lines.subList(9, 12)).containsExactlyInAnyOrder("hello from stdout " + b, "hello from stderr",
        "logger first line\nlogger second line");
    assertThat(lines.get(12)).isEqualTo("END RequestId: " + b);
    assertThat(lines.get(13)).matches("REPORT RequestId: " + b + "\tDuration: " + MS + "\tBilled Duration: \\d+ ms"
        + "\tMemory Size: 256 MB\tMax Memory Used: \\d+ MB\t");
    assertThat(first.initDurationMs()).isPositive();
    assertThat(first.billedDurationMs()).isEqualTo((long) Math.ceil(first.durationMs() + first.initDurationMs()));
    assertThat(second.initDurationMs()).isEqualTo(-1);
    assertThat(second.maxMemoryUsedMb()).isGreaterThan(10);
  }

  @Test
  void function_error_and_non_json_event_fail_alone_and_the_environment_keeps_serving() throws Exception {
    try (LocalRuntime rt = runtime(f -> f, r -> r)) {
      InvocationResult thrown = rt.invoke("{\"action\":\"throw\"}");
      InvocationResult notJson = rt.invoke("this is not json");
      InvocationResult ok = rt.invoke("{\"action\":\"none\"}");

      assertThat(thrown.status()).isEqualTo(Status.FUNCTION_ERROR);
      assertThat(thrown.errorType()).isEqualTo("java.lang.IllegalStateException");
      assertThat(json(thrown.payload()).get("errorMessage").asText()).isEqualTo("boom from the handler");
      assertThat(notJson.status()).isEqualTo(Status.FUNCTION_ERROR);
      assertThat(json(notJson.payload()).get("errorMessage").asText()).contains("JSON");
      assertThat(ok.status()).isEqualTo(Status.SUCCESS);
      assertThat(ok.logStream()).isEqualTo(thrown.logStream());
      assertThat(rt.environments()).hasSize(1);
      List<String> lines = sink.messages(ok.logStream());
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("boom from the handler: java.lang.IllegalStateException\n"));
      assertThat(lines.stream().filter(l -> l.startsWith("INIT_START"))).hasSize(1);
    }
  }

  @Test
  void timeout_stops_the_environment_with_lambdas_lines_and_the_next_invocation_reinitialises() {
    try (LocalRuntime rt = runtime(f -> f.timeout(Duration.ofMillis(1500)), r -> r)) {
      InvocationResult slow = rt.invoke("{\"action\":\"sleep\",\"ms\":30000}");
      InvocationResult next = rt.invoke("{\"action\":\"none\"}");

      assertThat(slow.status()).isEqualTo(Status.TIMEOUT);
      assertThat(slow.errorType()).isEqualTo("Sandbox.Timedout");
      assertThat(next.status()).isEqualTo(Status.SUCCESS);
      assertThat(next.coldStart()).isTrue();
      assertThat(next.logStream()).isEqualTo(slow.logStream());
      List<String> lines = sink.messages(slow.logStream());
      String id = slow.requestId();
      int start = lines.indexOf("START RequestId: " + id + " Version: $LATEST");
      assertThat(lines.get(start + 1)).isEqualTo("going to sleep");
      assertThat(lines.get(start + 2)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z " + id
          + " Task timed out after 1\\.50 seconds");
      assertThat(lines.get(start + 3)).isEqualTo("END RequestId: " + id);
      assertThat(lines.get(start + 4)).matches("REPORT RequestId: " + id + "\tDuration: " + MS
          + "\tBilled Duration: \\d+ ms\tMemory Size: 512 MB\tMax Memory Used: \\d+ MB\tInit Duration: " + MS
          + "\tStatus: timeout\t");
      assertThat(lines.get(start + 5)).startsWith("INIT_START Runtime Version: ");
      assertThat(slow.durationMs()).isGreaterThanOrEqualTo(1500);
    }
  }

  @Test
  void crash_reports_runtime_exit_error_and_the_next_invocation_reinitialises() {
    try (LocalRuntime rt = runtime(f -> f, r -> r)) {
      rt.invoke("{\"action\":\"none\"}");
      InvocationResult crash = rt.invoke("{\"action\":\"exit\"}");
      InvocationResult next = rt.invoke("{\"action\":\"none\"}");

      assertThat(crash.status()).isEqualTo(Status.RUNTIME_EXIT);
      assertThat(crash.errorType()).isEqualTo("Runtime.ExitError");
      assertThat(next.status()).isEqualTo(Status.SUCCESS);
      assertThat(next.coldStart()).isTrue();
      List<String> lines = sink.messages(crash.logStream());
      String id = crash.requestId();
      int start = lines.indexOf("START RequestId: " + id + " Version: $LATEST");
      assertThat(lines.subList(start + 1, start + 4)).containsExactly(
          "about to exit",
          "RequestId: " + id + " Error: Runtime exited with error: exit status 1\nRuntime.ExitError",
          "END RequestId: " + id);
      assertThat(lines.get(start + 4)).matches("REPORT RequestId: " + id + "\tDuration: " + MS
          + "\tBilled Duration: \\d+ ms\tMemory Size: 512 MB\tMax Memory Used: \\d+ MB\t"
          + "Status: error\tError Type: Runtime.ExitError\t");
      assertThat(lines.get(start + 5)).startsWith("INIT_START ");
    }
  }

  @Test
  void constructor_that_throws_gives_init_report_error_and_a_failed_invocation() {
    String handler = "dev.taillight.localruntime.testfn.BrokenInitHandler::handleRequest";
    try (LocalRuntime rt = LocalRuntime.builder()
        .function(FunctionConfig.builder(handler).name("broken").classpath(CODE).build())
        .sink(sink).reapIdleInBackground(false).build()) {
      InvocationResult r = rt.invoke("{}");
      InvocationResult again = rt.invoke("{}");

      assertThat(r.status()).isEqualTo(Status.INIT_ERROR);
      assertThat(r.payload()).contains("cannot connect to the database");
      assertThat(again.status()).isEqualTo(Status.INIT_ERROR);
      assertThat(again.logStream()).isEqualTo(r.logStream());
      List<String> lines = sink.messages(r.logStream());
      assertThat(lines).contains("BrokenInitHandler constructor runs");
      List<String> initReports = lines.stream().filter(l -> l.startsWith("INIT_REPORT")).toList();
      assertThat(initReports).hasSize(2);
      assertThat(initReports.get(0)).matches("INIT_REPORT Init Duration: " + MS
          + "\tPhase: init\tStatus: error\tError Type: " + java.util.regex.Pattern.quote(r.errorType()));
      assertThat(lines.stream().filter(l -> l.startsWith("INIT_START"))).hasSize(2);
      assertThat(lines).contains("START RequestId: " + r.requestId() + " Version: $LATEST",
          "END RequestId: " + r.requestId());
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("REPORT RequestId: " + r.requestId())
          .contains("\tStatus: error\tError Type: " + r.errorType()));
    }
  }

  @Test
  void handler_class_that_does_not_exist_fails_each_invocation_with_a_clear_message_as_lambda_does() {
    // The runtime interface client reports a missing handler class per invocation (not as an init error).
    try (LocalRuntime rt = LocalRuntime.builder()
        .function(FunctionConfig.builder("com.example.Missing::handle").classpath(CODE).build())
        .sink(sink).reapIdleInBackground(false).build()) {
      InvocationResult r = rt.invoke("{}");
      InvocationResult again = rt.invoke("{}");
      assertThat(r.status()).isEqualTo(Status.FUNCTION_ERROR);
      assertThat(r.errorType()).isEqualTo("java.lang.ClassNotFoundException");
      assertThat(r.payload()).contains("com.example.Missing");
      assertThat(again.status()).isEqualTo(Status.FUNCTION_ERROR);
      assertThat(again.coldStart()).isFalse();
      assertThat(sink.messages(r.logStream())).anySatisfy(l -> assertThat(l).contains("com.example.Missing"));
    }
  }

  @Test
  void huge_and_binary_output_becomes_events_within_cloudwatch_limits() {
    try (LocalRuntime rt = runtime(f -> f, r -> r)) {
      InvocationResult r = rt.invoke("{\"action\":\"big\"}");
      assertThat(r.status()).isEqualTo(Status.SUCCESS);
      List<String> lines = sink.messages(r.logStream());
      int start = lines.indexOf("START RequestId: " + r.requestId() + " Version: $LATEST");
      assertThat(lines.get(start + 1)).hasSize(OutputPump.MAX_EVENT_BYTES).matches("x+");
      assertThat(lines.get(start + 2)).hasSize(300_000 - OutputPump.MAX_EVENT_BYTES).matches("x+");
      assertThat(lines.get(start + 3)).startsWith("\uFFFD").endsWith("\u0000\u0001\u0002ok");
      assertThat(lines.get(start + 4)).isEqualTo("END RequestId: " + r.requestId());
    }
  }

  @Test
  void active_tracing_continues_the_incoming_trace_and_adds_the_xray_part_to_report() throws Exception {
    String incoming = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    try (LocalRuntime rt = runtime(f -> f.activeTracing(true), r -> r)) {
      InvocationResult r = rt.invoke(InvokeRequest.of("{\"action\":\"none\"}").withTraceHeader(incoming));
      assertThat(json(r.payload()).get("traceHeader").asText()).isEqualTo(r.traceHeader());
      assertThat(r.traceHeader()).startsWith("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=").endsWith(";Sampled=1");
      String parent = r.traceHeader().split(";")[1].substring("Parent=".length());
      String report = sink.messages(r.logStream()).stream().filter(l -> l.startsWith("REPORT")).findFirst().orElseThrow();
      assertThat(report).endsWith("\t\nXRAY TraceId: 1-5759e988-bd862e3fe1be46a994272793\tSegmentId: " + parent
          + "\tSampled: true");
    }
  }

  @Test
  void json_log_format_writes_platform_events_and_json_logger_lines() throws Exception {
    try (LocalRuntime rt = runtime(f -> f.logFormat(LogFormat.JSON), r -> r)) {
      InvocationResult r = rt.invoke("{\"action\":\"hello\"}");
      List<JsonNode> platform = new java.util.ArrayList<>();
      for (String l : sink.messages(r.logStream())) {
        if (l.startsWith("{\"time\"")) {
          platform.add(json(l));
        }
      }
      assertThat(platform).extracting(n -> n.get("type").asText())
          .containsExactly("platform.initStart", "platform.initReport", "platform.start", "platform.report");
      assertThat(platform.get(0).get("record").get("functionName").asText()).isEqualTo("test-fn");
      assertThat(platform.get(2).get("record").get("requestId").asText()).isEqualTo(r.requestId());
      JsonNode report = platform.get(3).get("record");
      assertThat(report.get("requestId").asText()).isEqualTo(r.requestId());
      assertThat(report.get("status").asText()).isEqualTo("success");
      assertThat(report.get("metrics").fieldNames()).toIterable()
          .containsExactly("durationMs", "billedDurationMs", "memorySizeMB", "maxMemoryUsedMB", "initDurationMs");
      assertThat(platform.get(3).get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
      String logger = sink.messages(r.logStream()).stream().filter(l -> l.contains("logger first line"))
          .findFirst().orElseThrow();
      assertThat(json(logger).get("message").asText()).isEqualTo("logger first line\nlogger second line");
      assertThat(sink.messages(r.logStream())).noneMatch(l -> l.startsWith("START ") || l.startsWith("END "));
    }
  }

  @Test
  void a_jvm_growing_beyond_its_memory_setting_is_killed_as_runtime_out_of_memory() {
    try (LocalRuntime rt = runtime(f -> f.memoryMb(128).timeout(Duration.ofSeconds(20)), r -> r)) {
      InvocationResult r = rt.invoke("{\"action\":\"alloc\"}");
      assertThat(r.status()).as(r.payload()).isEqualTo(Status.RUNTIME_EXIT);
      assertThat(r.errorType()).isEqualTo("Runtime.OutOfMemory");
      assertThat(r.maxMemoryUsedMb()).isGreaterThan(128);
      List<String> lines = sink.messages(r.logStream());
      assertThat(lines).contains("RequestId: " + r.requestId()
          + " Error: Runtime exited with error: signal: killed\nRuntime.OutOfMemory");
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("REPORT RequestId: " + r.requestId())
          .endsWith("\tStatus: error\tError Type: Runtime.OutOfMemory\t"));
    }
  }
}
