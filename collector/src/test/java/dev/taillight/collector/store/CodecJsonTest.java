package dev.taillight.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taillight.collector.SpanData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecJsonTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();

  private static Map<String, Object> attributes() {
    StringBuilder controls = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      controls.append(c);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("faas.invocation_id", "0f7a3c1e-8b2d-4e6f-9a1b-2c3d4e5f6a7b");
    m.put("faas.coldstart", true);
    m.put("faas.max_memory", 536870912L);
    m.put("int", 7);
    m.put("aws.lambda.estimated_cost_usd", 1.6667e-8 * 123.4);
    m.put("d", 0.1);
    m.put("big", 1e300);
    m.put("neg", -0.0);
    m.put("aws.log.group.names", List.of("/aws/lambda/a", "/aws/lambda/b"));
    m.put("mixed", Arrays.asList("x", 1L, 2.5, false, null));
    m.put("controls", controls + " \"quoted\" back\\slash / \u007f é 東京 \uD83D\uDE00 \u2028");
    m.put("k\"ey\n", "v");
    m.put("null", null);
    m.put("", "");
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("a", 1L);
    inner.put("b", List.of("x"));
    m.put("map", inner);
    return m;
  }

  @Test
  void attributesAreWrittenExactlyAsJacksonWritesThem() throws Exception {
    Map<String, Object> m = attributes();
    assertThat(Codec.attrs(m)).isEqualTo(JACKSON.writeValueAsString(m));
    assertThat(Codec.attrs(Map.of())).isEqualTo("{}");
    assertThat(Codec.attrs(Codec.attrs(m))).isEqualTo(Codec.attrs(JACKSON.writeValueAsString(m)));
  }

  @Test
  void eventsAndLinksAreWrittenExactlyAsBeforeAndReadBack() throws Exception {
    Map<String, Object> attributes = attributes();
    attributes.values().removeIf(java.util.Objects::isNull); // span data holds no null attribute
    List<SpanData.Event> events = List.of(new SpanData.Event("exception", 1_764_000_000_123_456_789L, attributes),
        new SpanData.Event("aws.lambda.timeout_warning", 5, Map.of("exception.stacktrace", "at a\n\tat b")));
    List<SpanData.Link> links = List.of(new SpanData.Link("5759e988bd862e3fe1be46a994272793", "53995c3f42cd8ad8",
        Map.of("messaging.system", "aws_sqs")));
    List<Map<String, Object>> e = new ArrayList<>();
    for (SpanData.Event x : events) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("n", x.name());
      m.put("t", x.epochNanos());
      m.put("a", x.attributes());
      e.add(m);
    }
    List<Map<String, Object>> l = new ArrayList<>();
    for (SpanData.Link x : links) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("tr", x.traceId());
      m.put("sp", x.spanId());
      m.put("a", x.attributes());
      l.add(m);
    }
    assertThat(Codec.events(events)).isEqualTo(JACKSON.writeValueAsString(e));
    assertThat(Codec.links(links)).isEqualTo(JACKSON.writeValueAsString(l));
    assertThat(Codec.events(List.of())).isEqualTo("[]");
    assertThat(Codec.links(List.of())).isEqualTo("[]");
    assertThat(Codec.links(Codec.links(links))).isEqualTo(links);
    assertThat(Codec.events(Codec.events(events)).get(1)).isEqualTo(events.get(1));
  }

  @Test
  void valuesItDoesNotKnowAreLeftToJackson() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nan", Double.NaN);
    m.put("float", 1.5f);
    m.put("nested", List.of(List.of(1L)));
    m.put("map with a key that is not a string", Map.of(1L, "a"));
    for (Map.Entry<String, Object> e : m.entrySet()) {
      Map<String, Object> one = Map.of(e.getKey(), e.getValue());
      assertThat(Codec.attrs(one)).isEqualTo(JACKSON.writeValueAsString(one));
    }
  }
}
