package dev.taillight.collector.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.LineKind;
import dev.taillight.collector.parse.PlatformRecord.Type;
import dev.taillight.testing.Samples;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformLineParsingTest {
  private final LineParser parser = LineParser.create();

  private List<String> sample(String name) {
    return Samples.lines(PlatformLineParsingTest.class, "samples/" + name);
  }

  private PlatformRecord platform(String line) {
    ParsedLine p = parser.parse(line);
    assertThat(p.kind()).as(line).isEqualTo(LineKind.PLATFORM);
    return p.platform();
  }

  @Test
  void tab_separated_report_gives_every_field_by_label() {
    String line = sample("awsdocs-lambda-devguide-2022-examples.log").get(5);
    PlatformRecord r = platform(line);
    assertThat(r.type()).isEqualTo(Type.REPORT);
    assertThat(r.requestId()).isEqualTo("c793869b-ee49-115b-a5b6-4fd21e8dedac");
    assertThat(r.durationMs()).isEqualTo(128.83);
    assertThat(r.billedDurationMs()).isEqualTo(200.0);
    assertThat(r.memorySizeMb()).isEqualTo(128);
    assertThat(r.maxMemoryUsedMb()).isEqualTo(74);
    assertThat(r.initDurationMs()).isEqualTo(166.62);
    assertThat(r.segmentId()).isEqualTo("3d752xmpl1bbe37e");
    assertThat(r.sampled()).isTrue();
    // the docs anonymised this trace id with "xmpl": not hex, so it is not a trace id
    assertThat(r.traceId()).isNull();
  }

  @Test
  void report_with_runs_of_spaces_instead_of_tabs_reads_the_same_fields() {
    String line = sample("awsdocs-lambda-devguide-2022-examples.log").stream()
        .filter(l -> l.startsWith("REPORT RequestId: 57f231fb")).findFirst().orElseThrow();
    PlatformRecord r = platform(line);
    assertThat(r.durationMs()).isEqualTo(79.67);
    assertThat(r.billedDurationMs()).isEqualTo(80.0);
    assertThat(r.memorySizeMb()).isEqualTo(128);
    assertThat(r.maxMemoryUsedMb()).isEqualTo(73);
    assertThat(r.initDurationMs()).isNull();
  }

  @Test
  void report_with_single_space_between_unit_and_next_label_is_read_by_label() {
    String line = sample("awsdocs-lambda-devguide-2022-examples.log").stream()
        .filter(l -> l.startsWith("REPORT RequestId: 3604209a")).findFirst().orElseThrow();
    PlatformRecord r = platform(line);
    assertThat(r.billedDurationMs()).isEqualTo(100.0);
    assertThat(r.memorySizeMb()).isEqualTo(128);
    assertThat(r.maxMemoryUsedMb()).isEqualTo(18);
  }

  @Test
  void xray_part_on_its_own_line_is_an_xray_record() {
    List<String> lines = sample("awsdocs-lambda-devguide-2022-examples.log");
    int i = lines.indexOf(lines.stream().filter(l -> l.startsWith("REPORT RequestId: d1cf0ccb")).findFirst()
        .orElseThrow());
    PlatformRecord report = platform(lines.get(i));
    assertThat(report.initDurationMs()).isEqualTo(841.60);
    PlatformRecord xray = platform(lines.get(i + 1));
    assertThat(xray.type()).isEqualTo(Type.XRAY);
    assertThat(xray.segmentId()).isEqualTo("0152xmpl6016310f");
    assertThat(xray.sampled()).isTrue();
  }

  @Test
  void report_and_xray_in_one_event_with_a_line_break_give_the_hex_trace_id() {
    PlatformRecord r = platform("REPORT RequestId: 4ce9340a-b765-490f-ad8a-02ab3415e2bf\tDuration: 26.73 ms\t"
        + "Billed Duration: 27 ms\tMemory Size: 128 MB\tMax Memory Used: 75 MB\t\n"
        + "XRAY TraceId: 1-5759e988-bd862e3fe1be46a994272793\tSegmentId: 53995c3f42cd8ad8\tSampled: true\t\n");
    assertThat(r.durationMs()).isEqualTo(26.73);
    assertThat(r.traceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(r.segmentId()).isEqualTo("53995c3f42cd8ad8");
  }

  @Test
  void getlogevents_messages_with_trailing_newline_parse() {
    PlatformRecord r = platform("REPORT RequestId: 4ce9340a-b765-490f-ad8a-02ab3415e2bf\tDuration: 26.73 ms\t"
        + "Billed Duration: 27 ms \tMemory Size: 128 MB\tMax Memory Used: 75 MB\t\n");
    assertThat(r.billedDurationMs()).isEqualTo(27.0);
    assertThat(r.maxMemoryUsedMb()).isEqualTo(75);
    PlatformRecord start = platform("START RequestId: 4ce9340a-b765-490f-ad8a-02ab3415e2bf Version: $LATEST\n");
    assertThat(start.type()).isEqualTo(Type.START);
    assertThat(start.requestId()).isEqualTo("4ce9340a-b765-490f-ad8a-02ab3415e2bf");
    assertThat(start.version()).isEqualTo("$LATEST");
  }

  @Test
  void snapstart_restore_lines_and_report_with_restore_durations() {
    List<String> messages = sample("samlogs-snapstart-java11-chatgpt-2023-06-02.log").stream()
        .map(PlatformLineParsingTest::withoutSamPrefix).toList();
    PlatformRecord restoreStart = platform(messages.get(0));
    assertThat(restoreStart.type()).isEqualTo(Type.RESTORE_START);
    assertThat(restoreStart.runtimeVersion()).isEqualTo("java:11.v20");
    PlatformRecord restoreReport = platform(messages.get(1));
    assertThat(restoreReport.type()).isEqualTo(Type.RESTORE_REPORT);
    assertThat(restoreReport.restoreDurationMs()).isEqualTo(398.97);
    PlatformRecord report = platform(messages.get(messages.size() - 1));
    assertThat(report.type()).isEqualTo(Type.REPORT);
    assertThat(report.durationMs()).isEqualTo(2338.66);
    assertThat(report.billedDurationMs()).isEqualTo(2521.0);
    assertThat(report.memorySizeMb()).isEqualTo(3009);
    assertThat(report.maxMemoryUsedMb()).isEqualTo(173);
    assertThat(report.restoreDurationMs()).isEqualTo(398.97);
    assertThat(report.billedRestoreDurationMs()).isEqualTo(182.0);
  }

  @Test
  void init_report_variants_give_duration_phase_status_and_error_type() {
    List<PlatformRecord> r = sample("init-report-variants.log").stream().map(this::platform).toList();
    assertThat(r).extracting(PlatformRecord::type).containsOnly(Type.INIT_REPORT);
    assertThat(r.get(0).initDurationMs()).isEqualTo(8431.38);
    assertThat(r.get(0).phase()).isEqualTo("invoke");
    assertThat(r.get(0).status()).isEqualTo("error");
    assertThat(r.get(0).errorType()).isEqualTo("Runtime.ExitError");
    assertThat(r.get(1).initDurationMs()).isEqualTo(10009.13);
    assertThat(r.get(1).phase()).isEqualTo("init");
    assertThat(r.get(1).status()).isEqualTo("timeout");
    assertThat(r.get(1).errorType()).isNull();
    assertThat(r.get(2).errorType()).isEqualTo("Runtime.InvalidEntrypoint");
    assertThat(r.get(3).errorType()).isEqualTo("Runtime.ImportModuleError");
    assertThat(r).allMatch(PlatformRecord::failed);
  }

  @Test
  void json_format_platform_records_are_platform_lines() {
    List<ParsedLine> p = sample("nodejs18-jsonformat-logresult-2024-05-20.jsonl").stream().map(parser::parse)
        .toList();
    assertThat(p).extracting(ParsedLine::kind).containsExactly(LineKind.PLATFORM, LineKind.PLATFORM,
        LineKind.PLATFORM, LineKind.PLATFORM, LineKind.APP, LineKind.PLATFORM, LineKind.PLATFORM);
    assertThat(p.get(0).platform().type()).isEqualTo(Type.INIT_START);
    assertThat(p.get(0).platform().initType()).isEqualTo("on-demand");
    assertThat(p.get(0).platform().runtimeVersion()).isEqualTo("nodejs:18.v28");
    assertThat(p.get(2).platform().type()).isEqualTo(Type.INIT_REPORT);
    assertThat(p.get(2).platform().initDurationMs()).isEqualTo(173.778);
    assertThat(p.get(2).platform().failed()).isFalse();
    assertThat(p.get(3).platform().type()).isEqualTo(Type.START);
    assertThat(p.get(3).requestId()).isEqualTo("4b142fc3-17b8-4cdb-a46b-a8dbe7918715");
    PlatformRecord report = p.get(6).platform();
    assertThat(report.type()).isEqualTo(Type.REPORT);
    assertThat(report.requestId()).isEqualTo("4b142fc3-17b8-4cdb-a46b-a8dbe7918715");
    assertThat(report.durationMs()).isEqualTo(11.642);
    assertThat(report.billedDurationMs()).isEqualTo(12.0);
    assertThat(report.memorySizeMb()).isEqualTo(128);
    assertThat(report.maxMemoryUsedMb()).isEqualTo(67);
    assertThat(report.initDurationMs()).isEqualTo(174.055);
    assertThat(report.status()).isEqualTo("success");
  }

  @Test
  void json_report_with_tracing_and_timeout_status() {
    PlatformRecord r = platform("{\"time\":\"2024-05-20T16:29:48.022Z\",\"type\":\"platform.report\",\"record\":"
        + "{\"requestId\":\"6d68ca91-49c9-448d-89b8-7ca3e6dc66aa\",\"metrics\":{\"durationMs\":3000.0,"
        + "\"billedDurationMs\":3000,\"memorySizeMB\":512,\"maxMemoryUsedMB\":90},\"tracing\":{\"spanId\":"
        + "\"54565fb41ac79632\",\"type\":\"X-Amzn-Trace-Id\",\"value\":\"Root=1-62e900b2-710d76f009d6e7785905449a;"
        + "Parent=0efbd19962d95b05;Sampled=1\"},\"status\":\"timeout\"}}");
    assertThat(r.status()).isEqualTo("timeout");
    assertThat(r.traceId()).isEqualTo("62e900b2710d76f009d6e7785905449a");
    assertThat(r.segmentId()).isEqualTo("0efbd19962d95b05");
    assertThat(r.sampled()).isTrue();
    assertThat(r.memorySizeMb()).isEqualTo(512);
  }

  @Test
  void task_timed_out_line_names_its_request_and_seconds() {
    ParsedLine p = parser.parse("2024-03-04T10:11:12.345Z 1b2a9a40-5a1e-4e8e-8e1e-2c5a6a1e2b3c Task timed out "
        + "after 3.00 seconds");
    assertThat(p.kind()).isEqualTo(LineKind.PLATFORM);
    assertThat(p.platform().type()).isEqualTo(Type.TIMEOUT);
    assertThat(p.requestId()).isEqualTo("1b2a9a40-5a1e-4e8e-8e1e-2c5a6a1e2b3c");
    assertThat(p.platform().timeoutSeconds()).isEqualTo(3.0);
  }

  @Test
  void runtime_exit_line_gives_error_message_and_type() {
    PlatformRecord r = platform("RequestId: 9d6ad3dd-0b1e-4cba-a0e4-a0de12b2f4f1 Error: Runtime exited with "
        + "error: exit status 1\nRuntime.ExitError");
    assertThat(r.type()).isEqualTo(Type.RUNTIME_EXIT);
    assertThat(r.requestId()).isEqualTo("9d6ad3dd-0b1e-4cba-a0e4-a0de12b2f4f1");
    assertThat(r.errorMessage()).isEqualTo("Runtime exited with error: exit status 1");
    assertThat(r.errorType()).isEqualTo("Runtime.ExitError");
    PlatformRecord oom = platform("RequestId: 9d6ad3dd-0b1e-4cba-a0e4-a0de12b2f4f1 Error: Runtime exited with "
        + "error: signal: killed\nRuntime.OutOfMemory");
    assertThat(oom.errorType()).isEqualTo("Runtime.OutOfMemory");
    assertThat(oom.errorMessage()).isEqualTo("Runtime exited with error: signal: killed");
  }

  @Test
  void init_start_extension_and_telemetry_lines_are_platform_lines() {
    assertThat(platform("INIT_START Runtime Version: java:17.v15\tRuntime Version ARN: arn:aws:lambda:us-east-1::"
        + "runtime:0d6b3b2a").runtimeVersion()).isEqualTo("java:17.v15");
    assertThat(platform("EXTENSION\tName: my-ext\tState: Ready\tEvents: [INVOKE, SHUTDOWN]").type())
        .isEqualTo(Type.EXTENSION);
    assertThat(platform("TELEMETRY\tName: my-ext\tState: Subscribed\tTypes: [Platform, Function]").type())
        .isEqualTo(Type.TELEMETRY);
  }

  @Test
  void words_that_only_begin_like_platform_keywords_are_app_lines() {
    assertThat(parser.parse("STARTED processing").kind()).isEqualTo(LineKind.APP);
    assertThat(parser.parse("ENDPOINT reached").kind()).isEqualTo(LineKind.APP);
    assertThat(parser.parse("REPORTING is fun").kind()).isEqualTo(LineKind.APP);
  }

  @Test
  void every_sample_line_parses_and_every_platform_line_is_recognised() {
    for (String file : List.of("awsdocs-lambda-devguide-2022-examples.log", "init-report-variants.log",
        "nodejs18-jsonformat-logresult-2024-05-20.jsonl", "java11-log4j2-lambdaappender-lines-from-samlogs.log",
        "samlogs-snapstart-java11-chatgpt-2023-06-02.log")) {
      for (String raw : sample(file)) {
        String line = file.startsWith("samlogs") ? withoutSamPrefix(raw) : raw;
        ParsedLine p = parser.parse(line);
        assertThat(p.failure()).as(line).isNull();
        boolean looksPlatform = line.matches("^(START|END|REPORT|INIT_REPORT|RESTORE_\\w+|XRAY) .*")
            || line.startsWith("{\"time\"");
        assertThat(p.kind() == LineKind.PLATFORM).as(line).isEqualTo(looksPlatform);
      }
    }
  }

  /** {@code sam logs} prints {@code <stream> <time> <message>}. */
  static String withoutSamPrefix(String line) {
    int first = line.indexOf(' ');
    int second = line.indexOf(' ', first + 1);
    return line.substring(second + 1);
  }
}
