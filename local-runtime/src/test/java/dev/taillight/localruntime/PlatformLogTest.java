package dev.taillight.localruntime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.testing.Samples;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlatformLogTest {

  private static final List<String> TEXT = Samples.lines(PlatformLogTest.class, "/samples/awsdocs-lambda-devguide-2022-examples.log");
  private static final List<String> JSON = Samples.lines(PlatformLogTest.class, "/samples/nodejs18-jsonformat-logresult-2024-05-20.jsonl");

  private static String sampleStartingWith(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
  }

  @Test
  void start_and_end_lines_match_real_text_lines() {
    String id = "c793869b-ee49-115b-a5b6-4fd21e8dedac";
    assertThat(PlatformLog.start(LogFormat.TEXT, Instant.EPOCH, id, "$LATEST", null))
        .isEqualTo(sampleStartingWith(TEXT, "START RequestId: " + id));
    assertThat(PlatformLog.end(LogFormat.TEXT, id)).isEqualTo(sampleStartingWith(TEXT, "END RequestId: " + id));
  }

  @Test
  void report_with_init_duration_and_xray_matches_real_text_line_byte_for_byte() {
    String id = "d1cf0ccb-xmpl-46e6-950d-04c96c9b1c5d";
    int i = TEXT.indexOf(sampleStartingWith(TEXT, "REPORT RequestId: " + id));
    String expected = TEXT.get(i) + "\n" + TEXT.get(i + 1);
    XRay xray = new XRay("1-5e7e8131-7ff0xmpl32bfb31045d0a3bb", "0152xmpl6016310f", true);
    String line = PlatformLog.report(LogFormat.TEXT, Instant.EPOCH,
        new PlatformLog.Report(id, 4157.16, 4200, 256, 99, 841.60, "success", null, xray));
    assertThat(line).isEqualTo(expected);
  }

  @Test
  void report_of_a_timeout_and_of_a_crash_carry_their_status() {
    String timeout = PlatformLog.report(LogFormat.TEXT, Instant.EPOCH,
        new PlatformLog.Report("r1", 3003.091, 3004, 128, 40, -1, "timeout", null, null));
    assertThat(timeout).isEqualTo("REPORT RequestId: r1\tDuration: 3003.09 ms\tBilled Duration: 3004 ms\t"
        + "Memory Size: 128 MB\tMax Memory Used: 40 MB\tStatus: timeout\t");
    String crash = PlatformLog.report(LogFormat.TEXT, Instant.EPOCH,
        new PlatformLog.Report("r2", 12.5, 13, 128, 40, -1, "failure", "Runtime.ExitError", null));
    assertThat(crash).endsWith("Max Memory Used: 40 MB\tStatus: error\tError Type: Runtime.ExitError\t");
  }

  @Test
  void init_report_error_matches_real_text_line_and_success_has_no_text_line() {
    List<String> variants = Samples.lines(PlatformLogTest.class, "/samples/init-report-variants.log");
    assertThat(PlatformLog.initReport(LogFormat.TEXT, Instant.EPOCH, "on-demand", "init", 5.36, "error",
        "Runtime.InvalidEntrypoint")).isEqualTo(variants.get(2));
    assertThat(PlatformLog.initReport(LogFormat.TEXT, Instant.EPOCH, "on-demand", "init", 5.36, "success", null))
        .isNull();
  }

  @Test
  void json_platform_lines_match_real_json_lines_byte_for_byte() {
    String init = PlatformLog.initStart(LogFormat.JSON, Instant.parse("2024-05-20T16:29:44.833Z"), "on-demand",
        "nodejs:18.v28", "arn:aws:lambda:eu-west-3::runtime:b475b23763329123d9e6f79f51886d0e1054f727f5b90ec945fcb2a3ec09afdd",
        "ColdStartPerfStack-Function76856677-qnwBXhjb6klt", "$LATEST");
    assertThat(init).isEqualTo(JSON.get(0));
    assertThat(PlatformLog.initReport(LogFormat.JSON, Instant.parse("2024-05-20T16:29:45.007Z"), "on-demand", "init",
        173.778, "success", null)).isEqualTo(JSON.get(2));
    assertThat(PlatformLog.start(LogFormat.JSON, Instant.parse("2024-05-20T16:29:45.008Z"),
        "4b142fc3-17b8-4cdb-a46b-a8dbe7918715", "$LATEST", null)).isEqualTo(JSON.get(3));
    assertThat(PlatformLog.report(LogFormat.JSON, Instant.parse("2024-05-20T16:29:45.022Z"),
        new PlatformLog.Report("4b142fc3-17b8-4cdb-a46b-a8dbe7918715", 11.642, 12, 128, 67, 174.055, "success", null,
            null))).isEqualTo(JSON.get(6));
    assertThat(PlatformLog.end(LogFormat.JSON, "x")).isNull();
  }

  @Test
  void timeout_and_exit_lines_read_like_lambdas() {
    assertThat(PlatformLog.taskTimedOut(LogFormat.TEXT, Instant.parse("2024-05-20T16:29:45.022Z"), "abc", 3.0))
        .isEqualTo("2024-05-20T16:29:45.022Z abc Task timed out after 3.00 seconds");
    assertThat(PlatformLog.runtimeExited(LogFormat.TEXT, "abc", PlatformLog.exitDescription(1), "Runtime.ExitError"))
        .isEqualTo("RequestId: abc Error: Runtime exited with error: exit status 1\nRuntime.ExitError");
    assertThat(PlatformLog.exitDescription(137)).isEqualTo("signal: killed");
    assertThat(PlatformLog.exitDescription(134)).isEqualTo("signal: aborted");
  }

  @Test
  void trace_header_is_continued_keeping_root_and_sampling_else_started() {
    Ids ids = new Ids(new Random(1));
    XRay continued = XRay.continueOrStart("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        false, ids, 0);
    assertThat(continued.traceId()).isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
    assertThat(continued.sampled()).isTrue();
    assertThat(continued.segmentId()).matches("[0-9a-f]{16}").isNotEqualTo("53995c3f42cd8ad8");
    assertThat(continued.header()).startsWith("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=").endsWith(";Sampled=1");

    XRay fresh = XRay.continueOrStart("garbage;;=", false, ids, 0x5759e988L);
    assertThat(fresh.traceId()).matches("1-5759e988-[0-9a-f]{24}");
    assertThat(fresh.sampled()).isFalse();
  }
}
