package dev.taillight.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.taillight.testing.MotoServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The SDK interceptor with real AWS SDK v2 clients: SQS against moto_server, Lambda Invoke against a
 * local HTTP server that records what the SDK sent. The interceptor is picked up from the global
 * {@code execution.interceptors} file, as in a user's function.
 */
class TaillightTracingInterceptorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Tracers t = new Tracers();

  private static SqsClient sqs() {
    MotoServer moto = MotoServer.shared();
    return SqsClient.builder().endpointOverride(moto.endpoint()).region(MotoServer.REGION)
        .credentialsProvider(MotoServer.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
  }

  /** Turns received SQS messages into the event Lambda's SQS poller would deliver. */
  private static Map<String, Object> sqsEvent(List<Message> messages, String queueArn) {
    List<Object> records = new ArrayList<>();
    for (Message m : messages) {
      Map<String, Object> attrs = new LinkedHashMap<>();
      m.messageAttributes().forEach((k, v) -> attrs.put(k, Map.of("stringValue", v.stringValue(), "dataType", v.dataType())));
      Map<String, Object> system = new LinkedHashMap<>();
      m.attributesAsStrings().forEach(system::put);
      records.add(Map.of("messageId", m.messageId(), "body", m.body(), "eventSource", "aws:sqs",
          "eventSourceARN", queueArn, "messageAttributes", attrs, "attributes", system));
    }
    return Map.of("Records", records);
  }

  @Test
  void sqs_message_sent_in_one_function_continues_the_trace_in_the_next() {
    try (SqsClient sqs = sqs()) {
      String url = sqs.createQueue(b -> b.queueName(MotoServer.unique("orders"))).queueUrl();
      String arn = sqs.getQueueAttributes(b -> b.queueUrl(url)
          .attributeNames(software.amazon.awssdk.services.sqs.model.QueueAttributeName.QUEUE_ARN))
          .attributes().get(software.amazon.awssdk.services.sqs.model.QueueAttributeName.QUEUE_ARN);
      Tracer tracer = t.build();
      RequestHandler<Object, Object> producer = Taillight.wrap((in, c) -> {
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("{\"order\":42}")
            .messageAttributes(Map.of("tenant", MessageAttributeValue.builder().dataType("String").stringValue("acme").build())));
        return "sent";
      }, tracer);
      producer.handleRequest(Map.of(), FakeLambdaContext.create("req-producer"));
      SpanLine sent = SpanLine.parse(t.writer.lines().get(0));
      JsonNode call = sent.child("Sqs.SendMessage");

      List<Message> received = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
          .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
      assertThat(received).hasSize(1);
      assertThat(received.get(0).messageAttributes()).containsKeys("tenant", "traceparent");

      RequestHandler<Object, Object> consumer = Taillight.wrap((in, c) -> "consumed", tracer);
      consumer.handleRequest(sqsEvent(received, arn), FakeLambdaContext.create("req-consumer"));
      SpanLine consumed = SpanLine.parse(t.writer.lines().get(1));

      assertThat(call).isNotNull();
      assertThat(call.path("kind").asInt()).isEqualTo(SpanRecord.KIND_PRODUCER);
      assertThat(call.path("parentSpanId").asText()).isEqualTo(sent.invocation().path("spanId").asText());
      assertThat(SpanLine.attr(call, "rpc.method")).isEqualTo("SendMessage");
      assertThat(SpanLine.attr(call, "http.response.status_code")).isEqualTo(200L);
      assertThat(SpanLine.attr(call, "aws.lambda.trace_context_injected")).isEqualTo(true);
      assertThat(consumed.invocation().path("traceId").asText()).isEqualTo(sent.invocation().path("traceId").asText());
      assertThat(consumed.invocation().path("parentSpanId").asText()).isEqualTo(call.path("spanId").asText());
      assertThat(consumed.attr("faas.trigger")).isEqualTo("pubsub");
    }
  }

  @Test
  void batch_entries_each_carry_the_context_and_a_full_attribute_set_is_left_alone() {
    try (SqsClient sqs = sqs()) {
      String url = sqs.createQueue(b -> b.queueName(MotoServer.unique("batch"))).queueUrl();
      Map<String, MessageAttributeValue> ten = new LinkedHashMap<>();
      for (int i = 0; i < 10; i++) {
        ten.put("a" + i, MessageAttributeValue.builder().dataType("String").stringValue("v" + i).build());
      }
      Tracer tracer = t.build();
      Taillight.wrap((in, c) -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
          SendMessageBatchRequestEntry.builder().id("1").messageBody("one").build(),
          SendMessageBatchRequestEntry.builder().id("2").messageBody("two").messageAttributes(ten).build())), tracer)
          .handleRequest(Map.of(), FakeLambdaContext.create("req-batch"));

      List<Message> received = new ArrayList<>();
      for (int i = 0; i < 5 && received.size() < 2; i++) {
        received.addAll(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
            .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages());
      }
      Map<String, Message> byBody = new LinkedHashMap<>();
      received.forEach(m -> byBody.put(m.body(), m));
      assertThat(byBody.get("one").messageAttributes()).containsKey("traceparent");
      assertThat(byBody.get("two").messageAttributes()).hasSize(10).doesNotContainKey("traceparent");
      SpanLine line = SpanLine.parse(t.writer.only());
      assertThat(line.child("Sqs.SendMessageBatch")).isNotNull();
    }
  }

  @Test
  void lambda_invoke_gets_the_context_in_client_context_custom_merged_with_the_callers() throws Exception {
    List<String> clientContexts = new ArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      synchronized (clientContexts) {
        clientContexts.add(ex.getRequestHeaders().getFirst("X-Amz-Client-Context"));
      }
      ex.getRequestBody().readAllBytes();
      byte[] body = "\"ok\"".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("X-Amz-Executed-Version", "$LATEST");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    try (LambdaClient lambda = LambdaClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .region(MotoServer.REGION).credentialsProvider(MotoServer.credentials())
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      String callerContext = java.util.Base64.getEncoder().encodeToString(
          "{\"custom\":{\"tenant\":\"acme\"},\"env\":{\"app\":\"web\"}}".getBytes(StandardCharsets.UTF_8));
      Tracer tracer = t.build();
      Taillight.wrap((in, c) -> lambda.invoke(b -> b.functionName("payments").clientContext(callerContext)
          .payload(SdkBytes.fromUtf8String("{}"))), tracer).handleRequest(Map.of(), FakeLambdaContext.create("r"));

      SpanLine line = SpanLine.parse(t.writer.only());
      JsonNode call = line.child("Lambda.Invoke");
      JsonNode sent = JSON.readTree(LambdaInjector.decode(clientContexts.get(0)));
      assertThat(sent.path("env").path("app").asText()).isEqualTo("web");
      assertThat(sent.path("custom").path("tenant").asText()).isEqualTo("acme");
      assertThat(sent.path("custom").path("traceparent").asText())
          .isEqualTo("00-" + line.invocation().path("traceId").asText() + "-" + call.path("spanId").asText() + "-01");
      assertThat(call.path("kind").asInt()).isEqualTo(SpanRecord.KIND_CLIENT);

      // the invoked function reads it back from ClientContext.custom
      Map<String, String> custom = JSON.convertValue(sent.path("custom"), Map.class);
      Tracers next = new Tracers();
      Taillight.wrap((in, c) -> "paid", next.build())
          .handleRequest(Map.of(), FakeLambdaContext.builder().clientContextCustom(custom).build());
      SpanLine paid = SpanLine.parse(next.writer.only());
      assertThat(paid.invocation().path("parentSpanId").asText()).isEqualTo(call.path("spanId").asText());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void failed_sdk_calls_become_error_child_spans_and_the_user_sees_the_sdk_exception() {
    try (SqsClient sqs = sqs()) {
      Tracer tracer = t.build();
      Object out = Taillight.wrap((in, c) -> {
        try {
          sqs.sendMessage(b -> b.queueUrl(MotoServer.shared().endpoint() + "/123456789012/does-not-exist")
              .messageBody("x"));
          return "sent";
        } catch (software.amazon.awssdk.services.sqs.model.SqsException e) {
          return "failed: " + e.awsErrorDetails().errorCode();
        }
      }, tracer).handleRequest(Map.of(), FakeLambdaContext.create("r"));

      assertThat((String) out).startsWith("failed: ");
      JsonNode call = SpanLine.parse(t.writer.only()).child("Sqs.SendMessage");
      assertThat(call.path("status").path("code").asInt()).isEqualTo(2);
      assertThat(call.path("events").get(0).path("name").asText()).isEqualTo("exception");
    }
  }

  @Test
  void outside_an_invocation_requests_are_untouched() {
    try (SqsClient sqs = sqs()) {
      String url = sqs.createQueue(b -> b.queueName(MotoServer.unique("plain"))).queueUrl();
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("plain"));
      Message m = sqs.receiveMessage(b -> b.queueUrl(url).messageAttributeNames("All")).messages().get(0);
      assertThat(m.messageAttributes()).isEmpty();
    }
  }
  @Test
  void sns_publish_carries_traceparent_to_subscribers() throws Exception {
    MotoServer moto = MotoServer.shared();
    try (SqsClient sqs = sqs();
        software.amazon.awssdk.services.sns.SnsClient sns = software.amazon.awssdk.services.sns.SnsClient.builder()
            .endpointOverride(moto.endpoint()).region(MotoServer.REGION).credentialsProvider(MotoServer.credentials())
            .httpClient(UrlConnectionHttpClient.create()).build()) {
      String topic = sns.createTopic(b -> b.name(MotoServer.unique("order-events"))).topicArn();
      String url = sqs.createQueue(b -> b.queueName(MotoServer.unique("subscriber"))).queueUrl();
      String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(url)
          .attributeNames(software.amazon.awssdk.services.sqs.model.QueueAttributeName.QUEUE_ARN))
          .attributes().get(software.amazon.awssdk.services.sqs.model.QueueAttributeName.QUEUE_ARN);
      sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn));
      Tracer tracer = t.build();
      Taillight.wrap((in, c) -> sns.publish(b -> b.topicArn(topic).message("placed")), tracer)
          .handleRequest(Map.of(), FakeLambdaContext.create("req-sns"));

      JsonNode call = SpanLine.parse(t.writer.only()).child("Sns.Publish");
      Message m = sqs.receiveMessage(b -> b.queueUrl(url)).messages().get(0);
      JsonNode envelope = JSON.readTree(m.body());
      assertThat(envelope.path("MessageAttributes").path("traceparent").path("Value").asText())
          .endsWith(call.path("spanId").asText() + "-01");
      assertThat(call.path("kind").asInt()).isEqualTo(SpanRecord.KIND_PRODUCER);
    }
  }

  @Test
  void eventbridge_put_events_entries_get_the_xray_trace_header_unless_set() throws Exception {
    List<String> bodies = new ArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      synchronized (bodies) {
        bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      }
      byte[] body = "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"1\"},{\"EventId\":\"2\"}]}"
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    try (software.amazon.awssdk.services.eventbridge.EventBridgeClient events =
        software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
            .region(MotoServer.REGION).credentialsProvider(MotoServer.credentials())
            .httpClient(UrlConnectionHttpClient.create()).build()) {
      Tracer tracer = t.build();
      Taillight.wrap((in, c) -> events.putEvents(b -> b.entries(
          e -> e.source("com.example.orders").detailType("OrderPlaced").detail("{}"),
          e -> e.source("com.example.orders").detailType("OrderPlaced").detail("{}").traceHeader("Root=1-5759e988-bd862e3fe1be46a994272793"))),
          tracer).handleRequest(Map.of(), FakeLambdaContext.create("req-eb"));

      SpanLine line = SpanLine.parse(t.writer.only());
      JsonNode call = line.child("EventBridge.PutEvents");
      JsonNode sent = JSON.readTree(bodies.get(0)).path("Entries");
      String trace = line.invocation().path("traceId").asText();
      assertThat(sent.get(0).path("TraceHeader").asText()).isEqualTo("Root=1-" + trace.substring(0, 8) + "-"
          + trace.substring(8) + ";Parent=" + call.path("spanId").asText() + ";Sampled=1");
      assertThat(sent.get(1).path("TraceHeader").asText()).isEqualTo("Root=1-5759e988-bd862e3fe1be46a994272793");
    } finally {
      server.stop(0);
    }
  }
}
