package dev.taillight.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taillight.cli.CliEnv;
import dev.taillight.cli.Main;
import dev.taillight.cli.demo.DemoPipeline;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.SpanData;
import dev.taillight.collector.Trace;
import dev.taillight.collector.cloudwatch.CloudWatchLogsSink;
import dev.taillight.collector.store.InvocationQuery;
import dev.taillight.collector.store.Store;
import dev.taillight.localruntime.InvocationResult;
import dev.taillight.testing.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * The proof that the parts fit: the example order pipeline runs in the local runtime (child JVMs under the real
 * AWS Lambda runtime interface client, local SQS queues between the functions), its logs are shipped to CloudWatch
 * Logs (moto_server) with PutLogEvents, and then read back by {@code taillight tail} through the real AWS SDK,
 * and by the AWS CLI v2 as an independent client.
 *
 * <p>The scenario runs once (in {@link #runThePipeline}): a first order that cold-starts every function, two
 * orders at once, a declined card, a rejected order, a card processor crash and an inventory call slower than the
 * timeout. Each test then checks one promise against it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderPipelineEndToEndTest {
  private static final Path AWS_CLI = Path.of("/usr/bin/aws");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> GROUPS = DemoPipeline.FUNCTIONS.stream().map(f -> "/aws/lambda/" + f).toList();

  @TempDir static Path dir;
  private MotoServer moto;
  private Path index;
  private Instant since;
  private Instant until;
  private List<DemoPipeline.Finished> finished;
  private String tracedOrderTrace;
  private final Map<String, String> orderOfRequest = new HashMap<>();
  private List<JsonNode> tailed;
  private String tailErr;

  @BeforeAll
  void runThePipeline() throws Exception {
    if (!Files.isExecutable(AWS_CLI)) {
      fail("the AWS CLI v2 is missing at " + AWS_CLI + ": install it with 'apt-get install -y awscli' (.ci/run does)");
    }
    Path jar = Path.of(System.getProperty("taillight.examplesJar", "../examples/target/taillight-examples.jar"));
    assertThat(jar).as("the examples jar is built before this module (mvn -pl e2e -am)").isRegularFile();
    moto = MotoServer.shared();
    index = dir.resolve("index.db");
    since = Instant.now().minusSeconds(2);
    try (CloudWatchLogsClient logs = moto.logsClient();
         CloudWatchLogsSink sink = CloudWatchLogsSink.builder(logs).build();
         DemoPipeline pipeline = DemoPipeline.builder(jar).sink(sink)
             .apiTimeout(Duration.ofSeconds(15))       // generous: cold starts on a busy CI machine are slow
             .workerTimeout(Duration.ofSeconds(40))
             .initTimeout(Duration.ofSeconds(60))
             .maxReceiveCount(1)
             .concurrency(3)
             .build()) {
      InvocationResult first = post(pipeline, "o-1", "{\"orderId\":\"o-1\",\"customer\":\"ada\",\"amount\":42.5}");
      assertThat(first.status()).as(first.payload()).isEqualTo(InvocationResult.Status.SUCCESS);
      tracedOrderTrace = JSON.readTree(JSON.readTree(first.payload()).path("body").asText()).path("traceId").asText();
      awaitIdle(pipeline);

      // o-2 is slow, so o-3 arrives while it runs: orders-api must start a second environment
      CompletableFuture<InvocationResult> a = postAsync(pipeline, "o-2", "{\"orderId\":\"o-2\",\"amount\":10,\"sleepMs\":2000}");
      CompletableFuture<InvocationResult> b = postAsync(pipeline, "o-3", "{\"orderId\":\"o-3\",\"amount\":11}");
      a.get(3, TimeUnit.MINUTES);
      b.get(3, TimeUnit.MINUTES);
      post(pipeline, "o-4", "{\"orderId\":\"o-4\",\"customer\":\"eve\",\"amount\":7}");
      post(pipeline, "o-5", "{\"orderId\":\"o-5\",\"amount\":0}");
      post(pipeline, "o-6", "{\"orderId\":\"o-6\",\"amount\":13}");
      post(pipeline, "o-7", "{\"orderId\":\"o-7\",\"amount\":21,\"sleepMs\":60000}");
      awaitIdle(pipeline);
      finished = pipeline.finished();
    }
    until = Instant.now().plusSeconds(2);

    Run tail = taillight("tail", "orders-api", "payment-worker", "notifier", "--since", since.toString(), "--until",
        until.toString(), "--format", "invocations");
    assertThat(tail.code).as(tail.err).isZero();
    tailErr = tail.err;
    tailed = new ArrayList<>();
    for (String line : tail.out.split("\n")) {
      if (!line.isBlank()) {
        tailed.add(JSON.readTree(line));
      }
    }
  }

  private InvocationResult post(DemoPipeline p, String order, String json) {
    InvocationResult r = p.postOrder(json);
    orderOfRequest.put(r.requestId(), order);
    return r;
  }

  private CompletableFuture<InvocationResult> postAsync(DemoPipeline p, String order, String json) {
    return p.postOrderAsync(json).thenApply(r -> {
      synchronized (orderOfRequest) {
        orderOfRequest.put(r.requestId(), order);
      }
      return r;
    });
  }

  private static void awaitIdle(DemoPipeline p) throws InterruptedException {
    assertThat(p.awaitIdle(Duration.ofMinutes(3))).as("the pipeline went quiet").isTrue();
  }

  private record Run(int code, String out, String err) {}

  private Run taillight(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--endpoint-url", moto.endpoint().toString(), "--region", "us-east-1", "--store",
        index.toString(), "--color", "never"));
    CliEnv env = CliEnv.builder().home(dir).clock(Clock.systemUTC())
        .env(Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"))
        .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), all.toArray(String[]::new));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Map<String, JsonNode> tailedById() {
    return tailed.stream().collect(Collectors.toMap(j -> j.path("requestId").asText(), j -> j));
  }

  private List<InvocationResult> results(String function) {
    return finished.stream().filter(f -> f.function().equals(function)).map(DemoPipeline.Finished::result).toList();
  }

  @Test
  void tail_reads_every_invocation_back_exactly_once() {
    List<String> ran = finished.stream().map(f -> f.function() + " " + f.result().requestId()).sorted().toList();
    List<String> seen = tailed.stream().map(j -> j.path("function").asText() + " " + j.path("requestId").asText())
        .sorted().toList();

    assertThat(seen).as(tailErr).containsExactlyElementsOf(ran);
    // o-1..o-4 and o-6 reach payment-worker (o-5 is rejected, o-7 times out first); all but o-6 reach notifier
    assertThat(results("orders-api")).hasSize(7);
    assertThat(ran).hasSizeGreaterThanOrEqualTo(7 + 2 + 2);
  }

  @Test
  void cold_starts_are_marked_where_environments_started() {
    Map<String, JsonNode> byId = tailedById();
    for (DemoPipeline.Finished f : finished) {
      JsonNode j = byId.get(f.result().requestId());
      assertThat(j).as(f.function() + " " + f.result().requestId()).isNotNull();
      assertThat(j.path("coldStart").asBoolean()).as("coldStart of " + f.function() + " " + f.result().requestId())
          .isEqualTo(f.result().coldStart());
      if (f.result().coldStart()) {
        assertThat(j.path("initDurationMs").asDouble()).isPositive();
      }
    }
    // the first invocation of every function started its environment; o-2 and o-3 at once needed a second one
    for (String fn : DemoPipeline.FUNCTIONS) {
      assertThat(results(fn).get(0).coldStart()).as("first " + fn + " invocation is cold").isTrue();
    }
    assertThat(results("orders-api").stream().map(InvocationResult::logStream).distinct().count())
        .as("orders-api scaled out for two orders at once").isGreaterThanOrEqualTo(2);
  }

  @Test
  void timeout_and_errors_are_marked() {
    Map<String, JsonNode> byId = tailedById();
    String timedOut = requestOf("o-7");
    assertThat(byId.get(timedOut).path("status").asText()).isEqualTo("timeout");
    assertThat(byId.get(timedOut).path("errorMessage").asText()).contains("Task timed out after 15.00 seconds");

    List<InvocationResult> crashed = results("payment-worker").stream()
        .filter(r -> r.status() == InvocationResult.Status.FUNCTION_ERROR).toList();
    assertThat(crashed).as("the card processor failure on o-6").hasSize(1);
    JsonNode crash = byId.get(crashed.get(0).requestId());
    assertThat(crash.path("status").asText()).isEqualTo("error");
    assertThat(crash.path("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(crash.path("errorMessage").asText()).contains("card processor returned HTTP 500 for order o-6");

    assertThat(byId.get(requestOf("o-5")).path("status").asText()).as("a 400 is handled: ok").isEqualTo("ok");
    assertThat(byId.get(requestOf("o-4")).path("status").asText()).as("declined is handled: ok").isEqualTo("ok");
    long failedInTail = tailed.stream().filter(j -> !j.path("status").asText().equals("ok")).count();
    assertThat(failedInTail).isEqualTo(finished.stream().filter(f -> !f.result().succeeded()).count());
  }

  private String requestOf(String order) {
    return orderOfRequest.entrySet().stream().filter(e -> e.getValue().equals(order)).map(Map.Entry::getKey)
        .findFirst().orElseThrow(() -> new AssertionError("no request for " + order));
  }

  @Test
  void one_trace_spans_all_three_functions_with_parent_child_links() {
    try (Store store = Store.builder().path(index).build()) {
      Optional<Trace> found = store.trace(tracedOrderTrace);
      assertThat(found).as("trace " + tracedOrderTrace + " in the index").isPresent();
      Trace trace = found.get();
      assertThat(trace.invocations()).extracting(Invocation::function)
          .containsExactlyInAnyOrderElementsOf(DemoPipeline.FUNCTIONS);
      SpanData api = invocationSpan(trace, "orders-api");
      SpanData worker = invocationSpan(trace, "payment-worker");
      SpanData notifier = invocationSpan(trace, "notifier");
      // each send is a child span of the sending invocation (the SDK interceptor's), and the parent of the next
      SpanData apiSend = span(trace, worker.parentSpanId());
      assertThat(apiSend.parentSpanId()).as("payment-worker's parent is orders-api's SendMessage call")
          .isEqualTo(api.spanId());
      assertThat(apiSend.name()).isEqualTo("Sqs.SendMessage");
      SpanData workerSend = span(trace, notifier.parentSpanId());
      assertThat(workerSend.parentSpanId()).as("notifier's parent is payment-worker's SendMessage call")
          .isEqualTo(worker.spanId());
      assertThat(api.parentSpanId()).as("orders-api continues Lambda's own trace header")
          .isNotIn(worker.spanId(), notifier.spanId());
      assertThat(List.of(api, worker, notifier)).extracting(SpanData::traceId).containsOnly(tracedOrderTrace);
    }
  }

  private static SpanData span(Trace trace, String spanId) {
    return trace.spans().stream().filter(s -> s.spanId().equals(spanId)).findFirst()
        .orElseThrow(() -> new AssertionError("no span " + spanId + " in " + trace.spans()));
  }

  private static SpanData invocationSpan(Trace trace, String function) {
    return trace.spans().stream()
        .filter(s -> function.equals(s.attributes().get("faas.name")) && s.attributes().containsKey("faas.invocation_id"))
        .filter(s -> !Boolean.TRUE.equals(s.attributes().get("aws.lambda.timeout_warning")))
        .findFirst().orElseThrow(() -> new AssertionError("no invocation span of " + function + " in " + trace));
  }

  @Test
  void trace_command_draws_the_waterfall_across_the_three_functions() {
    Run r = taillight("trace", tracedOrderTrace, "--no-lines", "--width", "100");

    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out.lines().findFirst().orElse("")).startsWith("trace " + tracedOrderTrace)
        .contains(" 3 functions ").contains(" 3 invocations ");
    assertThat(r.out).contains("Sqs.SendMessage").doesNotContain("\u2717");   // no failed bar in this trace
    int api = r.out.indexOf("orders-api");
    int worker = r.out.indexOf("payment-worker");
    int notifier = r.out.indexOf("notifier");
    assertThat(api).isNotNegative();
    assertThat(worker).as("payment-worker after orders-api").isGreaterThan(api);
    assertThat(notifier).as("notifier after payment-worker").isGreaterThan(worker);
  }

  @Test
  void search_and_stats_find_the_same_invocations() throws IOException {
    Run errors = taillight("search", "--errors", "--since", since.toString(), "--format", "json");
    assertThat(errors.code).as(errors.err).isZero();
    List<String> found = new ArrayList<>();
    for (String line : errors.out.split("\n")) {
      if (!line.isBlank()) {
        found.add(JSON.readTree(line).path("requestId").asText());
      }
    }
    List<String> failed = finished.stream().filter(f -> !f.result().succeeded()).map(f -> f.result().requestId())
        .toList();
    assertThat(found).containsExactlyInAnyOrderElementsOf(failed);

    Run declined = taillight("search", "declined", "--since", since.toString(), "--format", "json");
    assertThat(declined.out).contains("\"function\":\"payment-worker\"").contains("\"function\":\"notifier\"");

    Run stats = taillight("stats", "--since", since.toString());
    assertThat(stats.code).as(stats.err).isZero();
    for (String fn : DemoPipeline.FUNCTIONS) {
      String row = stats.out.lines().filter(l -> l.startsWith(fn + " ") || l.contains(" " + fn + " ")).findFirst()
          .orElseThrow(() -> new AssertionError("no stats row for " + fn + " in\n" + stats.out));
      assertThat(row).as(row).contains(" " + results(fn).size() + " ");
    }
  }

  @Test
  void the_aws_cli_lists_the_same_events_taillight_stored() throws Exception {
    List<String> stored = new ArrayList<>();
    List<String> storedIds = new ArrayList<>();
    try (Store store = Store.builder().path(index).build()) {
      for (Invocation inv : store.search(InvocationQuery.builder().limit(10_000).withDetails(true).build())) {
        for (LogLine l : inv.lines()) {
          stored.add(l.event().logGroup() + " " + l.event().logStream() + " " + l.event().timestamp() + " "
              + l.event().message().strip());
        }
      }
      // every stored line, also those outside any invocation
      for (LogLine l : store.searchLines(InvocationQuery.builder().limit(100_000).build())) {
        storedIds.add(l.event().logGroup() + " " + l.event().eventId());
      }
    }
    List<String> listed = new ArrayList<>();
    List<String> listedIds = new ArrayList<>();
    for (String group : GROUPS) {
      ProcessBuilder pb = new ProcessBuilder(AWS_CLI.toString(), "--endpoint-url", moto.endpoint().toString(),
          "--region", "us-east-1", "--output", "json", "logs", "filter-log-events", "--log-group-name", group,
          "--start-time", Long.toString(since.toEpochMilli()), "--end-time", Long.toString(until.toEpochMilli()));
      pb.environment().put("AWS_ACCESS_KEY_ID", "testing");
      pb.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
      pb.environment().put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
      pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
      pb.environment().put("AWS_PAGER", "");
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      Process p = pb.start();
      byte[] json = p.getInputStream().readAllBytes();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("aws logs filter-log-events --log-group-name " + group).isZero();
      for (JsonNode e : JSON.readTree(json).path("events")) {
        listed.add(group + " " + e.path("logStreamName").asText() + " " + e.path("timestamp").asLong() + " "
            + e.path("message").asText().strip());
        listedIds.add(group + " " + e.path("eventId").asText());
      }
    }
    assertThat(listed).as("events in CloudWatch").isNotEmpty();
    assertThat(storedIds).as("every event CloudWatch has, stored once by its event id")
        .containsExactlyInAnyOrderElementsOf(listedIds);
    // the lines of the stored invocations are CloudWatch's events, byte for byte (the rest are INIT_START lines)
    assertThat(listed).containsAll(stored);
    assertThat(listed.stream().filter(l -> !stored.contains(l)))
        .allSatisfy(l -> assertThat(l).contains(" INIT_START "));
  }
}
