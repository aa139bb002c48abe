package dev.taillight.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs wrapped handlers under the real AWS Lambda runtime interface client (the runtime AWS ships in its
 * Java images) in a child JVM, against {@link MiniRuntimeApi}, and checks the span lines it prints.
 */
class RuntimeInterfaceClientEndToEndTest {
  private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
  private final List<Process> processes = new ArrayList<>();
  private final BlockingQueue<String> spanLines = new LinkedBlockingQueue<>();
  private final List<String> otherOutput = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private void startRuntime(MiniRuntimeApi api, String handler, Map<String, String> extraEnv) throws IOException {
    String cp = Files.readString(Path.of("target/test-runtime.classpath")).trim()
        + File.pathSeparator + Path.of("target/classes").toAbsolutePath()
        + File.pathSeparator + Path.of("target/test-classes").toAbsolutePath();
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-cp", cp, RIC_MAIN, handler);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("TAILLIGHT_") || k.startsWith("_X_AMZN"));
    env.put("AWS_LAMBDA_RUNTIME_API", api.address());
    env.put("AWS_LAMBDA_FUNCTION_NAME", "orders");
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/orders");
    env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/28/[$LATEST]e2e0000000000000000000000000000");
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    env.putAll(extraEnv);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    processes.add(p);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("{\"resourceSpans\"")) {
            spanLines.add(line + "\n");
          } else {
            synchronized (otherOutput) {
              otherOutput.add(line);
            }
          }
        }
      } catch (IOException ignored) {
        // process ended
      }
    }, "ric-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  private SpanLine nextSpanLine() throws InterruptedException {
    String line = spanLines.poll(60, TimeUnit.SECONDS);
    if (line == null) {
      synchronized (otherOutput) {
        throw new AssertionError("no span line; runtime output: " + otherOutput);
      }
    }
    return SpanLine.parse(line);
  }

  private void assertNoTaillightProblems() {
    synchronized (otherOutput) {
      assertThat(otherOutput).noneMatch(l -> l.startsWith("taillight:"));
    }
  }

  private static long deadlineIn(long ms) {
    return System.currentTimeMillis() + ms;
  }

  @Test
  void taillight_handler_under_the_real_runtime_client() throws Exception {
    try (MiniRuntimeApi api = new MiniRuntimeApi()) {
      startRuntime(api, "dev.taillight.instrumentation.TaillightHandler::handleRequest", Map.of(
          "TAILLIGHT_HANDLER", "dev.taillight.instrumentation.handlers.Handlers$Slow::handleRequest",
          "TAILLIGHT_TIMEOUT_MARGIN_MS", "500"));
      String trace1 = "Root=1-6566b0a4-1c2a3b4c5d6e7f8091a2b3c4;Parent=9f8e7d6c5b4a3921;Sampled=1";
      String trace2 = "Root=1-6566b0a5-00000000000000000000abcd;Parent=1111222233334444;Sampled=0";

      api.enqueue(new MiniRuntimeApi.Invocation("req-cold", trace1, deadlineIn(30_000), "{\"sleepMs\":0}"));
      assertThat(api.await("req-cold").body()).isEqualTo("\"slept\"");
      SpanLine cold = nextSpanLine();

      api.enqueue(new MiniRuntimeApi.Invocation("req-warm", trace2, deadlineIn(30_000), "{}"));
      assertThat(api.await("req-warm").error()).isFalse();
      SpanLine warm = nextSpanLine();

      assertThat(cold.attr("faas.invocation_id")).isEqualTo("req-cold");
      assertThat(cold.attr("faas.coldstart")).isEqualTo(true);
      assertThat(cold.child("init")).isNotNull();
      assertThat((Long) cold.attr("aws.lambda.init_duration_ms")).isPositive();
      assertThat(cold.invocation().path("traceId").asText()).isEqualTo("6566b0a41c2a3b4c5d6e7f8091a2b3c4");
      assertThat(cold.invocation().path("parentSpanId").asText()).isEqualTo("9f8e7d6c5b4a3921");
      assertThat(cold.attr("aws.lambda.invoked_arn")).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:orders");
      assertThat(cold.attr("faas.instance")).isEqualTo("2026/11/28/[$LATEST]e2e0000000000000000000000000000");
      assertThat(cold.attr("faas.max_memory")).isEqualTo(512L * 1024 * 1024);

      assertThat(warm.attr("faas.invocation_id")).isEqualTo("req-warm");
      assertThat(warm.attr("faas.coldstart")).isEqualTo(false);
      assertThat(warm.child("init")).isNull();
      assertThat(warm.invocation().path("traceId").asText()).isEqualTo("6566b0a500000000000000000000abcd");

      // still running 500 ms before its deadline: a warning line, then the final line with the same span id
      api.enqueue(new MiniRuntimeApi.Invocation("req-slow", trace1, deadlineIn(1_500), "{\"sleepMs\":2500}"));
      SpanLine warning = nextSpanLine();
      api.await("req-slow");
      SpanLine done = nextSpanLine();
      assertThat(warning.attr("faas.invocation_id")).isEqualTo("req-slow");
      assertThat(warning.attr("aws.lambda.timeout_warning")).isEqualTo(true);
      assertThat((String) SpanLine.attr(warning.invocation().path("events").get(0), "exception.stacktrace"))
          .contains("Thread.sleep").contains("Handlers$Slow.handleRequest");
      assertThat(done.invocation().path("spanId").asText()).isEqualTo(warning.invocation().path("spanId").asText());
      assertThat(done.attr("aws.lambda.timeout_warning")).isNull();
      assertThat(spanLines).isEmpty();
      assertNoTaillightProblems();
    }
  }

  @Test
  void traced_request_handler_under_the_real_runtime_client_reports_errors_and_rethrows() throws Exception {
    try (MiniRuntimeApi api = new MiniRuntimeApi()) {
      startRuntime(api, "dev.taillight.instrumentation.RuntimeInterfaceClientEndToEndTest$Failing::handleRequest",
          Map.of("TAILLIGHT_TIMEOUT_MARGIN_MS", "0"));
      String trace = "Root=1-6566b0a4-1c2a3b4c5d6e7f8091a2b3c4;Parent=9f8e7d6c5b4a3921;Sampled=1";
      api.enqueue(new MiniRuntimeApi.Invocation("req-fail", trace, deadlineIn(30_000),
          new String(Fixtures.bytes("apigw-rest.json"), StandardCharsets.UTF_8)));
      MiniRuntimeApi.Result result = api.await("req-fail");
      SpanLine line = nextSpanLine();

      assertThat(result.error()).isTrue();
      assertThat(result.body()).contains("payment declined");
      assertThat(line.attr("faas.coldstart")).isEqualTo(true);
      assertThat(line.attr("faas.trigger")).isEqualTo("http");
      // the event's W3C traceparent wins; Lambda's X-Ray trace is kept as an attribute
      assertThat(line.invocation().path("traceId").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
      assertThat(line.attr("aws.lambda.xray_trace_id")).isEqualTo("6566b0a41c2a3b4c5d6e7f8091a2b3c4");
      assertThat(line.invocation().path("status").path("code").asInt()).isEqualTo(2);
      assertThat(line.invocation().path("events").get(0).path("name").asText()).isEqualTo("exception");
      assertNoTaillightProblems();
    }
  }

  @Test
  void traced_request_handler_named_by_method_gets_its_event_type_not_a_map() throws Exception {
    // Named Class::handleRequest, the runtime client resolves the erased handleRequest(Object, Context) and
    // deserialises the event as a Map; the handler must still receive an APIGatewayV2HTTPEvent.
    try (MiniRuntimeApi api = new MiniRuntimeApi()) {
      startRuntime(api, "dev.taillight.instrumentation.RuntimeInterfaceClientEndToEndTest$TypedHttp::handleRequest",
          Map.of("TAILLIGHT_TIMEOUT_MARGIN_MS", "0"));
      String trace = "Root=1-6566b0a4-1c2a3b4c5d6e7f8091a2b3c4;Parent=9f8e7d6c5b4a3921;Sampled=1";
      api.enqueue(new MiniRuntimeApi.Invocation("req-typed", trace, deadlineIn(30_000),
          new String(Fixtures.bytes("apigw-http-v2.json"), StandardCharsets.UTF_8)));
      MiniRuntimeApi.Result result = api.await("req-typed");
      SpanLine line = nextSpanLine();

      assertThat(result.error()).as(result.body()).isFalse();
      assertThat(result.body()).isEqualTo("\"APIGatewayV2HTTPEvent " + httpV2RawPath() + "\"");
      assertThat(line.attr("faas.trigger")).isEqualTo("http");
      assertThat(line.invocation().path("status").path("code").asInt()).isNotEqualTo(2);
      assertNoTaillightProblems();
    }
  }

  private static String httpV2RawPath() throws IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(Fixtures.bytes("apigw-http-v2.json"))
        .path("rawPath").asText();
  }

  /** Echoes the event's class and path: proves the event arrived as its declared type. */
  public static class TypedHttp
      extends TracedRequestHandler<com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent, String> {
    @Override
    protected String doHandleRequest(com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent event,
        com.amazonaws.services.lambda.runtime.Context c) {
      return event.getClass().getSimpleName() + " " + event.getRawPath();
    }
  }

  /** Fails every invocation. */
  public static class Failing extends TracedRequestHandler<Map<String, Object>, String> {
    @Override
    protected String doHandleRequest(Map<String, Object> input, com.amazonaws.services.lambda.runtime.Context c) {
      throw new IllegalStateException("payment declined");
    }
  }
}
