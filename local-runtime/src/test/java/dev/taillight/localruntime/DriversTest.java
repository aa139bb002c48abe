package dev.taillight.localruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Invocation sources: events from files or stdin, generated traffic, and the manual command line. */
@Timeout(60)
class DriversTest {

  @TempDir
  Path dir;

  @Test
  void event_files_must_exist_and_hold_one_json_value() throws Exception {
    Path good = Files.writeString(dir.resolve("e.json"), "{\"a\": [1, 2]}\n");
    assertThat(Events.read(good.toString(), InputStream.nullInputStream())).isEqualTo("{\"a\": [1, 2]}\n");
    assertThat(Events.read("-", new ByteArrayInputStream("[true]".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo("[true]");
    assertThatThrownBy(() -> Events.read(dir.resolve("missing.json").toString(), InputStream.nullInputStream()))
        .hasMessage("event file not found: " + dir.resolve("missing.json"));
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"a\":\n  nope}");
    assertThatThrownBy(() -> Events.read(bad.toString(), InputStream.nullInputStream()))
        .hasMessageStartingWith("the event in " + bad + " is not JSON (line 2, column ");
    Path binary = Files.write(dir.resolve("bin.json"), new byte[] {(byte) 0xff, (byte) 0xfe});
    assertThatThrownBy(() -> Events.read(binary.toString(), InputStream.nullInputStream()))
        .hasMessage("the event in " + binary + " is not UTF-8 text");
    assertThatThrownBy(() -> Events.checkJson("{} {}", "x")).hasMessageContaining("more than one JSON value");
  }

  @Test
  void rates_parse_per_second_and_per_minute() {
    assertThat(RateDriver.Rate.parse("5/s").perSecond()).isEqualTo(5.0);
    assertThat(RateDriver.Rate.parse("120/m").perSecond()).isEqualTo(2.0);
    assertThat(RateDriver.Rate.parse("0.5").perSecond()).isEqualTo(0.5);
    assertThatThrownBy(() -> RateDriver.Rate.parse("fast")).hasMessageContaining("5/s");
    assertThatThrownBy(() -> RateDriver.Rate.parse("0/s")).hasMessageContaining("above 0");
  }

  @Test
  void generated_bursts_beyond_the_concurrency_limit_are_throttled_and_the_rest_run() {
    InMemorySink sink = new InMemorySink();
    try (LocalRuntime rt = LocalRuntime.builder()
        .function(FunctionConfig.builder(LocalRuntimeTest.HANDLER).classpath(LocalRuntimeTest.CODE).build())
        .sink(sink).maxConcurrency(1).random(new Random(5)).reapIdleInBackground(false).build()) {
      RateDriver.Report r = RateDriver.run(rt, i -> "{\"action\":\"sleep\",\"ms\":300,\"i\":" + i + "}",
          RateDriver.Rate.parse("2/s"), 3, 6);
      assertThat(r.started()).isEqualTo(6);
      assertThat(r.succeeded() + r.throttled()).isEqualTo(6);
      assertThat(r.throttled()).isPositive();
      assertThat(r.succeeded()).isPositive();
      assertThat(r.coldStarts()).isEqualTo(1);
      assertThat(sink.streams()).hasSize(1);
    }
  }

  @Test
  void command_line_runs_an_event_file_and_reports_bad_usage_clearly() throws Exception {
    Path event = Files.writeString(dir.resolve("e.json"), "{\"action\":\"hello\"}");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path jsonl = dir.resolve("out.jsonl");
    int status = Main.run(new String[] {"--jar", LocalRuntimeTest.CODE.toString(), "--handler",
        LocalRuntimeTest.HANDLER, "--event", event.toString(), "--memory", "256", "--timeout", "5s", "--jsonl",
        jsonl.toString()}, InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(printed).contains(" START RequestId: ", " hello from stdout ", "\tMemory Size: 256 MB\t");
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("SUCCESS ").contains(" cold ");
    assertThat(Files.readAllLines(jsonl)).anySatisfy(l -> assertThat(l).contains("\"message\":\"START RequestId: "));

    ByteArrayOutputStream err2 = new ByteArrayOutputStream();
    int bad = Main.run(new String[] {"--jar", "/nonexistent/fn.jar", "--handler", "a.B::c"},
        InputStream.nullInputStream(), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err2, true, StandardCharsets.UTF_8));
    assertThat(bad).isEqualTo(2);
    assertThat(err2.toString(StandardCharsets.UTF_8).strip())
        .isEqualTo("taillight run: function code not found: /nonexistent/fn.jar");
  }
}
