package dev.taillight.collector.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taillight.collector.LineKind;
import dev.taillight.collector.SpanData;
import dev.taillight.testing.Samples;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The span-line reader keeps attributes as slices of the line and reads the common attribute shape straight off
 * it. These tests hold it to the eager reader it replaced ({@link EagerOtlpJson}, everything decoded into
 * HashMaps): same spans, same attribute maps, same failures, for the byte-exact fixtures, every truncation of them,
 * random corruptions, and lines written in every other way JSON allows.
 */
class SpanLineReaderAgreementTest {
  private static final List<String> FIXTURES = List.of("samples/spans/otlp-json-invocation-span.json",
      "samples/spans/otlp-json-timeout-warning-span.json", "samples/spans/span-format-doc-example.json");

  private final LineParser parser = LineParser.create();

  private static String fixture(String name) {
    return Samples.resource(SpanLineReaderAgreementTest.class, name).trim();
  }

  /** The spans a reader gives, or the failure it ends in (as LineParser maps exceptions). */
  private static Object outcome(String line, boolean eager) {
    List<SpanData> spans = new ArrayList<>();
    try {
      JsonCursor c = new JsonCursor(line);
      if (eager) {
        EagerOtlpJson.request(c, null, "/aws/lambda/orders", "stream-1", spans);
      } else {
        OtlpJson.request(c, null, "/aws/lambda/orders", "stream-1", spans);
      }
      if (!c.atEnd()) {
        return ParseFailure.MALFORMED_JSON;
      }
    } catch (JsonCursor.Malformed e) {
      return ParseFailure.MALFORMED_JSON;
    } catch (RuntimeException e) {
      return ParseFailure.BAD_SPAN_LINE;
    }
    return spans;
  }

  @SuppressWarnings("unchecked")
  private static void assertAgree(String line) {
    Object eager = outcome(line, true);
    Object lazy = outcome(line, false);
    assertThat(lazy).as(line).isEqualTo(eager);
    if (lazy instanceof List<?> spans) {
      List<SpanData> e = (List<SpanData>) eager;
      for (int i = 0; i < spans.size(); i++) {
        assertSameMap(((SpanData) spans.get(i)).attributes(), e.get(i).attributes());
        for (int k = 0; k < e.get(i).events().size(); k++) {
          assertSameMap(((SpanData) spans.get(i)).events().get(k).attributes(), e.get(i).events().get(k).attributes());
        }
      }
    }
  }

  /** Every way of reading a map gives the same as the eager map. */
  private static void assertSameMap(Map<String, Object> lazy, Map<String, Object> eager) {
    assertThat(lazy).isEqualTo(eager);
    assertThat(eager).isEqualTo(lazy);
    assertThat(lazy.hashCode()).isEqualTo(eager.hashCode());
    assertThat(lazy.size()).isEqualTo(eager.size());
    assertThat(lazy.keySet()).isEqualTo(eager.keySet());
    assertThat(new HashMap<>(lazy)).isEqualTo(eager);
    assertThat(Map.copyOf(lazy)).isEqualTo(eager);
    Map<String, Object> viaForEach = new HashMap<>();
    lazy.forEach(viaForEach::put);
    assertThat(viaForEach).isEqualTo(eager);
    for (String key : eager.keySet()) {
      assertThat(lazy.get(key)).isEqualTo(eager.get(key));
      assertThat(lazy.containsKey(key)).isTrue();
    }
    assertThat(lazy.get("no.such.attribute")).isNull();
    assertThat(lazy.containsKey("no.such.attribute")).isFalse();
  }

  @Test
  void lazily_read_attributes_equal_eagerly_read_ones_for_every_fixture() {
    for (String name : FIXTURES) {
      String line = fixture(name);
      assertAgree(line);
      assertThat(outcome(line, false)).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
          .isNotEmpty();
    }
  }

