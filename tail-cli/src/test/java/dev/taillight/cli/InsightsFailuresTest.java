package dev.taillight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.insights.InsightsException;
import dev.taillight.collector.insights.InsightsException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class InsightsFailuresTest {
  static int exit(Kind kind) {
    return InsightsFailures.toCli(new InsightsException(kind, "m", "h", List.of(), null)).exitCode();
  }

  @Test
  void each_kind_of_query_failure_has_the_exit_code_of_its_class() {
    assertThat(exit(Kind.MISSING_LOG_GROUPS)).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(exit(Kind.CANCELLED)).isEqualTo(ExitCode.INTERRUPTED);
    assertThat(exit(Kind.MALFORMED_QUERY)).isEqualTo(ExitCode.FAILURE);
    assertThat(exit(Kind.TOO_MANY_QUERIES)).isEqualTo(ExitCode.FAILURE);
    assertThat(exit(Kind.QUERY_FAILED)).isEqualTo(ExitCode.FAILURE);
    assertThat(exit(Kind.QUERY_TIMED_OUT)).isEqualTo(ExitCode.FAILURE);
  }

  @Test
  void the_user_sees_the_message_and_the_hint_on_two_lines() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Failures.report(InsightsFailures.toCli(new InsightsException(Kind.TOO_MANY_QUERIES,
        "too many CloudWatch Logs Insights queries are running in this account and region",
        "wait for running queries to finish", List.of(), null)), new PrintStream(err, true, StandardCharsets.UTF_8),
        false);
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
        "taillight: too many CloudWatch Logs Insights queries are running in this account and region\n"
            + "  hint: wait for running queries to finish\n");
  }

  @Test
  void only_missing_credentials_region_or_network_count_as_offline() {
    assertThat(InsightsFailures.offline(SdkClientException.create("Unable to load credentials from any of the "
        + "providers in the chain"))).isTrue();
    assertThat(InsightsFailures.offline(SdkClientException.create("Unable to execute HTTP request",
        new java.net.ConnectException("Connection refused")))).isTrue();
    assertThat(InsightsFailures.offline(new IllegalStateException("x"))).isFalse();
  }
}
