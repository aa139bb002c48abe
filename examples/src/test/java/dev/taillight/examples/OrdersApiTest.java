package dev.taillight.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrdersApiTest {
  private final ListQueue payments = new ListQueue();
  private final List<Long> pauses = new ArrayList<>();
  private final OrdersApi api = new OrdersApi(payments, pauses::add);

  @Test
  void accepted_order_is_sent_to_payments_in_the_same_trace_and_answered_with_202() {
    APIGatewayV2HTTPResponse r = api.handleRequest(
        Events.post("/orders", "{\"orderId\":\"o-1\",\"customer\":\"ada\",\"amount\":42.5}"),
        new FakeContext("orders-api", "req-1"));

    assertThat(r.getStatusCode()).isEqualTo(202);
    assertThat(payments.orders()).containsExactly(
        new Order("o-1", "ada", new BigDecimal("42.5"), 0, 0, "new"));
    String traceId = payments.sent.get(0).traceId();
    assertThat(traceId).matches("[0-9a-f]{32}");
    assertThat(r.getBody()).isEqualTo("{\"orderId\":\"o-1\",\"status\":\"accepted\",\"traceId\":\"" + traceId + "\"}");
    assertThat(pauses).isEmpty();
  }

  @Test
  void base64_body_is_decoded() {
    var event = Events.post("/prod/orders", Base64.getEncoder().encodeToString(
        "{\"orderId\":\"o-2\",\"amount\":5}".getBytes(StandardCharsets.UTF_8)));
    event.setIsBase64Encoded(true);

    APIGatewayV2HTTPResponse r = api.handleRequest(event, new FakeContext("orders-api", "req-2"));

    assertThat(r.getStatusCode()).isEqualTo(202);
    assertThat(payments.orders()).extracting(Order::orderId).containsExactly("o-2");
  }

  @Test
  void slow_inventory_call_waits_for_the_orders_sleepMs() {
    api.handleRequest(Events.post("/orders", "{\"orderId\":\"o-3\",\"amount\":1,\"sleepMs\":5000}"),
        new FakeContext("orders-api", "req-3"));

    assertThat(pauses).containsExactly(5000L);
    assertThat(payments.orders().get(0).sleepMs()).isEqualTo(5000);
  }

  @Test
  void order_without_a_positive_amount_is_rejected_with_400_and_nothing_is_sent() {
    APIGatewayV2HTTPResponse zero = api.handleRequest(Events.post("/orders", "{\"orderId\":\"o-4\",\"amount\":0}"),
        new FakeContext("orders-api", "req-4"));
    APIGatewayV2HTTPResponse missing = api.handleRequest(Events.post("/orders", "{\"orderId\":\"o-5\"}"),
        new FakeContext("orders-api", "req-5"));

    assertThat(zero.getStatusCode()).isEqualTo(400);
    assertThat(zero.getBody()).contains("amount must be a positive number").contains("o-4");
    assertThat(missing.getStatusCode()).isEqualTo(400);
    assertThat(payments.sent).isEmpty();
  }

  @Test
  void body_that_is_not_an_order_is_rejected_with_400() {
    APIGatewayV2HTTPResponse notJson = api.handleRequest(Events.post("/orders", "{oops"),
        new FakeContext("orders-api", "req-6"));
    APIGatewayV2HTTPResponse array = api.handleRequest(Events.post("/orders", "[1]"),
        new FakeContext("orders-api", "req-7"));

    assertThat(notJson.getStatusCode()).isEqualTo(400);
    assertThat(array.getStatusCode()).isEqualTo(400);
    assertThat(payments.sent).isEmpty();
  }

  @Test
  void other_routes_answer_404() {
    APIGatewayV2HTTPResponse r = api.handleRequest(Events.get("/orders"), new FakeContext("orders-api", "req-8"));

    assertThat(r.getStatusCode()).isEqualTo(404);
    assertThat(payments.sent).isEmpty();
  }
}
