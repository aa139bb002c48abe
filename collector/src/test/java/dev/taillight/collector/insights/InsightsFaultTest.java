package dev.taillight.collector.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taillight.collector.cloudwatch.AwsErrors;
import dev.taillight.collector.cloudwatch.Backoff;
import dev.taillight.collector.cloudwatch.FaultProxy;
import dev.taillight.collector.cloudwatch.FaultProxy.Fault;
import dev.taillight.collector.cloudwatch.Sleeper;
import dev.taillight.testing.MotoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * How a query copes with Logs Insights' quota and errors, through {@link FaultProxy} in front of moto_server
 * (moto completes queries at once and has no StopQuery, so the proxy also plays a long-running query).
 */
class InsightsFaultTest {
  static String group;

  @BeforeAll
  static void group() {
    try (CloudWatchLogsClient logs = MotoServer.shared().logsClient()) {
      group = "/aws/lambda/" + MotoServer.unique("faults");
      logs.createLogGroup(b -> b.logGroupName(group));
    }
  }

  static InsightsQuery query() {
    return InsightsQueries.queries(SearchCriteria.all(), List.of(group), 1_000_000, 2_000_000).get(0);
  }

  /** Runs {@code body} with a runner whose client goes through a proxy following {@code plan}. */
  static void withRunner(BiFunction<String, Integer, Fault> plan, List<Duration> sleeps, RunnerTest body)
      throws Exception {
    try (FaultProxy proxy = new FaultProxy(MotoServer.shared().endpoint(), plan);
        CloudWatchLogsClient client = CloudWatchLogsClient.builder().endpointOverride(proxy.uri())
            .region(MotoServer.REGION).credentialsProvider(MotoServer.credentials())
            .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
            .build()) {
      Sleeper sleeper = d -> sleeps.add(d);
      QueryRunner runner = QueryRunner.builder(client).sleeper(sleeper).pollInterval(Duration.ofSeconds(1))
          .backoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30))).maxRetries(3).build();
      body.run(runner, proxy);
    }
  }

  interface RunnerTest {
    void run(QueryRunner runner, FaultProxy proxy) throws Exception;
  }

  @Test
  void too_many_concurrent_queries_are_waited_out_with_growing_pauses() throws Exception {
    List<Duration> sleeps = new ArrayList<>();
    withRunner((op, n) -> op.equals("StartQuery") && n <= 2 ? Fault.LIMIT_EXCEEDED : Fault.NONE, sleeps,
        (runner, proxy) -> {
          QueryResult r = runner.run(query(), p -> { });
          assertThat(r.progress().status()).isEqualTo("Complete");
          assertThat(proxy.injected(Fault.LIMIT_EXCEEDED)).isEqualTo(2);
        });
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void a_quota_that_stays_exhausted_ends_in_a_clear_error() throws Exception {
    List<Duration> sleeps = new ArrayList<>();
    withRunner((op, n) -> op.equals("StartQuery") ? Fault.LIMIT_EXCEEDED : Fault.NONE, sleeps,
        (runner, proxy) -> {
          assertThatThrownBy(() -> runner.run(query(), p -> { }))
              .isInstanceOfSatisfying(InsightsException.class, e -> {
                assertThat(e.kind()).isEqualTo(InsightsException.Kind.TOO_MANY_QUERIES);
                assertThat(e.getMessage()).isEqualTo(
                    "too many CloudWatch Logs Insights queries are running in this account and region");
                assertThat(e.hint()).contains("aws logs describe-queries --status Running");
              });
          assertThat(proxy.injected(Fault.LIMIT_EXCEEDED)).isEqualTo(4);
        });
    assertThat(sleeps).hasSize(3);
  }

  @Test
  void a_malformed_query_names_the_position_and_the_reason() throws Exception {
    withRunner((op, n) -> op.equals("StartQuery") ? Fault.MALFORMED_QUERY : Fault.NONE, new ArrayList<>(),
        (runner, proxy) -> assertThatThrownBy(() -> runner.run(query(), p -> { }))
            .isInstanceOfSatisfying(InsightsException.class, e -> {
              assertThat(e.kind()).isEqualTo(InsightsException.Kind.MALFORMED_QUERY);
              assertThat(e.getMessage()).isEqualTo(
                  "CloudWatch Logs Insights rejected the query at 70: unexpected symbol found ~ at line 2");
            }));
  }

  @Test
  void throttled_polls_are_retried_and_the_query_completes() throws Exception {
    List<Duration> sleeps = new ArrayList<>();
    withRunner((op, n) -> op.equals("GetQueryResults") && n <= 3 ? Fault.THROTTLE : Fault.NONE, sleeps,
        (runner, proxy) -> {
          assertThat(runner.run(query(), p -> { }).progress().status()).isEqualTo("Complete");
          assertThat(proxy.injected(Fault.THROTTLE)).isEqualTo(2);
        });
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void cancel_stops_the_running_query_and_reports_progress_until_then() throws Exception {
    List<Duration> sleeps = new ArrayList<>();
    withRunner((op, n) -> switch (op) {
      case "GetQueryResults" -> Fault.QUERY_RUNNING;
      case "StopQuery" -> Fault.STOPPED;
      default -> Fault.NONE;
    }, sleeps, (runner, proxy) -> {
      List<QueryProgress> seen = new ArrayList<>();
      assertThatThrownBy(() -> runner.run(query(), p -> {
        seen.add(p);
        if (seen.size() == 3) {
          runner.cancel(); // as the Ctrl-C hook does, from another thread
        }
      })).isInstanceOfSatisfying(InsightsException.class,
          e -> assertThat(e.kind()).isEqualTo(InsightsException.Kind.CANCELLED));
      assertThat(proxy.injected(Fault.STOPPED)).as("StopQuery sent").isEqualTo(1);
      assertThat(seen).extracting(QueryProgress::status).containsOnly("Running");
      assertThat(seen).extracting(QueryProgress::bytesScanned).isSorted().doesNotHaveDuplicates();
      assertThat(seen.get(0).recordsMatched()).isPositive();
      assertThat(runner.cancelled()).isTrue();
    });
    assertThat(sleeps).as("polled once a second").containsOnly(Duration.ofSeconds(1)).hasSize(2);
  }

  @Test
  void an_interrupted_poll_stops_the_query() throws Exception {
    try (FaultProxy proxy = new FaultProxy(MotoServer.shared().endpoint(), (op, n) -> switch (op) {
          case "GetQueryResults" -> Fault.QUERY_RUNNING;
          case "StopQuery" -> Fault.STOPPED;
          default -> Fault.NONE;
        });
        CloudWatchLogsClient client = CloudWatchLogsClient.builder().endpointOverride(proxy.uri())
            .region(MotoServer.REGION).credentialsProvider(MotoServer.credentials()).build()) {
      Sleeper interrupted = d -> {
        throw new InterruptedException();
      };
      QueryRunner runner = QueryRunner.builder(client).sleeper(interrupted).build();
      assertThatThrownBy(() -> runner.run(query(), p -> { })).isInstanceOf(InterruptedException.class);
      assertThat(proxy.injected(Fault.STOPPED)).isEqualTo(1);
    }
  }

  @Test
  void access_denied_reaches_the_caller_as_the_aws_error() throws Exception {
    withRunner((op, n) -> op.equals("StartQuery") ? Fault.DENY : Fault.NONE, new ArrayList<>(),
        (runner, proxy) -> assertThatThrownBy(() -> runner.run(query(), p -> { }))
            .isInstanceOfSatisfying(SdkException.class, e -> {
              AwsErrors.UserError u = AwsErrors.describe(e);
              assertThat(u.kind()).isEqualTo(AwsErrors.Kind.ACCESS_DENIED);
              assertThat(u.message()).startsWith("not allowed to call logs:StartQuery");
            }));
  }
}