  @Test
  void the_same_fixture_written_with_spaces_and_line_breaks_reads_the_same() {
    for (String name : FIXTURES) {
      String line = fixture(name);
      String spaced = line.replace(",\"", ", \"").replace("\":", "\" : ").replace("{", "{\n ").replace("}", " }");
      assertAgree(spaced);
      assertThat(outcome(spaced, false)).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
          .hasSameSizeAs((List<?>) outcome(line, true));
    }
  }

  @Test
  void every_truncation_of_a_span_line_stays_a_plain_line_flagged_malformed() {
    for (String name : FIXTURES) {
      String line = fixture(name);
      for (int cut = 1; cut < line.length(); cut++) {
        String part = line.substring(0, cut);
        assertAgree(part);
        ParsedLine p = parser.parse(part);
        assertThat(p.kind()).as(part).isEqualTo(LineKind.APP);
        assertThat(p.failure()).as(part).isEqualTo(ParseFailure.MALFORMED_JSON);
        assertThat(p.text()).isEqualTo(Scan.trimEnd(part));
      }
    }
  }

  @Test
  void random_corruptions_fail_or_read_exactly_as_the_eager_reader() {
    Random random = new Random(7);
    String alphabet = "{}[]\",:\\ 0123456789-.eEtrufalsnKV";
    int failures = 0;
    int read = 0;
    for (String name : FIXTURES) {
      String line = fixture(name);
      for (int k = 0; k < 3_000; k++) {
        char[] chars = line.toCharArray();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
          chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        String bad = new String(chars);
        assertAgree(bad);
        if (outcome(bad, false) instanceof ParseFailure) {
          failures++;
        } else {
          read++;
        }
      }
    }
    // both outcomes were exercised: corruptions that still parse and ones that fail
    assertThat(failures).isGreaterThan(1_000);
    assertThat(read).isGreaterThan(100);
  }

  private static String attr(String key, String value) {
    return "{\"key\":\"" + key + "\",\"value\":{" + value + "}}";
  }

  private static String edgeLine(boolean resourceFirst, String more) {
    String resource = "\"resource\":{\"attributes\":[" + String.join(",",
        attr("service.name", "\"stringValue\":\"orders\""),
        attr("cloud.region", "\"stringValue\":\"us-east-1\""),
        attr("faas.max_memory", "\"intValue\":\"536870912\""),
        attr("shared", "\"stringValue\":\"from-resource\"")) + "]}";
    String spans = "\"scopeSpans\":[{\"scope\":{\"name\":\"x\"},\"spans\":[{\"traceId\":\"5759E988BD862E3FE1BE46A994272793\","
        + "\"spanId\":\"53995c3f42cd8ad8\",\"name\":\"orders\",\"kind\":2,\"startTimeUnixNano\":\"1795838400000000000\","
        + "\"endTimeUnixNano\":1795838400037,\"attributes\":[" + String.join(",",
            attr("shared", "\"stringValue\":\"from-span\""),
            attr("dup", "\"intValue\":\"1\""),
            attr("dup", "\"intValue\":\"2\""),
            attr("esc\\u0061ped.key", "\"stringValue\":\"tab\\there \\\"quoted\\\" \\u20ac\""),
            attr("empty", ""),
            attr("null.value", "\"stringValue\":null"),
            attr("negative", "\"intValue\":\"-42\""),
            attr("nineteen.digits", "\"intValue\":\"9223372036854775807\""),
            attr("unsigned", "\"intValue\":\"18446744073709551615\""),
            attr("as.number", "\"intValue\":7"),
            attr("double.string", "\"doubleValue\":\"NaN\""),
            attr("double.exp", "\"doubleValue\":1.5e-7"),
            attr("double.long", "\"doubleValue\":0.12345678901234567890"),
            attr("bool.string", "\"boolValue\":\"true\""),
            attr("bytes", "\"bytesValue\":\"AAEC\""),
            attr("list", "\"arrayValue\":{\"values\":[{\"stringValue\":\"a\"},{\"intValue\":\"3\"},{}]}"),
            attr("kv", "\"kvlistValue\":{\"values\":[" + attr("inner", "\"boolValue\":false") + "]}"),
            attr("empty.list", "\"arrayValue\":{\"values\":[]}"),
            attr("two.strings", "\"arrayValue\":{\"values\":[{\"stringValue\":\"a\"},{\"stringValue\":\"b\"}]}"),
            "{\"value\":{\"stringValue\":\"value first\"},\"key\":\"reversed\"}",
            "{\"key\":\"two.values\",\"value\":{\"stringValue\":\"a\",\"intValue\":\"5\"}}")
        + "],\"events\":[{\"name\":\"exception\",\"timeUnixNano\":\"1795838400030000000\",\"attributes\":["
        + attr("exception.type", "\"stringValue\":\"java.lang.IllegalStateException\"") + ","
        + attr("exception.stacktrace", "\"stringValue\":\"java.lang.IllegalStateException: x\\n\\tat A.b(A.java:1)\"")
        + "]}],\"links\":[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"b7ad6b7169203331\","
        + "\"attributes\":[" + attr("messaging.message.id", "\"stringValue\":\"m-1\"") + "]}],"
        + "\"status\":{\"code\":2,\"message\":\"boom\"}},{\"traceId\":\"5759e988bd862e3fe1be46a994272793\","
        + "\"spanId\":\"1122334455667788\",\"parentSpanId\":\"53995c3f42cd8ad8\",\"name\":\"init\",\"attributes\":[]}]}]";
    return "{\"resourceSpans\":[{" + (resourceFirst ? resource + "," + spans : spans + "," + resource) + more + "}]}";
  }

