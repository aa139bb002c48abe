package dev.taillight.localruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taillight.collector.LogSink;
import dev.taillight.collector.RawEvent;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

@Timeout(60)
class LocalSqsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static SqsClient client(LocalSqs sqs) {
    return SqsClient.builder().endpointOverride(URI.create(sqs.endpoint())).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
  }

  @Test
  void the_real_sdk_client_sends_messages_and_batches_to_local_queues() throws Exception {
    try (LocalSqs sqs = LocalSqs.start("us-east-1", "123456789012", Clock.systemUTC(), new Random(1));
        SqsClient client = client(sqs)) {
      LocalQueue q = sqs.queue("orders");
      String url = client.getQueueUrl(b -> b.queueName("orders")).queueUrl();
      assertThat(url).isEqualTo(q.url()).endsWith("/123456789012/orders");

      var sent = client.sendMessage(b -> b.queueUrl(url).messageBody("{\"id\":1}")
          .messageAttributes(java.util.Map.of("kind", MessageAttributeValue.builder().dataType("String")
              .stringValue("new").build()))
          .messageSystemAttributesWithStrings(java.util.Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER.toString(),
              MessageSystemAttributeValue.builder().dataType("String")
                  .stringValue("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1").build())));
      assertThat(sent.md5OfMessageBody()).isEqualTo(LocalSqs.md5("{\"id\":1}"));
      var batch = client.sendMessageBatch(b -> b.queueUrl(url).entries(
          SendMessageBatchRequestEntry.builder().id("a").messageBody("two").build(),
          SendMessageBatchRequestEntry.builder().id("b").messageBody("three").build()));
      assertThat(batch.successful()).extracting(e -> e.id()).containsExactly("a", "b");
      assertThat(batch.failed()).isEmpty();
      assertThatThrownBy(() -> client.getQueueUrl(b -> b.queueName("nope")))
          .isInstanceOf(QueueDoesNotExistException.class);

      List<LocalQueue.Message> taken = q.take(10, 0);
      assertThat(taken).extracting(LocalQueue.Message::body).containsExactly("{\"id\":1}", "two", "three");
      assertThat(taken.get(0).messageId()).isEqualTo(sent.messageId());
      assertThat(taken.get(0).stringAttributes()).containsEntry("kind", "new");
      assertThat(taken.get(0).traceHeader()).startsWith("Root=1-5759e988-bd862e3fe1be46a994272793");

      // the event a trigger would deliver has Lambda's SQS shape
      JsonNode event = JSON.readTree(sqsEvent(q, taken).payload());
      JsonNode r = event.get("Records").get(0);
      assertThat(r.get("messageId").asText()).isEqualTo(sent.messageId());
      assertThat(r.get("body").asText()).isEqualTo("{\"id\":1}");
      assertThat(r.get("eventSource").asText()).isEqualTo("aws:sqs");
      assertThat(r.get("eventSourceARN").asText()).isEqualTo("arn:aws:sqs:us-east-1:123456789012:orders");
      assertThat(r.get("attributes").get("AWSTraceHeader").asText()).startsWith("Root=1-5759e988-");
      assertThat(r.get("attributes").get("ApproximateReceiveCount").asText()).isEqualTo("1");
      assertThat(r.get("messageAttributes").get("kind").get("stringValue").asText()).isEqualTo("new");
      assertThat(r.get("md5OfBody").asText()).isEqualTo(sent.md5OfMessageBody());
      assertThat(event.get("Records")).hasSize(3);
    }
  }

  private static InvokeRequest sqsEvent(LocalQueue q, List<LocalQueue.Message> batch) {
    return SqsTrigger.request(q, "us-east-1", batch);
  }

  @Test
  void a_producer_function_feeds_a_consumer_function_through_a_local_queue_in_one_trace() throws Exception {
    CountDownLatch consumed = new CountDownLatch(3);
    InMemorySink memory = new InMemorySink();
    LogSink sink = LogSink.composite(memory, new LogSink() {
      @Override
      public void accept(RawEvent e) {
        if (e.message().startsWith("consumed ")) {
          consumed.countDown();
        }
      }
    });
    try (LocalSqs sqs = LocalSqs.start();
        LocalRuntime producer = LocalRuntime.builder().sink(sink).reapIdleInBackground(false)
            .function(FunctionConfig.builder("dev.taillight.localruntime.testfn.ProducerHandler::handleRequest")
                .name("producer").classpath(LocalRuntimeTest.CODE).activeTracing(true)
                .env("AWS_ENDPOINT_URL_SQS", sqs.endpoint()).build()).build();
        LocalRuntime consumer = LocalRuntime.builder().sink(sink).reapIdleInBackground(false)
            .function(FunctionConfig.builder("dev.taillight.localruntime.testfn.ConsumerHandler::handleRequest")
                .name("consumer").classpath(LocalRuntimeTest.CODE).build()).build();
        SqsTrigger trigger = SqsTrigger.start(sqs.queue("orders"), consumer, 10)) {
      InvocationResult sent = producer.invoke("{\"count\":3}");
      assertThat(sent.succeeded()).as(sent.payload()).isTrue();
      assertThat(consumed.await(30, TimeUnit.SECONDS)).isTrue();

      String root = sent.traceHeader().split(";")[0].substring("Root=".length());
      List<String> lines = memory.events().stream().filter(e -> e.logGroup().equals("/aws/lambda/consumer"))
          .map(RawEvent::message).filter(m -> m.startsWith("consumed ")).toList();
      assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l)
          .contains(" from aws:sqs arn:aws:sqs:us-east-1:000000000000:orders trace Root=" + root + ";"));
      assertThat(lines).extracting(l -> l.split(" ")[1]).containsExactlyInAnyOrder("order-0", "order-1", "order-2");
      assertThat(sqs.queue("orders").sentCount()).isEqualTo(3);
      assertThat(trigger.invocations()).isPositive();
    }
  }
}
