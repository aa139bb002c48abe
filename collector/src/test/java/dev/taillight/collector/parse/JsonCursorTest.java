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

  @Test
  void numbers_read_in_place_equal_the_jdk_parser_to_the_last_bit() {
    java.util.Random random = new java.util.Random(11);
    List<String> numbers = new ArrayList<>(List.of("0", "-0", "0.0", "1", "-1", "0.000007591681", "174.055", "1e22",
        "1e23", "1.5e-7", "123456789012345", "1234567890123456", "0.1", "0.2", "0.30000000000000004", "9007199254740993",
        "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308", "1.", ".5", "00012.50", "1E5", "1e+5",
        "3.14159265358979", "-987654.321e-3"));
    for (int i = 0; i < 20_000; i++) {
      numbers.add(Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20)));
      numbers.add(String.format(java.util.Locale.ROOT, "%." + random.nextInt(16) + "f", random.nextDouble() * 1000));
      numbers.add(Long.toString(random.nextLong() >> random.nextInt(64)));
    }
    for (String n : numbers) {
      double expected = Double.parseDouble(n);
      JsonCursor c = new JsonCursor("{\"d\":" + n + "}");
      c.beginObject();
      c.nextField();
      double read = c.doubleValue();
      assertThat(Double.doubleToRawLongBits(read)).as(n).isEqualTo(Double.doubleToRawLongBits(expected));
    }
  }

  @Test
  void quoted_nineteen_digit_integers_read_exactly_and_larger_ones_as_unsigned() {
    assertThat(fields("{\"n\":\"1795838399150000000\"}")).containsExactly("n=1795838399150000000");
    assertThat(fields("{\"n\":\"9223372036854775807\"}")).containsExactly("n=9223372036854775807");
    assertThat(fields("{\"n\":\"9223372036854775808\"}")).containsExactly("n=-9223372036854775808");
    assertThat(fields("{\"n\":\"18446744073709551615\"}")).containsExactly("n=-1");
    assertThatThrownBy(() -> fields("{\"n\":\"18446744073709551616\"}")).isInstanceOf(NumberFormatException.class);
  }
}
