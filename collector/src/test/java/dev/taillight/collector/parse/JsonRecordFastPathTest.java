package dev.taillight.collector.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.LineKind;
import dev.taillight.testing.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * JSON log records written compactly are read field by field straight off the line; the same record written with
 * a space after every brace, comma and colon goes through the JSON cursor alone. The two readings must agree for
 * real records, records written every other way, every truncation and random corruptions.
 */
class JsonRecordFastPathTest {
  private final LineParser parser = LineParser.create();

  /** {@code json} with a space after each brace, bracket, comma and colon outside strings. */
  private static String spaced(String json) {
    StringBuilder out = new StringBuilder(json.length() * 2);
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      out.append(c);
      if (inString) {
        if (c == '\\' && i + 1 < json.length()) {
          out.append(json.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[' || c == ',' || c == ':') {
        out.append(' ');
      }
    }
    return out.toString();
  }

  private void assertAgree(String compact) {
    String spacedLine = spaced(compact);
    ParsedLine fast = parser.parse(compact);
    ParsedLine reference = parser.parse(spacedLine);
    String as = compact + "\n" + spacedLine;
    assertThat(fast.kind()).as(as).isEqualTo(reference.kind());
    assertThat(fast.level()).as(as).isEqualTo(reference.level());
    assertThat(fast.requestId()).as(as).isEqualTo(reference.requestId());
    assertThat(fast.failure()).as(as).isEqualTo(reference.failure());
    assertThat(fast.errorType()).as(as).isEqualTo(reference.errorType());
    assertThat(fast.errorMessage()).as(as).isEqualTo(reference.errorMessage());
    assertThat(fast.platform()).as(as).isEqualTo(reference.platform());
    assertThat(fast.spans()).as(as).isEqualTo(reference.spans());
    // the text is the record's message, or the whole line (as written) when it has none
    boolean wholeLine = fast.text().equals(Scan.trimEnd(compact));
    assertThat(reference.text()).as(as).isEqualTo(wholeLine ? Scan.trimEnd(spacedLine) : fast.text());
  }

  private static List<String> records() {
    String id = "8f507cfc-5b6a-4697-b07a-ac58fc914c95";
    List<String> out = new ArrayList<>();
    for (String line : Samples.lines(JsonRecordFastPathTest.class,
        "samples/nodejs18-jsonformat-logresult-2024-05-20.jsonl")) {
      if (line.startsWith("{")) {
        out.add(line);
      }
    }
    out.addAll(List.of(
        "{\"level\":\"INFO\",\"location\":\"collect_payment:31\",\"message\":\"Collecting payment\",\"timestamp\":"
            + "\"2026-11-28 10:00:00,003+0000\",\"service\":\"payment\",\"cold_start\":true,\"function_name\":\"f\","
            + "\"function_memory_size\":512,\"function_request_id\":\"" + id + "\",\"xray_trace_id\":\"1-5759e988-"
            + "bd862e3fe1be46a994272793\"}",
        "{\"msg\":\"m\",\"severity\":\"warning\",\"AWSRequestId\":\"" + id + "\",\"n\":-1.5e3,\"x\":null,\"t\":false}",
        "{\"errorType\":\"Runtime.ImportModuleError\",\"errorMessage\":\"Cannot find module\",\"stack\":[\"a\",\"b\"]}",
        "{\"level\":5,\"message\":\"numeric level\"}", "{\"level\":true,\"message\":\"x\"}",
        "{\"level\":null,\"message\":null,\"requestId\":null}", "{\"requestId\":\"" + id + "x\",\"message\":\"m\"}",
        "{\"requestId\":\"not-a-request-id\",\"message\":\"m\"}", "{\"requestId\":12,\"message\":\"m\"}",
        "{\"message\":\"tab\\there \\\"quoted\\\" \\u20ac\",\"level\":\"DEBUG\"}", "{\"lev\\u0065l\":\"ERROR\"}",
        "{\"message\":\"a\",\"message\":\"b\",\"level\":\"INFO\",\"level\":\"ERROR\"}",
        "{\"type\":\"platform.start\",\"record\":{\"requestId\":\"" + id + "\",\"version\":\"$LATEST\"}}",
        "{\"time\":\"t\",\"type\":\"platform.report\",\"record\":{\"requestId\":\"" + id + "\",\"metrics\":"
            + "{\"durationMs\":1.5,\"billedDurationMs\":2,\"memorySizeMB\":128,\"maxMemoryUsedMB\":60}}}",
        "{\"type\":\"platform.start\"}", "{\"type\":\"platform.start\",\"record\":[]}",
        "{\"message\":\"m\",\"resourceSpans\":[]}", "{\"message\":\"m\",\"__otel_otlp_stdout\":\"x\"}",
        "{\"a\":1,\"b\":tru,\"message\":\"m\"}", "{\"a\":nul}", "{\"a\":fals}", "{\"a\":-}", "{\"a\":+1}",
        "{\"a\":1}x", "{\"a\":1,}", "{\"a\":1,,\"b\":2}", "{\"a\" :1}", "{\"a\":1 ,\"b\":2}", "{\"a\":\"x\" }",
        "{\"a\":'x'}", "{}", "{\"\":\"\"}", "{\"message\":\"\"}", "{\"message\":\"" + "x".repeat(300) + "\"}",
        "{\"level\":\"INFO\",\"message\":\"\\ud83d\\ude80 \u0122\u017d\u017d caf\u00e9\",\"requestId\":\"" + id + "\"}",
        "{\"level\":\"INFO\u0122\",\"message\":\"\u0122,\u017d\"}",
        "{\"a\":{\"message\":\"inner\"},\"level\":\"INFO\"}", "{\"a\":[1,2,{\"b\":3}],\"message\":\"after\"}"));
    return out;
  }

  @Test
  void compact_records_read_as_the_cursor_reads_them_spaced() {
    for (String line : records()) {
      assertAgree(line);
    }
    // the fast path read the record (its fields came out)
    ParsedLine p = parser.parse(
        records().stream().filter(r -> r.contains("collect_payment")).findFirst().orElseThrow());
    assertThat(p.kind()).isEqualTo(LineKind.APP);
    assertThat(p.text()).isEqualTo("Collecting payment");
    assertThat(p.level()).isEqualTo("INFO");
    assertThat(p.requestId()).isEqualTo("8f507cfc-5b6a-4697-b07a-ac58fc914c95");
  }

  @Test
  void every_truncation_of_a_compact_record_reads_as_its_spaced_truncation() {
    for (String line : records()) {
      for (int cut = 1; cut < line.length(); cut++) {
        assertAgree(line.substring(0, cut));
      }
    }
  }

  @Test
  void random_corruptions_read_the_same_either_way() {
    Random random = new Random(11);
    String alphabet = "{}[]\",:\\ 0123456789-.eEtrufalsnIO";
    for (String line : records()) {
      for (int k = 0; k < 300; k++) {
        char[] chars = line.toCharArray();
        for (int e = 0; e < 1 + random.nextInt(3); e++) {
          chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        assertAgree(new String(chars));
      }
    }
  }
}
