package dev.taillight.examples;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Events as API Gateway (HTTP API, payload 2.0) and SQS deliver them. */
final class Events {
  private Events() {}

  static APIGatewayV2HTTPEvent post(String path, String body) {
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey("POST /orders")
        .withRawPath(path)
        .withHeaders(Map.of("content-type", "application/json"))
        .withBody(body)
        .withIsBase64Encoded(false)
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath(path).build())
            .withRequestId("req-1")
            .build())
        .build();
  }

  static APIGatewayV2HTTPEvent get(String path) {
    APIGatewayV2HTTPEvent e = post(path, null);
    e.getRequestContext().getHttp().setMethod("GET");
    return e;
  }

  static SQSEvent sqs(String... bodies) {
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    int i = 0;
    for (String body : bodies) {
      SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
      m.setMessageId("msg-" + (++i));
      m.setBody(body);
      m.setEventSource("aws:sqs");
      m.setEventSourceArn("arn:aws:sqs:us-east-1:123456789012:payments");
      records.add(m);
    }
    SQSEvent e = new SQSEvent();
    e.setRecords(records);
    return e;
  }
}
