package dev.taillight.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogSinkTest {

  @Test
  void composite_of_none_is_noop_and_of_one_is_that_sink() {
    List<RawEvent> got = new ArrayList<>();
    LogSink one = got::add;
    assertThat(LogSink.composite(List.of())).isSameAs(LogSink.noop());
    assertThat(LogSink.composite(one)).isSameAs(one);
  }

  @Test
  void composite_delivers_to_every_sink_in_order() {
    List<String> got = new ArrayList<>();
    LogSink a = e -> got.add("a:" + e.message());
    LogSink b = e -> got.add("b:" + e.message());
    LogSink.composite(a, b).accept(RawEvent.of("/aws/lambda/f", "s", 1, "hello"));
    assertThat(got).containsExactly("a:hello", "b:hello");
  }

  @Test
  void synthetic_ids_are_stable_and_differ_by_content() {
    String id1 = RawEvent.syntheticId("g", "s", 10, "x");
    assertThat(RawEvent.syntheticId("g", "s", 10, "x")).isEqualTo(id1);
    assertThat(RawEvent.syntheticId("g", "s", 10, "y")).isNotEqualTo(id1);
    assertThat(RawEvent.syntheticId("g", "s2", 10, "x")).isNotEqualTo(id1);
  }
}
