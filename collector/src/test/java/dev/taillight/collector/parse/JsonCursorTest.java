package dev.taillight.collector.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonCursorTest {

  private static List<String> fields(String json) {
    JsonCursor c = new JsonCursor(json);
    List<String> out = new ArrayList<>();
    c.beginObject();
    while (c.nextField()) {
      if (c.fieldIs("s")) {
        out.add("s=" + c.string());
      } else if (c.fieldIs("n")) {
        out.add("n=" + c.longValue());
      } else if (c.fieldIs("d")) {
        out.add("d=" + c.doubleValue());
      } else if (c.fieldIs("b")) {
        out.add("b=" + c.bool());
      } else {
        c.skipValue();
        out.add("skipped");
      }
    }
    assertThat(c.atEnd()).isTrue();
    return out;
  }

  @Test
  void reads_strings_with_every_escape() {
    assertThat(fields("{\"s\":\"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f\\u00e9\\u20ac\"}"))
        .containsExactly("s=a\"b\\c/d\n\t\r\b\f\u00e9\u20ac");
  }

  @Test
  void reads_numbers_written_as_numbers_or_strings() {
    assertThat(fields("{\"n\":\"1716222585008000000\",\"n\":-42,\"n\":1.5e3,\"d\":0.000007591681,\"d\":\"NaN\"}"))
        .containsExactly("n=1716222585008000000", "n=-42", "n=1500", "d=7.591681E-6", "d=NaN");
  }

  @Test
  void reads_64_bit_unsigned_strings() {
    assertThat(fields("{\"n\":\"18446744073709551615\"}")).containsExactly("n=-1");
  }

  @Test
  void skips_nested_values_of_any_kind() {
    assertThat(fields("{\"x\":{\"a\":[1,{\"b\":\"}]\\\"\"},[]],\"c\":null},\"y\":[],\"z\":true,\"b\":false}"))
        .containsExactly("skipped", "skipped", "skipped", "b=false");
  }

  @Test
  void rejects_malformed_input_with_the_shared_exception() {
    for (String bad : List.of("", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":1 \"b\":2}", "{\"s\":\"open",
        "{\"s\":\"\\x\"}", "{\"n\":\"12a\"}", "[1,2", "{\"b\":tru}")) {
      assertThatThrownBy(() -> fields(bad)).as(bad).isInstanceOf(RuntimeException.class);
    }
  }

  @Test
  void refuses_nesting_deeper_than_any_log_record_instead_of_recursing() {
    String deep = "{\"x\":" + "[".repeat(100) + "]".repeat(100) + "}";
    assertThatThrownBy(() -> fields(deep)).isSameAs(JsonCursor.MALFORMED);
  }

  @Test
  void trailing_garbage_is_visible_to_the_caller() {
    JsonCursor c = new JsonCursor("{\"a\":1} x");
    c.beginObject();
    while (c.nextField()) {
      c.skipValue();
    }
    assertThat(c.atEnd()).isFalse();
  }
}
