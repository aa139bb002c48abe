package dev.taillight.collector.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.parse.PlatformRecord.Type;
import dev.taillight.testing.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * REPORT lines as Lambda writes them are read field by field ({@link TextPlatformParser#report}); every other
 * REPORT line goes through the word-by-word reader. The two must agree wherever the fast one answers.
 */
class ReportFastPathTest {

  private static List<String> reportLines() {
    List<String> out = new ArrayList<>();
    for (String name : List.of("awsdocs-lambda-devguide-2022-examples.log",
        "samlogs-snapstart-java11-chatgpt-2023-06-02.log")) {
      for (String line : Samples.lines(ReportFastPathTest.class, "samples/" + name)) {
        int at = line.indexOf("REPORT RequestId: ");
        if (at >= 0) {
          out.add(line.substring(at));
        }
      }
    }
    String id = "8f507cfc-5b6a-4697-b07a-ac58fc914c95";
    out.add("REPORT RequestId: " + id + "\tDuration: 6.52 ms\tBilled Duration: 7 ms\tMemory Size: 512 MB\t"
        + "Max Memory Used: 87 MB\tInit Duration: 850.12 ms\t\nXRAY TraceId: 1-5759e988-bd862e3fe1be46a994272793\t"
        + "SegmentId: 4c36a0d0c78d0149\tSampled: true\t");
    out.add("REPORT RequestId: " + id + "\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\t"
        + "Max Memory Used: 128 MB\tStatus: timeout\tError Type: Runtime.OutOfMemory\t");
    out.add("REPORT RequestId: " + id + "\tDuration: 2338.66 ms\tBilled Duration: 2521 ms\tMemory Size: 512 MB\t"
        + "Max Memory Used: 134 MB\tRestore Duration: 398.97 ms\tBilled Restore Duration: 182 ms\t");
    // the X-Ray id is read in place: upper case, all zeros, not hex, the wrong length, the W3C form
    for (String xray : List.of("1-5759E988-BD862E3FE1BE46A994272793", "1-00000000-000000000000000000000000",
        "1-5759e988-bd862e3fe1be46a99427279g", "1-5759e988-bd862e3fe1be46a9942727", "1-5759e988xbd862e3fe1be46a994272793",
        "5759e988bd862e3fe1be46a994272793", "2-5759e988-bd862e3fe1be46a994272793",
        "1-5759e988-bd862e3fe1be46a99427279\u00e9", "1-5759e988-bd862e3fe1be46a99427279\u0146",
        "1-5759e98\u0138-bd862e3fe1be46a994272793")) {
      out.add("REPORT RequestId: " + id + "\tDuration: 6.52 ms\tBilled Duration: 7 ms\tMemory Size: 512 MB\t"
          + "Max Memory Used: 87 MB\t\nXRAY TraceId: " + xray + "\tSegmentId: 4c36a0d0c78d0149\tSampled: TRUE\t");
    }
    return out;
  }

  @Test
  void the_xray_trace_id_read_in_place_is_the_normalised_id() {
    assertThat(TextPlatformParser.report(reportLines().get(reportLines().size() - 10)).traceId())
        .isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(TextPlatformParser.report(reportLines().get(reportLines().size() - 9)).traceId()).isNull();
    assertThat(TextPlatformParser.report(reportLines().get(reportLines().size() - 10)).sampled()).isTrue();
  }

  @Test
  void report_lines_read_field_by_field_equal_the_word_by_word_reading() {
    int fast = 0;
    for (String line : reportLines()) {
      PlatformRecord quick = TextPlatformParser.report(line);
      PlatformRecord general = TextPlatformParser.general(line, Type.REPORT, 6);
      if (quick != null) {
        fast++;
        assertThat(quick).as(line).isEqualTo(general);
      }
      assertThat(TextPlatformParser.parse(line)).as(line).isEqualTo(general);
    }
    // the tab-separated samples and the made-up lines all take the fast path (space-separated ones do not)
    assertThat(fast).isGreaterThanOrEqualTo(10);
  }

  @Test
  void corrupted_report_lines_read_the_same_either_way() {
    Random random = new Random(3);
    String alphabet = "\t\n :.0123456789msMBDSXIRabcx-";
    int fast = 0;
    for (String line : reportLines()) {
      for (int k = 0; k < 2_000; k++) {
        char[] chars = line.toCharArray();
        for (int e = 0; e < 1 + random.nextInt(2); e++) {
          chars[6 + random.nextInt(chars.length - 6)] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        String bad = new String(chars);
        PlatformRecord quick = TextPlatformParser.report(bad);
        if (quick != null) {
          fast++;
          assertThat(quick).as(bad).isEqualTo(TextPlatformParser.general(bad, Type.REPORT, 6));
        }
        // (a corrupted prefix makes it no platform line at all, as before)
        PlatformRecord before = bad.startsWith("REPORT RequestId:") ? TextPlatformParser.general(bad, Type.REPORT, 6)
            : null;
        assertThat(TextPlatformParser.parse(bad)).as(bad).isEqualTo(before);
      }
    }
    assertThat(fast).isGreaterThan(1_000);
  }

  @Test
  void start_and_end_lines_read_at_once_equal_the_word_by_word_reading() {
    String id = "8f507cfc-5b6a-4697-b07a-ac58fc914c95";
    List<String> lines = new ArrayList<>(List.of("START RequestId: " + id + " Version: $LATEST",
        "START RequestId: " + id + " Version: 12\n", "END RequestId: " + id, "END RequestId: " + id + "\t\n"));
    for (String name : List.of("awsdocs-lambda-devguide-2022-examples.log",
        "samlogs-snapstart-java11-chatgpt-2023-06-02.log", "java11-log4j2-lambdaappender-lines-from-samlogs.log")) {
      for (String line : Samples.lines(ReportFastPathTest.class, "samples/" + name)) {
        for (String prefix : List.of("START RequestId: ", "END RequestId: ")) {
          int at = line.indexOf(prefix);
          if (at >= 0) {
            lines.add(line.substring(at));
          }
        }
      }
    }
    Random random = new Random(9);
    String alphabet = "\t\n :Vv$0123456789abc-";
    int fast = 0;
    int checked = 0;
    for (String line : List.copyOf(lines)) {
      for (int k = 0; k < 1_000; k++) {
        String text = line;
        if (k > 0) {
          char[] chars = line.toCharArray();
          chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
          text = new String(chars);
        }
        Type type = text.startsWith("START RequestId:") ? Type.START : text.startsWith("END RequestId:") ? Type.END
            : null;
        if (type == null) {
          continue;
        }
        PlatformRecord general = TextPlatformParser.general(text, type, type == Type.START ? 5 : 3);
        PlatformRecord quick = TextPlatformParser.startOrEnd(text, type);
        if (quick != null) {
          fast++;
          assertThat(quick).as(text).isEqualTo(general);
        }
        assertThat(TextPlatformParser.parse(text)).as(text).isEqualTo(general);
        checked++;
      }
    }
    assertThat(fast).isGreaterThan(checked / 3);
  }
}
