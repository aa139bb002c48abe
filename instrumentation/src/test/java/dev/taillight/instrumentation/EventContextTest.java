package dev.taillight.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each fixture is read three ways a handler can see it: the raw JSON (TaillightHandler, stream
 * handlers), the Map tree the runtime gives a Map handler, and the aws-lambda-java-events object the
 * runtime's own serializer builds.
 */
class EventContextTest {

  private static SpanRecord span;

  private static TraceContext raw(String fixture) {
    span = new SpanRecord();
    return EventContext.apply(JsonTree.parse(Fixtures.bytes(fixture)), null, span);
  }

  private static <T> TraceContext typed(String fixture, Class<T> type) {
    T event = LambdaEventSerializers.serializerFor(type, EventContextTest.class.getClassLoader())
        .fromJson(new ByteArrayInputStream(Fixtures.bytes(fixture)));
    span = new SpanRecord();
    return EventContext.apply(event, null, span);
  }

  private static String traceId(TraceContext c) {
    return c.traceIdHex();
  }

  @Test
  void api_gateway_rest_prefers_w3c_traceparent_over_xray_header() {
    for (TraceContext c : new TraceContext[] {
        raw("apigw-rest.json"), typed("apigw-rest.json", APIGatewayProxyRequestEvent.class)}) {
      assertThat(traceId(c)).isEqualTo("0af7651916cd43dd8448eb211c80319c");
      assertThat(TraceContext.hex16(c.spanId())).isEqualTo("b7ad6b7169203331");
      assertThat(c.sampled()).isTrue();
      assertThat(c.traceState()).isEqualTo("congo=t61rcWkgMzE");
      assertThat(span.get("faas.trigger")).isEqualTo("http");
      assertThat(span.get("aws.lambda.event_source")).isEqualTo("apigateway-rest");
      assertThat(span.get("http.request.method")).isEqualTo("GET");
      assertThat(span.get("http.route")).isEqualTo("/orders/{id}");
      assertThat(span.get("url.path")).isEqualTo("/orders/42");
      assertThat(span.kind).isEqualTo(SpanRecord.KIND_SERVER);
    }
  }

  @Test
  void api_gateway_rest_without_traceparent_uses_the_xray_header() {
    TraceContext c = raw("apigw-rest-xray-only.json");
    assertThat(traceId(c)).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(TraceContext.hex16(c.spanId())).isEqualTo("53995c3f42cd8ad8");
  }

