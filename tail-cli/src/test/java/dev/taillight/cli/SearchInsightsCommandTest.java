package dev.taillight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taillight.testing.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/**
 * {@code search} pushed down to CloudWatch Logs Insights, against moto_server with the real SDK client. moto
 * answers a query with every line of the period (it ignores {@code filter}), so these tests show that the
 * index's own search decides what is shown, whatever Logs Insights returns; the query text is checked in the
 * collector's InsightsQueriesTest.
 */
class SearchInsightsCommandTest {
  @TempDir static Path dir;
  static MotoServer moto;
  static String orders;
  static String payments;

  @BeforeAll
  static void putEvents() throws Exception {
    moto = MotoServer.shared();
    orders = MotoServer.unique("orders-api");
    payments = MotoServer.unique("payments");
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(TailCommandTest.sample("orders-trace.jsonl"))) {
      events.add(json.readTree(line));
    }
    long first = events.stream().mapToLong(e -> e.get("timestamp").asLong()).min().orElseThrow();
    long shift = System.currentTimeMillis() - 60_000 - first;
    try (CloudWatchLogsClient logs = moto.logsClient()) {
      Map<String, String> fnOf = Map.of("/aws/lambda/orders-api", orders, "/aws/lambda/payments", payments);
      for (String fn : fnOf.values()) {
        logs.createLogGroup(r -> r.logGroupName("/aws/lambda/" + fn));
      }
      Map<List<String>, List<InputLogEvent>> byStream = new LinkedHashMap<>();
      for (JsonNode e : events) {
        String group = "/aws/lambda/" + fnOf.get(e.get("logGroup").asText());
        byStream.computeIfAbsent(List.of(group, e.get("logStream").asText()), k -> new ArrayList<>())
            .add(InputLogEvent.builder().timestamp(e.get("timestamp").asLong() + shift)
                .message(CloudWatchCommandsTest.shiftSpanTimes(e.get("message").asText(), shift)).build());
      }
      for (Map.Entry<List<String>, List<InputLogEvent>> s : byStream.entrySet()) {
        logs.createLogStream(r -> r.logGroupName(s.getKey().get(0)).logStreamName(s.getKey().get(1)));
        List<InputLogEvent> sorted = new ArrayList<>(s.getValue());
        sorted.sort(Comparator.comparingLong(InputLogEvent::timestamp));
        logs.putLogEvents(r -> r.logGroupName(s.getKey().get(0)).logStreamName(s.getKey().get(1)).logEvents(sorted));
      }
    }
  }

  static CliEnv env(String endpoint) {
    return CliEnv.builder().home(dir).clock(java.time.Clock.systemUTC())
        .env(Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "AWS_REGION", "us-east-1",
            "AWS_ENDPOINT_URL", endpoint))
        .build();
  }

  static CliRun run(String store, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--store");
    all.add(dir.resolve(store).toString());
    return CliRun.run(env(moto.endpoint().toString()), all.toArray(String[]::new));
  }

  @Test
  void a_period_the_index_lacks_is_searched_in_logs_insights_and_recorded_for_offline_use() {
    CliRun r = run("fresh.db", "search", "--function", orders, "--since", "10m", "--format", "json");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.err()).contains("taillight: the index does not hold all of this period for /aws/lambda/" + orders
        + "; searching what it lacks with CloudWatch Logs Insights (billed per GB scanned; --local searches only "
        + "the index)")
        .contains("taillight: Logs Insights scanned 0 B (about USD 0.0000 at us-east-1's USD 0.005/GB) in 1 query over 1 log group (")
        .contains("fetched 2 invocations (");
    assertThat(r.out().lines()).hasSize(2);
    assertThat(r.out()).contains("\"requestId\":\"33333333-3333-4333-8333-333333333333\"")
        .contains("\"requestId\":\"11111111-1111-4111-8111-111111111111\"").doesNotContain("22222222");
    CliRun offline = CliRun.run(env("http://127.0.0.1:1"), "search", "--function", orders, "--format", "json",
        "--store", dir.resolve("fresh.db").toString());
    assertThat(offline.out().lines()).as("recorded in the index").hasSize(2);
    CliRun trace = CliRun.run(env("http://127.0.0.1:1"), "trace", "11111111-1111-4111-8111-111111111111",
        "--store", dir.resolve("fresh.db").toString(), "--no-lines");
    assertThat(trace.exitCode()).as(trace.err()).isEqualTo(0);
    assertThat(trace.out()).startsWith("trace 5759e988bd862e3fe1be46a994272793");
  }

  @Test
  void the_index_decides_which_invocations_match_whatever_logs_insights_returns() {
    CliRun r = run("text.db", "search", "card declined", "-f", orders, "-f", payments, "--since", "10m",
        "--format", "json");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.out().lines()).singleElement().satisfies(l -> assertThat(l)
        .contains("\"requestId\":\"22222222-2222-4222-8222-222222222222\"").contains("\"status\":\"error\""));
    CliRun timeouts = run("text.db", "search", "--timeouts", "-f", orders, "-f", payments, "--since", "10m",
        "--format", "json", "--remote");
    assertThat(timeouts.out().lines()).singleElement().satisfies(l -> assertThat(l)
        .contains("33333333-3333-4333-8333-333333333333").contains("\"status\":\"timeout\""));
    assertThat(timeouts.err()).contains("over 2 log groups");
  }

  @Test
  void table_output_says_where_the_results_came_from() {
    CliRun r = run("table.db", "search", "--function", payments, "--since", "10m", "--errors");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("START");
    assertThat(lines.get(1)).contains("22222222-2222-4222-8222-222222222222").contains("ERROR");
    assertThat(lines.get(2)).isEqualTo("1 invocation");
    assertThat(lines.get(3)).startsWith("from CloudWatch Logs Insights (").endsWith(", 1 log group) and the index "
        + dir.resolve("table.db"));
  }

  @Test
  void a_pulled_period_is_searched_in_the_index_only() {
    CliRun pull = run("pulled.db", "pull", orders, "--since", "10m");
    assertThat(pull.exitCode()).as(pull.err()).isEqualTo(0);
    CliRun r = run("pulled.db", "search", "--function", orders, "--since", "9m", "--format", "json");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.err()).doesNotContain("Logs Insights");
    assertThat(r.out().lines()).hasSize(2);
    CliRun forced = run("pulled.db", "search", "--function", orders, "--since", "9m", "--remote", "--show-query");
    assertThat(forced.err()).contains("taillight: searching /aws/lambda/" + orders + " with CloudWatch Logs Insights")
        .contains("taillight: Logs Insights query (1 StartQuery call over 1 log group):\n"
            + "  fields @timestamp, @message, @logStream, @log, @requestId\n"
            + "  | filter @message like /^REPORT RequestId:|\"type\":\"platform\\.report\"/\n"
            + "  | sort @timestamp desc\n  | limit 10000\n");
    assertThat(forced.out()).as("stored once, whatever fetched it").contains("2 invocations");
  }

  @Test
  void the_aws_cli_sees_exactly_the_query_taillight_started() throws Exception {
    String fn = MotoServer.unique("audit");
    try (CloudWatchLogsClient logs = moto.logsClient()) {
      logs.createLogGroup(r -> r.logGroupName("/aws/lambda/" + fn));
    }
    CliRun r = run("audit.db", "search", "\"card declined\" -retry", "-f", fn, "--since", "1h", "--remote");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.out()).startsWith("no matching invocations in CloudWatch Logs Insights (");
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/aws", "--endpoint-url", moto.endpoint().toString(),
        "--region", "us-east-1", "--output", "json", "logs", "describe-queries", "--log-group-name",
        "/aws/lambda/" + fn);
    pb.environment().put("AWS_ACCESS_KEY_ID", "testing");
    pb.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
    pb.environment().put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
    pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
    pb.environment().put("AWS_PAGER", "");
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("aws logs describe-queries").isZero();
    JsonNode queries = new ObjectMapper().readTree(out).path("queries");
    assertThat(queries).hasSize(1);
    assertThat(queries.get(0).path("status").asText()).isEqualTo("Complete");
    assertThat(queries.get(0).path("queryString").asText()).isEqualTo(
        "fields @timestamp, @message, @logStream, @log, @requestId\n"
            + "| filter @message like /(?i)card[^a-z0-9]+declined/"
            + " and @message not like /(?i)(^|[^a-z0-9])retry([^a-z0-9]|$)/\n"
            + "| sort @timestamp desc\n| limit 10000");
  }

  @Test
  void a_function_without_a_log_group_is_not_found() {
    String missing = MotoServer.unique("no-such-fn");
    CliRun r = run("missing.db", "search", "--function", missing, "--since", "1h");
    assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(r.err()).contains("taillight: log group /aws/lambda/" + missing + " does not exist\n"
        + "  hint: check the function names and the region");
  }

  @Test
  void a_missing_group_among_others_is_skipped_with_a_note() {
    String missing = MotoServer.unique("no-such-fn");
    CliRun r = run("some.db", "search", "-f", missing, "-f", payments, "--since", "10m", "--format", "json");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.err()).contains("taillight: note: skipped log group /aws/lambda/" + missing
        + " (does not exist in this account and region)");
    assertThat(r.out().lines()).hasSize(1);
  }

  @Test
  void remote_needs_functions_and_a_period() {
    CliRun r = run("usage.db", "search", "--remote", "--since", "1h");
    assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).startsWith("taillight: --remote needs --function and --since");
    assertThat(run("usage.db", "search", "--remote", "--local", "-f", "x", "--since", "1h").exitCode())
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void without_aws_an_automatic_push_down_falls_back_to_the_index_but_an_explicit_one_fails() {
    Path store = dir.resolve("offline.db");
    assertThat(run("offline.db", "pull", payments, "--since", "10m").exitCode()).isEqualTo(0);
    CliEnv unreachable = env("http://127.0.0.1:1");
    CliRun auto = CliRun.run(unreachable, "search", "-f", payments, "--since", "2h", "--format", "json",
        "--store", store.toString());
    assertThat(auto.exitCode()).as(auto.err()).isEqualTo(0);
    assertThat(auto.err()).contains("taillight: note: cannot reach CloudWatch Logs Insights (cannot reach the AWS "
        + "endpoint").contains("showing only what the index holds (--local skips this)");
    assertThat(auto.out().lines()).hasSize(1);
    CliRun explicit = CliRun.run(unreachable, "search", "-f", payments, "--since", "2h", "--remote",
        "--store", store.toString());
    assertThat(explicit.exitCode()).isEqualTo(ExitCode.FAILURE);
    assertThat(explicit.err()).startsWith("taillight: note: cannot read the configuration of")
        .contains("taillight: cannot reach the AWS endpoint");
    CliRun local = CliRun.run(unreachable, "search", "-f", payments, "--since", "2h", "--local",
        "--store", store.toString());
    assertThat(local.err()).isEmpty();
  }
}
