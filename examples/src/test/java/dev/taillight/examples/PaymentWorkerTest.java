package dev.taillight.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PaymentWorkerTest {
  private final ListQueue notifications = new ListQueue();
  private final PaymentWorker worker = new PaymentWorker(notifications);

  @Test
  void every_order_of_a_batch_is_charged_and_sent_on_as_paid() {
    var response = worker.handleRequest(Events.sqs(
        "{\"orderId\":\"o-1\",\"customer\":\"ada\",\"amount\":42.5}",
        "{\"orderId\":\"o-2\",\"customer\":\"bob\",\"amount\":3,\"memoryMb\":64}"),
        new FakeContext("payment-worker", "req-1"));

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(notifications.orders()).extracting(Order::orderId, Order::status, Order::memoryMb)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("o-1", "paid", 0),
            org.assertj.core.groups.Tuple.tuple("o-2", "paid", 64));
    assertThat(notifications.sent).allSatisfy(s -> assertThat(s.traceId()).matches("[0-9a-f]{32}"));
  }

  @Test
  void declined_card_is_handled_and_the_customer_is_told() {
    worker.handleRequest(Events.sqs("{\"orderId\":\"o-7\",\"amount\":7}"), new FakeContext("payment-worker", "r2"));

    assertThat(notifications.orders()).extracting(Order::status).containsExactly("declined");
  }

  @Test
  void card_processor_failure_is_not_handled_and_fails_the_invocation() {
    assertThatThrownBy(() -> worker.handleRequest(Events.sqs(
        "{\"orderId\":\"o-1\",\"amount\":1}", "{\"orderId\":\"o-13\",\"amount\":13}"),
        new FakeContext("payment-worker", "req-3")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("card processor returned HTTP 500 for order o-13 (amount 13)");

    assertThat(notifications.orders()).extracting(Order::orderId).containsExactly("o-1");
  }
}
