package dev.taillight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taillight.testing.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/**
 * Commands that read CloudWatch Logs, against moto_server with the real AWS SDK client: the fixture's events are
 * written with PutLogEvents (shifted to a minute ago, span times in span lines too) into uniquely named log
 * groups.
 */
class CloudWatchCommandsTest {
  @TempDir static Path dir;
  static MotoServer moto;
  static String orders;
  static String payments;
  static long shift;

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
    shift = System.currentTimeMillis() - 60_000 - first;
    try (CloudWatchLogsClient logs = moto.logsClient()) {
      for (String fn : List.of(orders, payments)) {
        logs.createLogGroup(r -> r.logGroupName("/aws/lambda/" + fn));
      }
      Map<String, String> fnOf = Map.of("/aws/lambda/orders-api", orders, "/aws/lambda/payments", payments);
      Map<List<String>, List<InputLogEvent>> byStream = new java.util.LinkedHashMap<>();
      for (JsonNode e : events) {
        String group = "/aws/lambda/" + fnOf.get(e.get("logGroup").asText());
        byStream.computeIfAbsent(List.of(group, e.get("logStream").asText()), k -> new ArrayList<>())
            .add(InputLogEvent.builder().timestamp(e.get("timestamp").asLong() + shift)
                .message(shiftSpanTimes(e.get("message").asText(), shift)).build());
      }
      for (Map.Entry<List<String>, List<InputLogEvent>> s : byStream.entrySet()) {
        String group = s.getKey().get(0);
        String stream = s.getKey().get(1);
        logs.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
        List<InputLogEvent> sorted = new ArrayList<>(s.getValue());
        sorted.sort(Comparator.comparingLong(InputLogEvent::timestamp));
        logs.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(sorted));
      }
    }
  }

  /** A span line's start and end times (unix nanos) moved by {@code shiftMs}, like the events' timestamps. */
  static String shiftSpanTimes(String message, long shiftMs) {
    Matcher m = SPAN_TIME.matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, m.group(1) + (Long.parseLong(m.group(2)) + shiftMs * 1_000_000L) + "\"");
    }
    m.appendTail(out);
    return out.toString();
  }

  private static final Pattern SPAN_TIME = Pattern.compile("(\"(?:start|end)TimeUnixNano\":\")(\\d+)\"");

  static CliEnv env() {
    return env(Clock.systemUTC());
  }

  static CliEnv env(Clock clock) {
    return CliEnv.builder().home(dir).clock(clock)
        .env(Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "AWS_REGION", "us-east-1",
            "AWS_ENDPOINT_URL", moto.endpoint().toString()))
        .build();
  }

  static CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--store";
    all[args.length + 1] = dir.resolve("index.db").toString();
    return CliRun.run(env(), all);
  }

  @Test
  void tail_follows_two_functions_from_cloudwatch_and_stops_at_until() {
    CliRun r = run("tail", orders, payments, "--since", "5m", "--until", "now", "--format", "invocations");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.out().lines()).hasSize(3);
    assertThat(r.out()).contains("\"function\":\"" + payments + "\"").contains("\"status\":\"timeout\"")
        .contains("\"coldStart\":true,\"initDurationMs\":412.3");
    CliRun search = run("search", "--function", orders, "--format", "json");
    assertThat(search.out().lines()).as("recorded in the index").hasSize(2);
  }

  @Test
  void tail_plain_output_from_cloudwatch_names_each_function() {
    CliRun r = run("tail", orders, payments, "--since", "5m", "--until", "now", "--no-tui", "--no-store");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.out()).contains(orders + " ").contains(payments + " ").contains("TIMEOUT")
        .contains("INFO  Processing order 42");
  }

  @Test
  void tail_with_a_cloudwatch_filter_pattern_only_gets_matching_events() {
    CliRun r = run("tail", payments, "--since", "5m", "--until", "now", "--filter", "card", "--format", "json",
        "--no-store");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.out().lines()).hasSize(3).allMatch(l -> l.contains("card"));
    assertThat(r.out()).doesNotContain("Processing order");
  }

  @Test
  void tail_accepts_a_prefix_pattern() {
    String prefix = orders.substring(0, orders.length() - 3) + "*";
    CliRun r = run("tail", prefix, "--since", "5m", "--until", "now", "--format", "invocations", "--no-store");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.out().lines()).hasSize(2).allMatch(l -> l.contains("\"function\":\"" + orders + "\""));
  }

  @Test
  void tail_of_a_function_that_matches_nothing_is_not_found() {
    CliRun r = run("tail", "/aws/lambda/no-such-prefix-*", "--since", "5m", "--until", "now", "--no-store");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).contains("taillight: no log group matches /aws/lambda/no-such-prefix-*");
  }

  @Test
  void functions_lists_lambda_log_groups_with_their_last_event() {
    CliRun r = run("functions", "--format", "json");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.out()).contains("{\"function\":\"" + orders + "\",\"logGroup\":\"/aws/lambda/" + orders
        + "\",\"lastEventTime\":\"");
    CliRun table = run("functions");
    assertThat(table.out()).startsWith("FUNCTION").contains(payments);
  }

  @Test
  void pull_backfills_the_index_and_resumes_from_its_checkpoint() {
    Path store = dir.resolve("pulled.db");
    CliRun first = CliRun.run(env(), "pull", orders, payments, "--since", "10m", "--store", store.toString());
    assertThat(first.exitCode()).as(first.err()).isEqualTo(0);
    assertThat(first.err()).contains("taillight: pulled 18 events (").contains("from 2 log groups");
    CliRun search = CliRun.run(env(), "search", "--format", "json", "--store", store.toString());
    assertThat(search.out().lines()).hasSize(3);
    CliRun again = CliRun.run(env(), "pull", orders, "--since", "10m", "--store", store.toString());
    assertThat(again.exitCode()).isEqualTo(0);
    assertThat(again.err()).contains("taillight: resuming /aws/lambda/" + orders + " from ");
    assertThat(CliRun.run(env(), "search", "--format", "json", "--store", store.toString()).out().lines())
        .as("nothing stored twice").hasSize(3);
  }

  @Test
  void trace_with_a_period_finds_the_trace_in_cloudwatch_and_fetches_its_whole_invocations() {
    long old = System.currentTimeMillis() - 30 * 60_000;
    try (CloudWatchLogsClient logs = moto.logsClient()) {
      String group = "/aws/lambda/" + orders;
      logs.createLogStream(r -> r.logGroupName(group).logStreamName("2026/11/28/[$LATEST]old"));
      logs.putLogEvents(r -> r.logGroupName(group).logStreamName("2026/11/28/[$LATEST]old").logEvents(
          InputLogEvent.builder().timestamp(old).message("START RequestId: 44444444-4444-4444-8444-444444444444 "
              + "Version: $LATEST").build()));
    }
    Path store = dir.resolve("trace-fetch.db");
    CliRun r = CliRun.run(env(), "trace", "1-5759e988-bd862e3fe1be46a994272793", orders, "--function", payments,
        "--since", "1h", "--endpoint-url", moto.endpoint().toString(), "--store", store.toString(), "--width", "120");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.err()).contains("taillight: 1-5759e988-bd862e3fe1be46a994272793 is logged between ")
        .as("the trace's invocations, not the line half an hour earlier")
        .contains("taillight: fetched 18 events (").contains("from 2 log groups");
    assertThat(r.out().lines().findFirst().orElseThrow())
        .isEqualTo("trace 5759e988bd862e3fe1be46a994272793  2 functions  2 invocations  2 spans  533.3 ms  1 failed");
    assertThat(r.out().lines().skip(2).limit(3)).as("the waterfall").satisfiesExactly(
        l -> assertThat(l).startsWith(orders + " init (cold start) \u2591").endsWith("412.3 ms"),
        l -> assertThat(l).startsWith(orders + " POST /orders ").contains("\u2588").endsWith("119 ms"),
        l -> assertThat(l).startsWith("  " + payments + " charge ").contains("\u2588\u2717").endsWith("69 ms"));
    assertThat(r.out())
        .as("whole invocations: START, app lines and REPORT, not only the lines naming the trace")
        .contains("\u250c 11111111-1111-4111-8111-111111111111 OK COLD init 412.3 ms")
        .contains("\u2502 INFO  Processing order 42").contains("\u2502 WARN  payment failed for order 42")
        .contains("\u250c 22222222-2222-4222-8222-222222222222 ERROR").contains("PaymentDeclined: card declined")
        .as("only the invocations of this trace").doesNotContain("Processing order 43");

    CliRun byRequest = CliRun.run(env(), "trace", "22222222-2222-4222-8222-222222222222", orders, payments,
        "--since", "1h", "--store", dir.resolve("trace-by-request.db").toString(), "--width", "120");
    assertThat(byRequest.exitCode()).as(byRequest.err()).isEqualTo(0);
    assertThat(byRequest.out()).as("a request id brings the whole trace").isEqualTo(r.out());
  }

  @Test
  void trace_with_a_period_already_pulled_fetches_nothing() {
    Path store = dir.resolve("trace-pulled.db");
    Instant now = Instant.now();
    String since = now.minusSeconds(300).toString();
    String until = now.plusSeconds(5).toString();
    // the clock runs ten minutes ahead, so the checkpoint says the period had settled when it was pulled
    CliEnv later = env(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)));
    CliRun pulled = CliRun.run(later, "pull", orders, payments, "--since", since, "--until", until, "--store",
        store.toString());
    assertThat(pulled.exitCode()).as(pulled.err()).isEqualTo(0);
    CliRun r = CliRun.run(later, "trace", "5759e988bd862e3fe1be46a994272793", "-f", orders, "-f", payments,
        "--since", since, "--until", until, "--store", store.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.err()).contains("taillight: /aws/lambda/" + orders + " is already in the index for this period")
        .contains("taillight: /aws/lambda/" + payments + " is already in the index for this period")
        .doesNotContain("fetched");
    assertThat(r.out()).startsWith("trace 5759e988bd862e3fe1be46a994272793  2 functions  2 invocations  2 spans");
  }

  @Test
  void trace_without_a_period_says_how_to_fetch_an_id_that_is_not_in_the_index() {
    Path store = dir.resolve("trace-hint.db");
    CliRun pulled = CliRun.run(env(), "pull", payments, "--since", "10m", "--store", store.toString());
    assertThat(pulled.exitCode()).as(pulled.err()).isEqualTo(0);
    CliRun r = CliRun.run(env(), "trace", "1-00000000-000000000000000000000001", "--store", store.toString());
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).isEqualTo("taillight: no trace or invocation '1-00000000-000000000000000000000001' in the "
        + "index " + store + "\n  hint: fetch it from CloudWatch with the functions involved and a period, e.g. "
        + "taillight trace 1-00000000-000000000000000000000001 --function orders-api --since 1h (or tail or pull "
        + "those functions first), or find ids with 'taillight search'\n");
    CliRun noIndex = CliRun.run(env(), "trace", "1-00000000-000000000000000000000001", "--store",
        dir.resolve("no-such.db").toString());
    assertThat(noIndex.exitCode()).isEqualTo(3);
    assertThat(noIndex.err()).contains("hint: fetch it from CloudWatch with the functions involved and a period");
  }

  @Test
  void trace_with_a_period_but_no_function_is_a_usage_error_naming_the_option() {
    CliRun r = run("trace", "1-5759e988-bd862e3fe1be46a994272793", "--since", "10m");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("taillight: --since needs the functions to fetch from\n  hint: name them, e.g. "
        + "taillight trace 1-5759e988-bd862e3fe1be46a994272793 --function orders-api --since 10m");
  }

  @Test
  void progress_line_shows_percent_events_bytes_rate_and_eta() {
    assertThat(Backfill.progress("/aws/lambda/x", 1, 2, 0, 1000, 250, 1200, 2048, 2.0)).isEqualTo(
        "/aws/lambda/x [1/2] \u2588\u2588\u2588\u2588\u2588\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7"
            + "\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7  25%  1,200 events  2 KB  600 ev/s  ETA 6.00 s");
  }

  @Test
  void an_unreachable_endpoint_is_one_clear_line() {
    CliRun r = CliRun.run(env(), "tail", orders, "--since", "1m", "--until", "now", "--no-store",
        "--endpoint-url", "not a url");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("taillight: invalid --endpoint-url 'not a url'");
  }
}