  @Test
  void http_api_v2_reads_lowercase_headers_and_route_key() {
    for (TraceContext c : new TraceContext[] {
        raw("apigw-http-v2.json"), typed("apigw-http-v2.json", APIGatewayV2HTTPEvent.class)}) {
      assertThat(traceId(c)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(span.get("aws.lambda.event_source")).isEqualTo("apigateway-http");
      assertThat(span.get("http.request.method")).isEqualTo("POST");
      assertThat(span.get("http.route")).isEqualTo("/orders/{id}");
      assertThat(span.get("url.path")).isEqualTo("/prod/orders/42");
    }
  }

  @Test
  void function_url_is_recognised_by_its_domain() {
    TraceContext c = raw("function-url.json");
    assertThat(span.get("aws.lambda.event_source")).isEqualTo("function-url");
    assertThat(span.get("http.route")).isNull();
    assertThat(traceId(c)).isEqualTo("6543a2f10123456789abcdef01234567");
  }

  @Test
  void alb_xray_header_without_parent_gives_trace_id_only() {
    for (TraceContext c : new TraceContext[] {
        raw("alb.json"), typed("alb.json", ApplicationLoadBalancerRequestEvent.class)}) {
      assertThat(span.get("aws.lambda.event_source")).isEqualTo("alb");
      assertThat(traceId(c)).isEqualTo("5c5363483d683b8b04734faae651f476");
      assertThat(c.hasSpanId()).isFalse();
    }
  }

  @Test
  void sqs_batch_links_every_message_and_takes_no_single_parent() {
    for (TraceContext c : new TraceContext[] {
        raw("sqs-batch.json"), typed("sqs-batch.json", SQSEvent.class)}) {
      assertThat(c).isNull();
      assertThat(span.kind).isEqualTo(SpanRecord.KIND_CONSUMER);
      assertThat(span.get("faas.trigger")).isEqualTo("pubsub");
      assertThat(span.get("messaging.system")).isEqualTo("aws_sqs");
      assertThat(span.get("messaging.batch.message_count")).isEqualTo(2L);
      assertThat(span.get("messaging.destination.name")).isEqualTo("orders");
      assertThat(span.links).hasSize(2);
      // first message: the traceparent message attribute wins over AWSTraceHeader
      assertThat(TraceContext.hex16(span.links.get(0).traceIdHigh())).isEqualTo("0af7651916cd43dd");
      assertThat(span.links.get(0).keyValues()).containsExactly(
          "messaging.message.id", "059f36b4-87a3-44ab-83d2-661975830a7d");
      // second message: only AWSTraceHeader
      assertThat(TraceContext.hex16(span.links.get(1).traceIdHigh())).isEqualTo("6543a2f101234567");
      assertThat(TraceContext.hex16(span.links.get(1).spanId())).isEqualTo("0123456789abcdef");
    }
  }

  @Test
  void sqs_single_message_becomes_the_parent() {
    for (TraceContext c : new TraceContext[] {
        raw("sqs-single-xray.json"), typed("sqs-single-xray.json", SQSEvent.class)}) {
      assertThat(traceId(c)).isEqualTo("5759e988bd862e3fe1be46a994272793");
      assertThat(TraceContext.hex16(c.spanId())).isEqualTo("53995c3f42cd8ad8");
      assertThat(span.links).hasSize(1);
      assertThat(span.get("messaging.destination.name")).isEqualTo("fifo.fifo");
    }
  }

  @Test
  void sns_message_attribute_traceparent() {
    for (TraceContext c : new TraceContext[] {raw("sns.json"), typed("sns.json", SNSEvent.class)}) {
      assertThat(traceId(c)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(span.kind).isEqualTo(SpanRecord.KIND_CONSUMER);
      assertThat(span.get("messaging.system")).isEqualTo("aws_sns");
      assertThat(span.get("messaging.destination.name")).isEqualTo("order-events");
      assertThat(span.links.get(0).keyValues()[1]).isEqualTo("95df01b4-ee98-5cb9-9903-4c221d41eb5e");
    }
  }

  @Test
  void eventbridge_detail_traceparent() {
    TraceContext c = raw("eventbridge.json");
    assertThat(traceId(c)).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(span.get("aws.lambda.event_source")).isEqualTo("eventbridge");
    assertThat(span.get("aws.eventbridge.detail_type")).isEqualTo("OrderPlaced");
    assertThat(span.get("faas.trigger")).isEqualTo("pubsub");
  }

  @Test
  void scheduled_event_is_a_timer() {
    for (TraceContext c : new TraceContext[] {
        raw("scheduled.json"), typed("scheduled.json", ScheduledEvent.class)}) {
      assertThat(c).isNull();
      assertThat(span.get("faas.trigger")).isEqualTo("timer");
      assertThat(span.get("aws.lambda.event_source")).isEqualTo("schedule");
    }
  }

  @Test
  void direct_invoke_client_context_custom_traceparent() {
    span = new SpanRecord();
    TraceContext c = EventContext.apply(Map.of("orderId", "42"),
        Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"), span);
    assertThat(traceId(c)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(c.sampled()).isFalse();
    assertThat(span.get("aws.lambda.event_source")).isEqualTo("direct");
    assertThat(span.get("faas.trigger")).isEqualTo("other");
  }

  @ParameterizedTest
  @ValueSource(strings = {"unknown-shape.json"})
  void events_of_unknown_shape_give_no_context_and_do_not_throw(String fixture) {
    assertThat(raw(fixture)).isNull();
    assertThat(span.get("faas.trigger")).isEqualTo("other");
  }

  @Test
  void non_json_and_non_event_inputs_give_no_context() {
    for (Object event : new Object[] {JsonTree.parse("not json {"), "a string", 42, null, new Object(),
        Map.of("Records", java.util.List.of(Map.of("eventSource", 5)))}) {
      span = new SpanRecord();
      assertThat(EventContext.apply(event, Map.of("traceparent", "garbage"), span)).isNull();
      assertThat(span.get("faas.trigger")).isIn("other");
    }
  }
}