  @Test
  void lines_written_every_other_way_json_allows_read_as_the_eager_reader_reads_them() {
    for (boolean resourceFirst : new boolean[] {true, false}) {
      String line = edgeLine(resourceFirst, "");
      assertAgree(line);
      List<SpanData> spans = parser.parse(line).spans();
      assertThat(spans).hasSize(2);
      Map<String, Object> a = spans.get(0).attributes();
      assertThat(a).containsEntry("shared", "from-span")
          .containsEntry("service.name", "orders")
          .containsEntry("dup", 2L)
          .containsEntry("escaped.key", "tab\there \"quoted\" \u20ac")
          .containsEntry("nineteen.digits", Long.MAX_VALUE)
          .containsEntry("unsigned", -1L)
          .containsEntry("negative", -42L)
          .containsEntry("double.exp", 1.5e-7)
          .containsEntry("double.long", 0.12345678901234567890)
          .containsEntry("bool.string", true)
          .containsEntry("list", List.of("a", 3L))
          .containsEntry("kv", Map.of("inner", false))
          .containsEntry("empty.list", List.of())
          .containsEntry("two.strings", List.of("a", "b"))
          .containsEntry("reversed", "value first")
          .containsEntry("two.values", 5L)
          .doesNotContainKeys("empty", "null.value");
      assertThat((Double) a.get("double.string")).isNaN();
      assertThat(spans.get(0).events().get(0).attributes()).containsEntry("exception.stacktrace",
          "java.lang.IllegalStateException: x\n\tat A.b(A.java:1)");
      // the child span has no attributes of its own: it shows the resource's
      assertThat(spans.get(1).attributes()).containsOnlyKeys("service.name", "cloud.region", "faas.max_memory",
          "shared");
    }
  }

