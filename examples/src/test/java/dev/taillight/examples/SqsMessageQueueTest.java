package dev.taillight.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.taillight.instrumentation.Taillight;
import dev.taillight.testing.MotoServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The real SDK v2 SQS client against moto_server's SQS. */
class SqsMessageQueueTest {
  private final MotoServer moto = MotoServer.shared();
  private final Map<String, String> env = Map.of(
      "AWS_ENDPOINT_URL_SQS", moto.endpoint().toString(),
      "AWS_REGION", "us-east-1",
      "AWS_ACCESS_KEY_ID", "testing",
      "AWS_SECRET_ACCESS_KEY", "testing");

  @Test
  void message_sent_during_an_invocation_carries_its_trace_context_through_the_sdk_interceptor() {
    SqsClient sqs = SqsMessageQueue.client(env::get);
    String url = sqs.createQueue(q -> q.queueName(MotoServer.unique("payments").replace('/', '-'))).queueUrl();
    SqsMessageQueue queue = SqsMessageQueue.fromEnv(Map.of("PAYMENTS_QUEUE_URL", url, "AWS_ENDPOINT_URL_SQS",
        moto.endpoint().toString(), "AWS_REGION", "us-east-1")::get, "PAYMENTS_QUEUE_URL");
    String[] seen = new String[2];
    RequestHandler<String, String> handler = Taillight.wrap((in, ctx) -> {
      queue.send(in);
      seen[0] = Taillight.traceId();
      seen[1] = Taillight.spanId();
      return "ok";
    });

    handler.handleRequest("{\"orderId\":\"o-1\",\"amount\":1}", new FakeContext("orders-api", "req-1"));

    List<Message> got = sqs.receiveMessage(r -> r.queueUrl(url).messageAttributeNames("All")
        .maxNumberOfMessages(10)).messages();
    assertThat(got).hasSize(1);
    assertThat(got.get(0).body()).isEqualTo("{\"orderId\":\"o-1\",\"amount\":1}");
    // the same trace; the parent is the SendMessage call's child span, not the invocation span itself
    assertThat(got.get(0).messageAttributes().get("traceparent").stringValue())
        .matches("00-" + seen[0] + "-[0-9a-f]{16}-01")
        .doesNotContain(seen[1]);
  }

  @Test
  void missing_queue_url_is_a_clear_init_error() {
    assertThatThrownBy(() -> SqsMessageQueue.fromEnv(Map.<String, String>of()::get, "PAYMENTS_QUEUE_URL"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("PAYMENTS_QUEUE_URL is not set: set it to the URL of the SQS queue this function sends to"
            + " (see examples/template.yaml)");
  }
}
