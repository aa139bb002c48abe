package dev.taillight.collector.insights;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;

/** Result rows as Logs Insights returns them (fields documented in the GetQueryResults and ResultField API). */
class ResultRowsTest {
  static ResultField f(String field, String value) {
    return ResultField.builder().field(field).value(value).build();
  }

  @Test
  void a_row_from_logs_insights_names_group_stream_time_and_request() {
    MatchedLine m = QueryRunner.line(List.of(f("@timestamp", "2026-11-28 10:00:01.250"),
        f("@message", "REPORT RequestId: r1\tDuration: 3.00 ms"), f("@logStream", "2026/11/28/[$LATEST]abc"),
        f("@log", "123456789012:/aws/lambda/orders-api"), f("@requestId", "r1"), f("@ptr", "CmAKJgoi")));
    assertThat(m).isEqualTo(new MatchedLine("/aws/lambda/orders-api", "2026/11/28/[$LATEST]abc",
        Instant.parse("2026-11-28T10:00:01.250Z").toEpochMilli(), "r1", "REPORT RequestId: r1\tDuration: 3.00 ms",
        "CmAKJgoi"));
  }

  @Test
  void a_custom_log_group_with_a_colon_keeps_its_name() {
    assertThat(QueryRunner.logGroupName("123456789012:/custom/orders:v2")).isEqualTo("/custom/orders:v2");
    assertThat(QueryRunner.logGroupName("/custom/orders:v2")).isEqualTo("/custom/orders:v2");
  }

  @Test
  void a_row_without_time_group_or_stream_is_skipped_never_thrown() {
    assertThat(QueryRunner.line(List.of(f("@timestamp", "yesterday"), f("@log", "g"), f("@logStream", "s"))))
        .isNull();
    assertThat(QueryRunner.line(List.of(f("@timestamp", "1795837200703"), f("@log", "g")))).isNull();
    assertThat(QueryRunner.line(List.of(f(null, "x"), f("@timestamp", "1795837200703"), f("@log", "g"),
        f("@logStream", "s")))).extracting(MatchedLine::timestamp).isEqualTo(1795837200703L);
  }
}
