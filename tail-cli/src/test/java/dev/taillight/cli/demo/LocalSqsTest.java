package dev.taillight.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** The local queues, driven by the real AWS SDK v2 SQS client (which checks the MD5 digests of what it sent). */
class LocalSqsTest {
  private final LocalSqs sqs = LocalSqs.start(Clock.systemUTC(), new Random(7));
  private final SqsClient client = SqsClient.builder()
      .endpointOverride(URI.create(sqs.endpoint()))
      .region(Region.US_EAST_1)
      .credentialsProvider(AnonymousCredentialsProvider.create())
      .httpClientBuilder(UrlConnectionHttpClient.builder())
      .build();
  private final List<JsonNode> delivered = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    client.close();
    sqs.close();
  }

  private LocalSqs.Consumer recording(LocalSqs.Outcome outcome) {
    return event -> {
      try {
        delivered.add(LocalSqs.JSON.readTree(event));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return outcome;
    };
  }

  @Test
  void sent_message_arrives_as_an_sqs_event_with_its_attributes_and_trace_header() throws Exception {
    String url = sqs.createQueue("payments", recording(LocalSqs.Outcome.OK), 10, Duration.ZERO, 1,
        Duration.ofMillis(10), 2);

    String id = client.sendMessage(m -> m.queueUrl(url).messageBody("{\"orderId\":\"o-1\"}")
        .messageAttributes(java.util.Map.of(
            "traceparent", attr("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            "X-Amzn-Trace-Id", attr("Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=00f067aa0ba902b7;Sampled=1")))
        .overrideConfiguration(c -> c.putHeader("X-Amzn-Trace-Id",
            "Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=00f067aa0ba902b7;Sampled=1")))
        .messageId();

    assertThat(sqs.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(delivered).hasSize(1);
    JsonNode record = delivered.get(0).path("Records").get(0);
    assertThat(record.path("messageId").asText()).isEqualTo(id);
    assertThat(record.path("body").asText()).isEqualTo("{\"orderId\":\"o-1\"}");
    assertThat(record.path("eventSource").asText()).isEqualTo("aws:sqs");
    assertThat(record.path("eventSourceARN").asText()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:payments");
    assertThat(record.path("messageAttributes").path("traceparent").path("stringValue").asText())
        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(record.path("attributes").path("AWSTraceHeader").asText())
        .isEqualTo("Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=00f067aa0ba902b7;Sampled=1");
    assertThat(record.path("attributes").path("ApproximateReceiveCount").asText()).isEqualTo("1");
  }

  @Test
  void messages_sent_together_are_delivered_in_one_batch() throws Exception {
    CountDownLatch sent = new CountDownLatch(1);
    LocalSqs.Consumer waitForAll = event -> {
      try {
        sent.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return recording(LocalSqs.Outcome.OK).deliver(event);
    };
    String url = sqs.createQueue("payments", waitForAll, 10, Duration.ofSeconds(2), 1, Duration.ofMillis(10), 2);

    for (int i = 1; i <= 3; i++) {
      String body = "{\"orderId\":\"o-" + i + "\"}";
      client.sendMessage(m -> m.queueUrl(url).messageBody(body));
    }
    sent.countDown();

    assertThat(sqs.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(delivered).hasSize(1);
    assertThat(delivered.get(0).path("Records")).hasSize(3);
  }

  @Test
  void failed_batch_comes_back_and_is_dead_after_max_receive_count() throws Exception {
    String url = sqs.createQueue("payments", recording(LocalSqs.Outcome.FAILED), 10, Duration.ZERO, 1,
        Duration.ofMillis(10), 2);

    client.sendMessage(m -> m.queueUrl(url).messageBody("{\"orderId\":\"o-13\"}"));

    assertThat(sqs.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(delivered).extracting(e -> e.path("Records").get(0).path("attributes")
        .path("ApproximateReceiveCount").asText()).containsExactly("1", "2");
    assertThat(sqs.deadLetters()).extracting(LocalSqs.Message::body).containsExactly("{\"orderId\":\"o-13\"}");
  }

  @Test
  void unknown_queue_and_unsupported_actions_are_clear_errors() {
    assertThatThrownBy(() -> client.sendMessage(m -> m.queueUrl(sqs.endpoint() + "/000000000000/nope")
        .messageBody("x")))
        .isInstanceOf(QueueDoesNotExistException.class)
        .hasMessageContaining("no local queue " + sqs.endpoint() + "/000000000000/nope");
    assertThatThrownBy(() -> client.listQueues())
        .isInstanceOf(SqsException.class)
        .hasMessageContaining("the local queue service supports SendMessage only, not ListQueues");
  }

  private static MessageAttributeValue attr(String v) {
    return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
  }
}
