package dev.taillight.collector.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.LineKind;
import dev.taillight.testing.Samples;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppLineParsingTest {
  private final LineParser parser = LineParser.create();

  @Test
  void lambda_text_format_gives_request_id_level_and_message() {
    String line = Samples.lines(AppLineParsingTest.class, "samples/awsdocs-lambda-devguide-2022-examples.log")
        .get(3);
    ParsedLine p = parser.parse(line);
    assertThat(p.kind()).isEqualTo(LineKind.APP);
    assertThat(p.requestId()).isEqualTo("c793869b-ee49-115b-a5b6-4fd21e8dedac");
    assertThat(p.level()).isEqualTo("WARN");
    assertThat(p.text()).isEqualTo("Event not processed.");
  }

  @Test
  void log4j2_lambda_appender_lines_give_request_id_and_level() {
    List<ParsedLine> lines = Samples.lines(AppLineParsingTest.class,
        "samples/java11-log4j2-lambdaappender-lines-from-samlogs.log").stream().map(parser::parse).toList();
    assertThat(lines).allSatisfy(p -> {
      assertThat(p.kind()).isEqualTo(LineKind.APP);
      assertThat(p.requestId()).matches("[0-9a-f-]{36}");
      assertThat(p.level()).isIn("DEBUG", "INFO");
    });
    assertThat(lines.get(1).requestId()).isEqualTo("b771fecc-1b53-4faf-922d-1d74357b1676");
    assertThat(lines.get(1).text()).isEqualTo("AbstractFlow:219 - New Inbound Call, starting flow");
    assertThat(lines.get(2).level()).isEqualTo("INFO");
  }

  @Test
  void python_level_prefix_format_is_read() {
    ParsedLine p = parser.parse("[ERROR]\t2024-05-20T16:29:45.009Z\t4b142fc3-17b8-4cdb-a46b-a8dbe7918715\t"
        + "payment failed");
    assertThat(p.level()).isEqualTo("ERROR");
    assertThat(p.requestId()).isEqualTo("4b142fc3-17b8-4cdb-a46b-a8dbe7918715");
    assertThat(p.text()).isEqualTo("payment failed");
  }

  @Test
  void node_json_format_line_gives_request_id_level_and_message() {
    String line = Samples.lines(AppLineParsingTest.class, "samples/nodejs18-jsonformat-logresult-2024-05-20.jsonl")
        .get(4);
    ParsedLine p = parser.parse(line);
    assertThat(p.kind()).isEqualTo(LineKind.APP);
    assertThat(p.requestId()).isEqualTo("4b142fc3-17b8-4cdb-a46b-a8dbe7918715");
    assertThat(p.level()).isEqualTo("INFO");
    assertThat(p.text()).isEqualTo("ENV 2024-05-20T16:29:42.891Z");
  }

  @Test
  void java_lambda_logger_json_uses_aws_request_id() {
    ParsedLine p = parser.parse("{\"timestamp\":\"2024-05-20T16:29:45.009Z\",\"level\":\"WARN\",\"message\":"
        + "\"stock low\",\"logger\":\"com.example.Handler\",\"AWSRequestId\":\"4b142fc3-17b8-4cdb-a46b-a8dbe7918715\"}");
    assertThat(p.requestId()).isEqualTo("4b142fc3-17b8-4cdb-a46b-a8dbe7918715");
    assertThat(p.level()).isEqualTo("WARN");
    assertThat(p.text()).isEqualTo("stock low");
  }

  @Test
  void powertools_json_uses_function_request_id() {
    ParsedLine p = parser.parse("{\"level\":\"INFO\",\"location\":\"handler:12\",\"message\":\"Collecting payment\","
        + "\"timestamp\":\"2024-05-20 16:29:45,009+0000\",\"service\":\"payment\",\"cold_start\":true,"
        + "\"function_name\":\"orders-api\",\"function_memory_size\":128,\"function_arn\":\"arn:aws:lambda:"
        + "us-east-1:123456789012:function:orders-api\",\"function_request_id\":"
        + "\"4b142fc3-17b8-4cdb-a46b-a8dbe7918715\",\"xray_trace_id\":\"1-5759e988-bd862e3fe1be46a994272793\"}");
    assertThat(p.requestId()).isEqualTo("4b142fc3-17b8-4cdb-a46b-a8dbe7918715");
    assertThat(p.level()).isEqualTo("INFO");
    assertThat(p.text()).isEqualTo("Collecting payment");
  }

  @Test
  void runtime_error_record_gives_error_type_and_message() {
    ParsedLine p = parser.parse("{\"errorMessage\":\"card declined\",\"errorType\":\"java.lang.IllegalStateException\","
        + "\"stackTrace\":[\"com.example.Handler.handleRequest(Handler.java:31)\"]}");
    assertThat(p.errorType()).isEqualTo("java.lang.IllegalStateException");
    assertThat(p.errorMessage()).isEqualTo("card declined");
    assertThat(p.level()).isEqualTo("ERROR");
  }

  @Test
  void multi_line_stack_trace_in_one_event_stays_one_line_with_its_level() {
    ParsedLine p = parser.parse("2024-05-20T16:29:45.009Z\t4b142fc3-17b8-4cdb-a46b-a8dbe7918715\tERROR\t"
        + "java.lang.IllegalStateException: boom\n\tat com.example.Handler.handle(Handler.java:12)\n\tat "
        + "java.base/java.lang.Thread.run(Thread.java:840)\n");
    assertThat(p.level()).isEqualTo("ERROR");
    assertThat(p.text()).startsWith("java.lang.IllegalStateException: boom\n\tat com.example")
        .endsWith("Thread.java:840)");
  }

  @Test
  void getlogevents_java_lines_with_carriage_returns_keep_their_text() {
    ParsedLine p = parser.parse("2019-06-05T19:30:03.173Z\t4ce9340a-b765-490f-ad8a-02ab3415e2bf\tINFO\tEVENT\r{\r  "
        + "\"key\": \"value\"\r}\n");
    assertThat(p.requestId()).isEqualTo("4ce9340a-b765-490f-ad8a-02ab3415e2bf");
    assertThat(p.text()).isEqualTo("EVENT\r{\r  \"key\": \"value\"\r}");
  }

  @Test
  void truncated_json_is_kept_whole_as_app_line_and_flagged() {
    String cut = "{\"level\":\"INFO\",\"message\":\"this record was cut by the 256 KB lim";
    ParsedLine p = parser.parse(cut);
    assertThat(p.kind()).isEqualTo(LineKind.APP);
    assertThat(p.failure()).isEqualTo(ParseFailure.MALFORMED_JSON);
    assertThat(p.text()).isEqualTo(cut);
  }

  @Test
  void plain_lines_and_odd_input_never_throw() {
    for (String s : List.of("", " ", "{", "}", "[", "[INFO", "{\"a\":", "\u0000\u0001", "START", "REPORT RequestId:",
        "REPORT RequestId: x Duration: ms", "RequestId: x Error:", "INIT_REPORT Init Duration:",
        "{\"__otel_otlp_stdout\":\"1\",\"payload\":\"!!!\"}", "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{}]}]}]}",
        "{\"type\":\"platform.report\"}", "Task timed out after")) {
      ParsedLine p = parser.parse(s);
      assertThat(p).as(s).isNotNull();
      assertThat(p.text()).as(s).isNotNull();
    }
  }

  @Test
  void a_json_request_id_that_is_not_a_lambda_request_id_is_ignored() {
    ParsedLine p = parser.parse("{\"level\":\"INFO\",\"message\":\"GET /orders\",\"requestId\":\"req-42\"}");
    assertThat(p.requestId()).isNull();
    assertThat(p.text()).isEqualTo("GET /orders");
  }
}
