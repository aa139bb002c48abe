package dev.taillight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailCommandTest {
  @TempDir Path dir;

  static Path sample(String name) {
    try {
      return Path.of(TailCommandTest.class.getResource("/samples/" + name).toURI());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private CliEnv env() {
    return CliEnv.builder().home(dir).clock(Clock.fixed(Instant.parse("2026-11-28T04:00:00Z"), ZoneOffset.UTC))
        .build();
  }

  private CliRun tail(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "tail";
    all[1] = "--store";
    all[2] = dir.resolve("index.db").toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return CliRun.run(env(), all);
  }

  @Test
  void plain_output_groups_lines_under_invocation_headers_with_report_facts() {
    CliRun r = tail("--from", sample("orders-trace.jsonl").toString(), "--no-tui");
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isEqualTo(0);
    Goldens.assertMatches("tail-orders-plain.txt", r.out());
    assertThat(r.out()).contains("OK COLD init 412.3 ms  120.5 ms  billed 533 ms  mem 87/512 MB")
        .contains("TIMEOUT  3.00 s").doesNotContain("\u001b[").doesNotContain("REPORT RequestId");
  }

  @Test
  void colours_are_on_only_when_asked_or_on_a_terminal_without_no_color() {
    String file = sample("orders-trace.jsonl").toString();
    assertThat(tail("--from", file, "--no-tui", "--color", "always").out()).contains("\u001b[1;97;41m TIMEOUT ");
    CliEnv noColor = CliEnv.builder().home(dir).terminal(true).env(Map.of("NO_COLOR", "1")).build();
    CliRun r = CliRun.run(noColor, "tail", "--no-store", "--from", file, "--no-tui");
    assertThat(r.out()).doesNotContain("\u001b[");
  }

  @Test
  void invocations_format_prints_one_documented_object_per_finished_invocation() {
    CliRun r = tail("--from", sample("orders-trace.jsonl").toString(), "--format", "invocations");
    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out().lines()).hasSize(3);
    assertThat(r.out().lines().skip(1).findFirst().orElseThrow()).isEqualTo("{\"function\":\"orders-api\","
        + "\"logGroup\":\"/aws/lambda/orders-api\","
        + "\"logStream\":\"2026/11/28/[$LATEST]aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\","
        + "\"requestId\":\"11111111-1111-4111-8111-111111111111\",\"startTime\":\"2026-11-28T03:40:01.123Z\","
        + "\"endTime\":\"2026-11-28T03:40:01.244Z\",\"coldStart\":true,\"initDurationMs\":412.3,"
        + "\"restoreDurationMs\":null,\"durationMs\":120.5,\"billedDurationMs\":533,\"memorySizeMb\":512,"
        + "\"maxMemoryUsedMb\":87,\"status\":\"ok\",\"errorType\":null,\"errorMessage\":null,"
        + "\"traceId\":\"5759e988bd862e3fe1be46a994272793\",\"costUsd\":0.00000464168,\"lineCount\":6}");
    assertThat(r.out()).contains("\"status\":\"timeout\",\"errorType\":\"Sandbox.Timedout\"");
  }

  @Test
  void json_format_prints_every_line_as_an_object() {
    CliRun r = tail("--from", sample("orders-trace.jsonl").toString(), "--format", "json");
    assertThat(r.out().lines()).hasSize(18);
    assertThat(r.out().lines().filter(l -> l.contains("\"kind\":\"span\""))).hasSize(2);
    assertThat(r.out()).contains("\"function\":\"payments\"").contains("\"level\":\"ERROR\"");
  }

  @Test
  void grep_and_exclude_filter_invocations_on_the_client() {
    CliRun r = tail("--from", sample("orders-trace.jsonl").toString(), "--no-tui", "--grep", "order 4[23]",
        "--exclude", "charging");
    assertThat(r.out()).contains("11111111-").contains("33333333-").doesNotContain("22222222-");
  }

  @Test
  void reads_stdin_with_from_dash_and_names_the_function() throws Exception {
    byte[] in = Files.readAllBytes(sample("samlogs-snapstart-java11-chatgpt-2023-06-02.log"));
    CliEnv e = CliEnv.builder().home(dir).stdin(new ByteArrayInputStream(in)).build();
    CliRun r = CliRun.run(e, "tail", "--no-store", "--from", "-", "chatgpt", "--format", "invocations");
    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out()).startsWith("{\"function\":\"chatgpt\",\"logGroup\":\"/aws/lambda/chatgpt\"")
        .contains("\"coldStart\":true").contains("\"restoreDurationMs\":398.97");
  }

  @Test
  void aws_cli_json_is_read_as_exported() {
    CliRun r = tail("--from", sample("getlogevents-cli-output-awsdocs-java-logging-2022.json").toString(),
        "--no-tui", "my-function");
    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out()).startsWith("my-function 19:30:03.171 \u250c 4ce9340a-b765-490f-ad8a-02ab3415e2bf OK  "
        + "26.7 ms  billed 27 ms  mem 75/128 MB");
  }

  @Test
  void since_and_until_limit_a_file_to_a_time_window() {
    CliRun r = tail("--from", sample("orders-trace.jsonl").toString(), "--format", "invocations",
        "--since", "2026-11-28T03:40:02Z", "--until", "2026-11-28T03:41:00Z");
    assertThat(r.out().lines()).hasSize(1);
    assertThat(r.out()).contains("33333333-");
  }

  @Test
  void a_missing_file_is_not_found_with_exit_code_3() {
    CliRun r = tail("--from", dir.resolve("nope.json").toString(), "--no-tui");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).isEqualTo("taillight: no such file: " + dir.resolve("nope.json")
        + "\n  hint: check the path given to --from\n");
  }

  @Test
  void a_bad_regex_is_a_usage_error() {
    CliRun r = tail("--from", sample("orders-trace.jsonl").toString(), "--grep", "(unclosed");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("taillight: invalid --grep regex '(unclosed': Unclosed group");
  }

  @Test
  void a_bad_since_is_a_usage_error_that_says_what_is_accepted() {
    CliRun r = tail("--from", sample("orders-trace.jsonl").toString(), "--since", "yesterday-ish");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("taillight: invalid --since 'yesterday-ish': not a time\n"
        + "  hint: write a duration back from now (10m, 2h, 7d) or a time (2026-11-28T03:00:00Z, 2026-11-28 03:00,"
        + " 2026-11-28)\n");
  }

  @Test
  void nothing_to_tail_is_a_usage_error() {
    CliRun r = tail();
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("taillight: name at least one function or log group to tail");
  }

  @Test
  void malformed_events_are_reported_and_the_rest_is_shown() throws Exception {
    Path f = dir.resolve("mixed.jsonl");
    Files.writeString(f, Files.readString(sample("orders-trace.jsonl")).replaceFirst("\n", "\n{\"broken\n"),
        StandardCharsets.UTF_8);
    CliRun r = tail("--from", f.toString(), "--format", "invocations");
    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out().lines()).hasSize(3);
    assertThat(r.err()).startsWith("taillight: warning: skipped mixed.jsonl:2: ")
        .endsWith("taillight: 1 malformed event(s) skipped\n");
  }
}
