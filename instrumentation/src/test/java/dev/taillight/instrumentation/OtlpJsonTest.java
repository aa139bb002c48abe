package dev.taillight.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {
  private final Tracers t = new Tracers();

  private static SpanRecord span() {
    SpanRecord s = new SpanRecord();
    s.traceIdHigh = 0x0af7651916cd43ddL;
    s.traceIdLow = 0x8448eb211c80319cL;
    s.spanId = 0xb7ad6b7169203331L;
    s.name = "orders";
    s.kind = SpanRecord.KIND_SERVER;
    s.startNanos = 1_795_838_400_000_000_000L;
    s.endNanos = 1_795_838_400_037_000_000L;
    return s;
  }

  private static SpanLine render(SpanRecord s) {
    JsonOut out = new JsonOut(64);
    JsonOut.otlpLine(out, JsonOut.otlpResource(new Object[] {"service.name", "orders"}), s);
    return SpanLine.parse(out.toString());
  }

  @Test
  void strings_with_quotes_control_chars_and_unicode_round_trip() {
    SpanRecord s = span();
    String nasty = "a\"b\\c\nd\te\u0001f\u00e9\u65e5\ud83d\ude00 \u007f end";
    s.set("x", nasty);
    s.set("lone", "\ud800x");
    SpanLine line = render(s);
    assertThat(line.attr("x")).isEqualTo(nasty);
    assertThat(line.attr("lone")).isEqualTo("\ufffdx");
  }

  @Test
  void numbers_are_strings_for_ints_and_plain_decimals_for_doubles() {
    SpanRecord s = span();
    s.set("i", -42L);
    s.set("big", Long.MAX_VALUE);
    s.set("d", (Object) 0.000007591681);
    s.set("whole", (Object) 3.0);
    s.set("list", List.of("a", "b"));
    SpanLine line = render(s);
    assertThat(line.text).contains("{\"intValue\":\"-42\"}").contains("{\"doubleValue\":0.000007591681}")
        .contains("{\"doubleValue\":3}");
    assertThat(line.attr("big")).isEqualTo(Long.MAX_VALUE);
    assertThat(line.attr("d")).isEqualTo(0.000007591681);
    assertThat(line.attr("list")).isEqualTo(List.of("a", "b"));
    JsonNode sp = line.invocation();
    assertThat(sp.path("startTimeUnixNano").isTextual()).isTrue();
    assertThat(sp.path("startTimeUnixNano").asText()).isEqualTo("1795838400000000000");
  }

  @Test
  void huge_error_and_batch_stay_under_the_cloudwatch_limit_and_count_what_was_cut() throws Exception {
    StringBuilder records = new StringBuilder("{\"Records\":[");
    for (int i = 0; i < 3000; i++) {
      if (i > 0) {
        records.append(',');
      }
      records.append("{\"messageId\":\"m-").append(i).append("\",\"eventSource\":\"aws:sqs\",")
          .append("\"eventSourceARN\":\"arn:aws:sqs:us-east-1:123456789012:orders\",")
          .append("\"messageAttributes\":{\"traceparent\":{\"stringValue\":\"00-0af7651916cd43dd8448eb211c80319c-")
          .append(String.format("%016x", i + 1)).append("-01\",\"dataType\":\"String\"}}}");
    }
    records.append("]}");
    String hugeMessage = "x".repeat(1_000_000);
    Tracer tracer = t.build();
    RequestHandler<Object, Object> h = Taillight.wrap((in, c) -> {
      throw new IllegalArgumentException(hugeMessage, deep(2000));
    }, tracer);
    Object event = JsonTree.parse(records.toString());
    assertThatThrownBy(() -> h.handleRequest(event, FakeLambdaContext.create("big"))).hasMessage(hugeMessage);

    String text = t.writer.only();
    assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(256 * 1024 - 26);
    SpanLine line = SpanLine.parse(text);
    assertThat((Long) line.attr("aws.lambda.truncated")).isGreaterThan(1_000_000L - 8192);
    assertThat(line.attr("messaging.batch.message_count")).isEqualTo(3000L);
    assertThat(line.invocation().path("status").path("code").asInt()).isEqualTo(2);
  }

  @Test
  void a_line_of_many_huge_attributes_drops_links_then_events_but_stays_valid() {
    SpanRecord s = span();
    for (int i = 0; i < 40; i++) {
      s.set("attr." + i, "y".repeat(20_000)); // each cut to 8192 chars: 40 * 8 KB = 320 KB of values
    }
    s.recordException(new RuntimeException("z".repeat(50_000)), s.endNanos);
    for (int i = 0; i < 600; i++) {
      s.addLink(new SpanRecord.Link(1, 2, i + 1, null, new Object[] {"messaging.message.id", "m" + i}));
    }
    JsonOut out = new JsonOut(64);
    JsonOut.otlpLine(out, JsonOut.otlpResource(new Object[] {"service.name", "orders"}), s);
    assertThat(out.length()).isGreaterThan(JsonOut.MAX_LINE_BYTES); // attributes alone exceed: reported
    SpanLine line = SpanLine.parse(out.toString());
    assertThat(line.invocation().has("links")).isFalse();
    assertThat(line.invocation().has("events")).isFalse();
    assertThat((Long) line.attr("aws.lambda.truncated")).isGreaterThan(40L * (20_000 - 8192));
  }

  @Test
  void child_spans_come_first_and_point_at_the_invocation_span() {
    Tracer tracer = t.build();
    Taillight.wrap((in, c) -> "ok", tracer).handleRequest(Map.of(), FakeLambdaContext.create("r"));
    SpanLine line = SpanLine.parse(t.writer.only());
    assertThat(line.spans).hasSize(2);
    assertThat(line.spans.get(0).path("name").asText()).isEqualTo("init");
    assertThat(line.spans.get(1)).isEqualTo(line.invocation());
  }

  private static Throwable deep(int depth) {
    try {
      return recurse(depth);
    } catch (StackOverflowError e) {
      return e;
    }
  }

  private static Throwable recurse(int n) {
    return n == 0 ? new IllegalStateException("cause") : recurse(n - 1);
  }
}
