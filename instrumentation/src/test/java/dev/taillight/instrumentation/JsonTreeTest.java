package dev.taillight.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTreeTest {
  @Test
  void reads_objects_arrays_strings_numbers_and_literals() {
    Object v = JsonTree.parse("{\"a\":[1,-2.5e1,true,false,null],\"b\":\"x\\\"\\u00e9\\n\u00fc\",\"c\":{}}");
    assertThat(v).isEqualTo(Map.of("a", java.util.Arrays.asList(1L, -25.0, true, false, null),
        "b", "x\"\u00e9\n\u00fc", "c", Map.of()));
  }

  @Test
  void keeps_key_order_and_utf8() {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) JsonTree.parse("{\"z\":\"\u65e5\u672c\",\"a\":[]}");
    assertThat(m.keySet()).containsExactly("z", "a");
    assertThat(m.get("z")).isEqualTo("\u65e5\u672c");
    assertThat(m.get("a")).isEqualTo(List.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "{\"a\"}", "[1,]x", "{\"a\":1}}", "tru", "\"unterminated", "{\"a\":\"\\q\"}",
      "[\"\\u12\"]", "-", "\u0001"})
  void invalid_input_gives_invalid_never_an_exception(String text) {
    assertThat(JsonTree.parse(text)).isSameAs(JsonTree.INVALID);
  }

  @Test
  void deep_nesting_is_invalid_not_a_stack_overflow() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThat(JsonTree.parse(deep)).isSameAs(JsonTree.INVALID);
  }

  @Test
  void null_bytes_are_invalid() {
    assertThat(JsonTree.parse((byte[]) null)).isSameAs(JsonTree.INVALID);
  }
}
