package dev.taillight.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class NotifierTest {

  @Test
  void every_outcome_of_a_batch_is_sent() {
    String result = new Notifier().handleRequest(Events.sqs(
        "{\"orderId\":\"o-1\",\"customer\":\"ada\",\"amount\":42.5,\"status\":\"paid\"}",
        "{\"orderId\":\"o-7\",\"customer\":\"bob\",\"amount\":7,\"status\":\"declined\"}"),
        new FakeContext("notifier", "req-1"));

    assertThat(result).isEqualTo("sent 2");
  }

  @Test
  void receipt_holds_memoryMb_megabytes_at_once() {
    Order big = new Order("o-9", "ada", BigDecimal.ONE, 0, 8, "paid");
    Order small = new Order("o-10", "ada", BigDecimal.ONE, 0, 0, "paid");

    assertThat(Notifier.renderReceipt(big)).isEqualTo(8L << 20);
    assertThat(Notifier.renderReceipt(small)).isEqualTo(1024);
  }
}
