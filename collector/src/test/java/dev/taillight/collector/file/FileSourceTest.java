package dev.taillight.collector.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.LogSink;
import dev.taillight.collector.RawEvent;
import dev.taillight.testing.Samples;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {

  /** Collects what a source delivers. */
  static final class Collected implements LogSink {
    final List<RawEvent> events = new ArrayList<>();

    @Override
    public synchronized void accept(RawEvent event) {
      events.add(event);
    }
  }

  private static FileSource.Builder sample(String name) {
    return FileSource.builder(name, new ByteArrayInputStream(
        Samples.resource(FileSourceTest.class, "samples/" + name).getBytes(StandardCharsets.UTF_8)));
  }

  private static Collected read(FileSource source) {
    Collected c = new Collected();
    source.run(c);
    assertThat(source.isFinished()).isTrue();
    return c;
  }

  private static FileSource text(String content, FileSource.Builder... ignored) {
    return FileSource.builder("input", new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)))
        .functionName("orders").build();
  }

  @Test
  void filter_log_events_cli_output_keeps_streams_times_and_ids() {
    FileSource source = sample("filterlogevents-cli-example-awscli.json").functionName("orders").build();
    List<RawEvent> events = read(source).events;

    assertThat(source.detectedFormat()).isEqualTo(FileSource.Format.AWS_JSON);
    assertThat(events).containsExactly(
        new RawEvent("/aws/lambda/orders", "teststream", 1712567843827L, 1712567844822L,
            "00091539120382912324200901570000096855579456010247667712", "Test MESSAGE1"),
        new RawEvent("/aws/lambda/orders", "2024/05/09/[$LATEST]abc1024", 1712568068991L, 1712568070017L,
            "00001544141707904000000130886135001961903807164184002560", "Test MESSAGE2"));
    assertThat(source.skipped()).isZero();
  }

  @Test
  void get_log_events_output_takes_stream_from_options_and_drops_trailing_newline() {
    FileSource source = sample("getlogevents-cli-output-awsdocs-java-logging-2022.json")
        .logGroup("/custom/group").logStream("2019/06/05/[$LATEST]abc").build();
    List<RawEvent> events = read(source).events;

    assertThat(events).hasSize(5);
    assertThat(events).allSatisfy(e -> {
      assertThat(e.logGroup()).isEqualTo("/custom/group");
      assertThat(e.logStream()).isEqualTo("2019/06/05/[$LATEST]abc");
    });
    assertThat(events.get(0).message()).isEqualTo("START RequestId: 4ce9340a-b765-490f-ad8a-02ab3415e2bf Version: $LATEST");
    assertThat(events.get(1).message()).contains("\r{\r  \"AWS_LAMBDA_FUNCTION_VERSION\"").endsWith("...");
    assertThat(events.get(4).ingestionTime()).isEqualTo(1559763018353L);
    assertThat(events).extracting(RawEvent::eventId).doesNotHaveDuplicates()
        .first().isEqualTo(RawEvent.syntheticId("/custom/group", "2019/06/05/[$LATEST]abc", 1559763003171L,
            "START RequestId: 4ce9340a-b765-490f-ad8a-02ab3415e2bf Version: $LATEST"));
  }

  @Test
  void sam_logs_lines_split_into_stream_time_and_message() {
    FileSource source = sample("samlogs-snapstart-java11-chatgpt-2023-06-02.log").functionName("chatgpt").build();
    List<RawEvent> events = read(source).events;

    assertThat(source.detectedFormat()).isEqualTo(FileSource.Format.TEXT);
    assertThat(events).hasSize(16);
    RawEvent first = events.get(0);
    assertThat(first.logGroup()).isEqualTo("/aws/lambda/chatgpt");
    assertThat(first.logStream()).isEqualTo("2023/06/02/[72]88ab219a63d343d294d0a9947e8ab36a");
    assertThat(first.timestamp()).isEqualTo(java.time.Instant.parse("2023-06-02T11:27:22.355Z").toEpochMilli());
    assertThat(first.message()).startsWith("RESTORE_START Runtime Version: java:11.v20\tRuntime Version ARN:");
    assertThat(events.get(14).message()).isEqualTo("END RequestId: 8c360c87-d4b7-4423-b5f3-af02be3c1763");
    assertThat(events.get(15).message()).startsWith("REPORT RequestId: 8c360c87-d4b7-4423-b5f3-af02be3c1763\t");
    assertThat(events).extracting(RawEvent::eventId).doesNotHaveDuplicates();
  }

  @Test
  void lambda_json_log_lines_are_messages_with_their_own_time() {
    FileSource source = sample("nodejs18-jsonformat-logresult-2024-05-20.jsonl").functionName("cold").build();
    List<RawEvent> events = read(source).events;

    assertThat(source.detectedFormat()).isEqualTo(FileSource.Format.TEXT);
    assertThat(events).hasSize(7);
    assertThat(events.get(0).message()).startsWith("{\"time\":\"2024-05-20T16:29:44.833Z\",\"type\":\"platform.initStart\"");
    assertThat(events.get(0).timestamp()).isEqualTo(java.time.Instant.parse("2024-05-20T16:29:44.833Z").toEpochMilli());
    assertThat(events.get(4).timestamp()).isEqualTo(java.time.Instant.parse("2024-05-20T16:29:45.009Z").toEpochMilli());
    assertThat(events.get(0).logStream()).isEqualTo("nodejs18-jsonformat-logresult-2024-05-20.jsonl");
  }

  @Test
  void bare_lines_inherit_the_previous_time_and_identical_lines_stay_distinct() {
    FileSource source = sample("awsdocs-lambda-devguide-2022-examples.log").functionName("docs").build();
    List<RawEvent> events = read(source).events;

    List<String> lines = Samples.lines(FileSourceTest.class, "samples/awsdocs-lambda-devguide-2022-examples.log")
        .stream().filter(l -> !l.isBlank()).toList();
    assertThat(events).extracting(RawEvent::message).containsExactlyElementsOf(lines);
    assertThat(events.get(0).timestamp()).isZero();
    assertThat(events.get(1).timestamp()).isEqualTo(java.time.Instant.parse("2019-06-07T19:11:20.562Z").toEpochMilli());
    assertThat(events.get(4).timestamp()).isEqualTo(events.get(3).timestamp());
    assertThat(events).extracting(RawEvent::eventId).doesNotHaveDuplicates();
  }

  @Test
  void malformed_json_lines_are_reported_by_line_and_the_rest_is_read() {
    String input = """
        {"logGroup":"/aws/lambda/a","logStream":"s","timestamp":1000,"ingestionTime":1001,"eventId":"1","message":"one"}
        {"logGroup":"/aws/lambda/a","logStream":"s","timestamp":1001,"eventId":"2","message":
        {"logGroup":"/aws/lambda/a","logStream":"s","eventId":"3","message":"no time"}
        [1,2]
        {"logGroup":"/aws/lambda/a","logStream":"s","timestamp":"yesterday","eventId":"4","message":"bad time"}

        {"logGroup":"/aws/lambda/a","logStream":"s","timestamp":1005,"eventId":"5","message":"five"}
        """;
    List<String> reported = new ArrayList<>();
    FileSource source = FileSource.builder("events.jsonl", new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)))
        .onError(reported::add).build();
    List<RawEvent> events = read(source).events;

    assertThat(source.detectedFormat()).isEqualTo(FileSource.Format.JSON_LINES);
    assertThat(events).extracting(RawEvent::message).containsExactly("one", "five");
    assertThat(source.skipped()).isEqualTo(4);
    assertThat(reported).hasSize(4);
    assertThat(reported.get(0)).startsWith("events.jsonl:2: not a JSON event object");
    assertThat(reported.get(1)).isEqualTo("events.jsonl:3: event has no \"timestamp\"; skipped");
    assertThat(reported.get(2)).startsWith("events.jsonl:4: expected a JSON event object");
    assertThat(reported.get(3)).isEqualTo(
        "events.jsonl:5: event \"timestamp\" \"yesterday\" is neither epoch milliseconds nor an ISO-8601 time; skipped");
    assertThat(source.status().message()).startsWith("4 malformed events skipped; first: events.jsonl:2:");
  }

  @Test
  void broken_cli_document_reports_the_line_and_keeps_events_before_it() {
    String input = """
        {
            "events": [
                {"logStreamName": "s", "timestamp": 1, "message": "ok", "eventId": "a"},
                {"logStreamName": "s", "message": "no time", "eventId": "b"},
                {"logStreamName": "s", "timestamp": 3, "message": "three", "eventId": "c"},
                {"logStreamName": "s", "timestamp": 4, "message": "cut off
        """;
    List<String> reported = new ArrayList<>();
    FileSource source = FileSource.builder("page.json", new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)))
        .functionName("f").onError(reported::add).build();
    List<RawEvent> events = read(source).events;

    assertThat(events).extracting(RawEvent::message).containsExactly("ok", "three");
    assertThat(reported).hasSize(2);
    assertThat(reported.get(0)).isEqualTo("page.json:4: event has no \"timestamp\"; skipped");
    assertThat(reported.get(1)).startsWith("page.json:6: not valid JSON");
  }

  @Test
  void json_lines_sink_output_reads_back_identically(@TempDir Path dir) {
    List<RawEvent> original = List.of(
        new RawEvent("/aws/lambda/a", "2024/01/01/[$LATEST]x", 1000, 1500, "id-1", "START RequestId: r1"),
        new RawEvent("/aws/lambda/a", "2024/01/01/[$LATEST]x", 1001, 1500, "id-2", "multi\rline \"quoted\" \t tab"),
        new RawEvent("/aws/lambda/b", "s", 999, 0, "id-3", "{\"level\":\"INFO\",\"message\":\"json inside\"}"),
        new RawEvent("/aws/lambda/b", "s", 999, 0, "id-4", ""));
    Path file = dir.resolve("out/tail.jsonl");
    try (JsonLinesSink sink = JsonLinesSink.toFile(file)) {
      original.forEach(sink::accept);
    }

    FileSource source = FileSource.create(file);
    assertThat(read(source).events).containsExactlyElementsOf(original);
    assertThat(source.detectedFormat()).isEqualTo(FileSource.Format.JSON_LINES);
  }

  @Test
  void json_lines_sink_writes_one_object_per_line() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonLinesSink sink = JsonLinesSink.toStream(out)) {
      sink.accept(new RawEvent("/aws/lambda/a", "s", 5, 6, "e1", "line\nwith newline"));
      sink.accept(RawEvent.of("/aws/lambda/a", "s", 7, "x"));
      assertThat(sink.written()).isEqualTo(2);
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
        "{\"logGroup\":\"/aws/lambda/a\",\"logStream\":\"s\",\"timestamp\":5,\"ingestionTime\":6,\"eventId\":\"e1\","
            + "\"message\":\"line\\nwith newline\"}\n"
            + "{\"logGroup\":\"/aws/lambda/a\",\"logStream\":\"s\",\"timestamp\":7,\"ingestionTime\":0,\"eventId\":\""
            + RawEvent.syntheticId("/aws/lambda/a", "s", 7, "x") + "\",\"message\":\"x\"}\n");
  }

  @Test
  void closed_json_lines_sink_rejects_events() {
    JsonLinesSink sink = JsonLinesSink.toStream(new ByteArrayOutputStream());
    sink.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sink.accept(RawEvent.of("g", "s", 1, "m")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void the_same_event_twice_is_delivered_once() {
    String doc = "{\"events\":[{\"logStreamName\":\"s\",\"timestamp\":1,\"message\":\"a\",\"eventId\":\"x\"}]}\n";
    FileSource source = text(doc + doc);
    assertThat(read(source).events).hasSize(1);
    assertThat(source.status().duplicatesDropped()).isEqualTo(1);
    assertThat(source.status().eventsDelivered()).isEqualTo(1);
  }

  @Test
  void start_reads_in_the_background_until_finished(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("f.log");
    Files.writeString(file, "2023/06/02/[1]abc 2023-06-02T11:27:22.355000 hello\nsecond line\n");
    Collected c = new Collected();
    try (FileSource source = FileSource.builder(file.toString()).functionName("f").build()) {
      source.start(c);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!source.isFinished() && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
      assertThat(source.isFinished()).isTrue();
    }
    assertThat(c.events).extracting(RawEvent::message).containsExactly("hello", "second line");
    assertThat(c.events.get(1).logStream()).isEqualTo("f.log");
  }

  @Test
  void missing_file_is_reported_not_thrown(@TempDir Path dir) {
    List<String> reported = new ArrayList<>();
    FileSource source = FileSource.builder(dir.resolve("nope.json")).onError(reported::add).build();
    assertThat(read(source).events).isEmpty();
    assertThat(reported).singleElement().asString().startsWith("nope.json: cannot read").contains("nope.json");
  }
}
