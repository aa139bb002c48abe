package dev.taillight.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class OrderTest {

  @Test
  void order_survives_the_trip_through_json() {
    Order o = new Order("o-1", "ada", new BigDecimal("13"), 4000, 64, "paid");

    assertThat(Order.parse(o.toJson())).isEqualTo(o);
  }

  @Test
  void missing_fields_get_defaults_and_a_non_numeric_amount_is_null() {
    Order o = Order.parse("{\"amount\":\"lots\",\"sleepMs\":-5}");

    assertThat(o).isEqualTo(new Order("unknown", "anonymous", null, 0, 0, "new"));
  }

  @Test
  void text_that_is_not_a_json_object_is_a_clear_error() {
    assertThatThrownBy(() -> Order.parse("nope")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("order is not JSON");
    assertThatThrownBy(() -> Order.parse("3")).hasMessage("order must be a JSON object");
    assertThatThrownBy(() -> Order.parse(null)).hasMessage("order must be a JSON object");
  }
}