  @Test
  void characters_beyond_latin1_read_as_the_eager_reader_reads_them() {
    // the reader scans a one-byte-per-character image of the line: characters above U+00FF (whose low byte may be a
    // quote, a backslash, a brace, a comma...) and surrogate pairs must not shift or fake any structure
    String tricky = "\u0122\u017d\u017d\u0122\u015c\u017b\u017d\u012c\u013a\u015b\u015d \u20ac \ud83d\ude80 caf\u00e9";
    for (String name : FIXTURES) {
      String line = fixture(name);
      List<String> variants = List.of(
          line.replace("\"orders\"", "\"" + tricky + "\""),
          line.replace("\"service.name\"", "\"service.name" + tricky + "\""),
          line.replace("\"faas.trigger\"", "\"faas.\ud83d\ude80\"").replace("\"http\"", "\"\ud83d\ude80\u0122\""),
          line.replace("\"/aws/lambda/orders\"", "\"/aws/lambda/\u0122\u015c\""),
          "\ud83d\ude80" + line, line + "\u0122");
      for (String v : variants) {
        assertAgree(v);
        for (int cut = v.length() - 40; cut < v.length(); cut++) {
          assertAgree(v.substring(0, cut));
        }
      }
      assertThat(outcome(variants.get(0), false)).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
          .isNotEmpty();
    }
    String line = fixture("samples/spans/span-format-doc-example.json").replace("\"orders\"", "\"" + tricky + "\"");
    assertThat(parser.parse(line).spans().get(1).serviceName()).isEqualTo(tricky);
  }

  @Test
  void compact_attributes_with_odd_spacing_and_separators_read_as_the_eager_reader_reads_them() {
    String a = attr("a", "\"stringValue\":\"x\"");
    String b = attr("b", "\"intValue\":\"12\"");
    String d = attr("d", "\"doubleValue\":1.25");
    String t = attr("t", "\"boolValue\":true");
    String l = attr("l", "\"arrayValue\":{\"values\":[{\"stringValue\":\"p\"},{\"stringValue\":\"q\"}]}");
    for (String attrs : List.of("", a, a + "," + b, " " + a + " , " + b + " ", a + ",\n\t" + d + "\r\n," + t + "," + l,
        a + ",", "," + a, a + ",," + b, a + " " + b, a + "," + b + "]", "\"" + a, a + "," + l.replace("]}}}", "]}}")
        , a.replace("\"}}", "\"} }"), b.replace("\"12\"", "\"12 \""), d.replace("1.25", "1.25e"),
        t.replace("true", "True"), l.replace("{\"stringValue\":\"q\"}", "{\"stringValue\":\"q\\\"\"}"))) {
      String line = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
          + "\"5759e988bd862e3fe1be46a994272793\","
          + "\"spanId\":\"53995c3f42cd8ad8\",\"attributes\":[" + attrs + "]}]}]}]}";
      assertAgree(line);
    }
  }

  @Test
  void span_fields_written_every_other_way_read_as_the_eager_reader_reads_them() {
    // the span's own fields are read straight off the line while they are written the usual way; every variant
    // below leaves that path somewhere (or stays on it) and must read exactly as the cursor reads it
    String usual = "\"traceId\":\"5759e988bd862e3fe1be46a994272793\",\"spanId\":\"53995c3f42cd8ad8\","
        + "\"parentSpanId\":\"1122334455667788\",\"name\":\"orders\",\"kind\":2,"
        + "\"startTimeUnixNano\":\"1795838400000000000\",\"endTimeUnixNano\":\"1795838400037000000\","
        + "\"attributes\":[" + attr("a", "\"stringValue\":\"x\"") + "]";
    List<String> variants = new ArrayList<>(List.of(usual,
        usual.replace("\"kind\":2", "\"kind\":12"), usual.replace("\"kind\":2", "\"kind\":\"SPAN_KIND_SERVER\""),
        usual.replace("\"kind\":2", "\"kind\":2.0"), usual.replace("\"kind\":2", "\"kind\":-2"),
        usual.replace("\"kind\":2", "\"kind\":2 "), usual.replace("\"kind\":2", "\"kind\":null"),
        usual.replace("\"kind\":2,", "\"kind\":2}, {"), usual.replace("\"kind\":2", "\"kind\":x"),
        usual.replace("1795838400000000000", "9223372036854775807"),
        usual.replace("1795838400000000000", "9223372036854775808"),
        usual.replace("1795838400000000000", "18446744073709551615"),
        usual.replace("1795838400000000000", "17958384000000000000"),
        usual.replace("\"1795838400000000000\"", "1795838400000000000"),
        usual.replace("1795838400000000000", "1795838400000000000.5"),
        usual.replace("1795838400000000000", ""), usual.replace("1795838400000000000", "-1"),
        usual.replace("\"1795838400037000000\"", "\"1795838400037000000"),
        usual.replace("\"traceId\":\"5759e988bd862e3fe1be46a994272793\"", "\"traceId\":null"),
        usual.replace("5759e988bd862e3fe1be46a994272793", "V1npiL2GLj/hvkapknJ3kw=="),
        usual.replace("53995c3f42cd8ad8", "5399\\u0035c3f42cd8ad8"), usual.replace("\"orders\"", "\"or\\\"ders\""),
        usual.replace("\"name\":\"orders\"", "\"name\" : \"orders\""), usual.replace(",\"name\"", ", \"name\""),
        usual + ",\"traceId\":\"0af7651916cd43dd8448eb211c80319c\"", usual + ",\"spanId\":\"b7ad6b7169203331\"",
        usual + ",\"attributes\":[" + attr("a", "\"intValue\":\"3\"") + "]",
        usual + ",\"spanId\":\"B7AD6B7169203331\"", usual + ",\"parentSpanId\":\"0000000000000000\"",
        usual + ",\"traceId\":\"1-5759e988-bd862e3fe1be46a994272793\"",
        // (after a field only the cursor reads, the cursor reads the repeated id)
        usual + ",\"status\":{},\"traceId\":\"1-5759e988-bd862e3fe1be46a994272793\"",
        usual + ",\"status\":{},\"spanId\":\"B7AD6B7169203331\"",
        usual + ",\"status\":{},\"parentSpanId\":\"0000000000000000\"",
        usual.replace("53995c3f42cd8ad8", "53995C3F42CD8AD8"),
        usual.replace("53995c3f42cd8ad8", "0000000000000000"), usual.replace("1122334455667788", "112233445566778"),
        usual.replace("5759e988bd862e3fe1be46a994272793", "00000000000000000000000000000000"),
        usual.replace("5759e988bd862e3fe1be46a994272793", "5759e988bd862e3fe1be46a99427279g"),
        usual.replace("5759e988bd862e3fe1be46a994272793", "1-5759e988-bd862e3fe1be46a994272793"),
        usual.replace("1795838400000000000", "1795838400000000"),
        usual.replace("1795838400000000000", "17958384000000x0000"),
        usual.replace("1795838400000000000", "179583840000000 000"),
        usual.replace("1795838400000000000", "0000000000000000001"),
        usual + ",\"status\":{\"code\":2}", usual + ",", usual + ",,\"name\":\"x\"", "\"x\":1," + usual,
        usual.replace("\"spanId\"", "\"spanID\""), usual.replace("\"parentSpanId\"", "\"parentSpanIds\""),
        usual.replace("\"startTimeUnixNano\"", "\"startTimeUnixNanos\""),
        usual.replace("\"attributes\":[", "\"attributes\": ["),
        usual.replace("\"attributes\":[", "\"attributes\":{"), usual.replace("\"name\":\"orders\"", "\"name\":\"\""),
        "\"name\":\"a\",\"kind\":3,\"spanId\":\"53995c3f42cd8ad8\",\"traceId\":\"5759e988bd862e3fe1be46a994272793\""));
    for (String fields : variants) {
      String line = "{\"resourceSpans\":[{\"resource\":{\"attributes\":["
          + attr("service.name", "\"stringValue\":\"o\"")
          + "]},\"scopeSpans\":[{\"scope\":{\"name\":\"x\"},\"spans\":[{" + fields + "}]}]}]}";
      assertAgree(line);
      for (int cut = 60; cut < line.length(); cut += 7) {
        assertAgree(line.substring(0, cut));
      }
    }
    assertThat(outcome("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{" + usual + "}]}]}]}", false))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).hasSize(1);
  }

  @Test
  void lines_whose_resources_differ_a_little_read_as_the_eager_reader_reads_them() {
    // one attribute different, characters above U+00FF that the line's bytes cannot tell apart, escapes, one line
    // after the other: each line's own resource
    String fixture = fixture("samples/spans/span-format-doc-example.json");
    String instance = "3a1f0c2b9d8e4f5a6b7c8d9e0f1a2b3c";
    assertThat(fixture).contains(instance, "\"orders\"", "\"init\"");
    List<String> lines = List.of(fixture, fixture.replace("\"init\"", "\"init2\""),
        fixture.replace(instance, "ffffffffffffffffffffffffffffffff"), fixture,
        fixture.replace("\"orders\"", "\"orders\u0122\""), fixture.replace("\"orders\"", "\"orders\u0123\""),
        fixture.replace("\"orders\"", "\"orders\u0122\""), fixture.replace("\"orders\"", "\"orders?\""),
        fixture.replace("\"orders\"", "\"orders\u0123\""), fixture.replace("\"orders\"", "\"orders\\u0041\""),
        fixture.replace("\"orders\"", "\"orders\\u0042\""), fixture.replace("{\"resourceSpans\":[{",
            "{\"resourceSpans\":[{\"resource\":{\"attributes\":[]},"));
    for (int round = 0; round < 2; round++) {
      for (String line : lines) {
        assertAgree(line);
        for (int cut = line.indexOf("\"scopeSpans\"") - 3; cut < line.indexOf("\"scopeSpans\"") + 3; cut++) {
          assertAgree(line.substring(0, cut));
        }
      }
    }
    assertThat(parser.parse(lines.get(2)).spans().get(1).attributes().get("faas.instance"))
        .isEqualTo("2026/11/28/[$LATEST]ffffffffffffffffffffffffffffffff");
    assertThat(parser.parse(lines.get(5)).spans().get(1).serviceName()).isEqualTo("orders\u0123");
    assertThat(parser.parse(lines.get(8)).spans().get(1).serviceName()).isEqualTo("orders\u0123");
    assertThat(parser.parse(lines.get(10)).spans().get(1).serviceName()).isEqualTo("ordersB");
  }

  @Test
  void a_second_resource_replaces_the_first_as_in_the_eager_reader() {
    String line = edgeLine(true, ",\"resource\":{\"attributes\":[" + attr("service.name", "\"stringValue\":\"billing\"")
        + "]}");
    assertAgree(line);
    assertThat(parser.parse(line).spans()).allSatisfy(s -> assertThat(s.serviceName()).isEqualTo("billing"));
  }

  @Test
  void a_number_that_does_not_parse_fails_the_line_as_a_bad_span_line() {
    for (String bad : List.of("\"intValue\":\"12x\"", "\"doubleValue\":\"one\"", "\"intValue\":\"\"")) {
      String line = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5759e988bd862e3fe1be46a994272793\","
          + "\"spanId\":\"53995c3f42cd8ad8\",\"attributes\":[" + attr("n", bad) + "]}]}]}]}";
      assertAgree(line);
      ParsedLine p = parser.parse(line);
      assertThat(p.kind()).isEqualTo(LineKind.APP);
      assertThat(p.failure()).isEqualTo(ParseFailure.BAD_SPAN_LINE);
    }
  }

  @Test
  void attributes_of_a_span_line_cannot_be_changed() {
    SpanData span = parser.parse(fixture("samples/spans/span-format-doc-example.json")).spans().get(1);
    Map<String, Object> a = span.attributes();
    assertThatThrownBy(() -> a.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> a.remove("faas.name")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(a::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> a.entrySet().iterator().remove()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> a.entrySet().iterator().next().setValue("y"))
        .isInstanceOf(UnsupportedOperationException.class);
    // as Map.copyOf's maps: no null keys
    assertThatThrownBy(() -> a.get(null)).isInstanceOf(NullPointerException.class);
    assertThat(a.get(42)).isNull();
    assertThat(a.toString()).contains("faas.invocation_id=8f507cfc-5b6a-4697-b07a-ac58fc914c95");
  }
}
