package dev.taillight.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.taillight.instrumentation.Taillight;
import dev.taillight.instrumentation.TracedRequestHandler;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code POST /orders} behind an API Gateway HTTP API (payload format 2.0): checks the order, reserves the items at
 * the (sometimes slow) inventory service and sends the order to the payments queue. Answers 202 with the order id
 * and the trace id, 400 for an order it cannot take, 404 for any other route.
 *
 * <p>Traced by extending {@link TracedRequestHandler}: every invocation writes its span line, and the trace
 * context goes on to PaymentWorker with the SQS message.
 *
 * <p>Environment: {@code PAYMENTS_QUEUE_URL} (required), see {@link SqsMessageQueue} for the endpoint.
 */
public class OrdersApi extends TracedRequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private static final Logger LOG = LogManager.getLogger(OrdersApi.class);

  private final MessageQueue payments;
  private final Inventory inventory;

  /** Used by the Lambda runtime: the payments queue from {@code PAYMENTS_QUEUE_URL}, created during init. */
  public OrdersApi() {
    this(SqsMessageQueue.fromEnv(System::getenv, "PAYMENTS_QUEUE_URL"), Inventory.Pause.sleeping());
  }

  OrdersApi(MessageQueue payments, Inventory.Pause pause) {
    this.payments = payments;
    this.inventory = new Inventory(pause);
  }

  @Override
  protected APIGatewayV2HTTPResponse doHandleRequest(APIGatewayV2HTTPEvent event, Context context) {
    String method = event.getRequestContext() == null || event.getRequestContext().getHttp() == null ? null
        : event.getRequestContext().getHttp().getMethod();
    String path = event.getRawPath();
    if (!"POST".equalsIgnoreCase(method) || path == null || !path.endsWith("/orders")) {
      LOG.warn("no route for {} {}", method, path);
      return response(404, "{\"message\":\"Not Found\"}");
    }
    Order order;
    try {
      order = Order.parse(body(event));
    } catch (IllegalArgumentException e) {
      LOG.warn("rejected a request that is not an order", e);
      return response(400, "{\"message\":\"the body must be an order as JSON\"}");
    }
    if (order.amount() == null || order.amount().compareTo(BigDecimal.ZERO) <= 0) {
      LOG.warn("rejected order {}: amount must be a positive number, was {}", order.orderId(), order.amount());
      return response(400, "{\"message\":\"amount must be a positive number\",\"orderId\":\""
          + order.orderId() + "\"}");
    }
    LOG.info("order {} received from {}: {} USD", order.orderId(), order.customer(), order.amount());
    inventory.reserve(order);
    payments.send(order.toJson());
    System.out.println("order " + order.orderId() + " sent to payments (" + context.getRemainingTimeInMillis()
        + " ms left)");
    return response(202, "{\"orderId\":\"" + order.orderId() + "\",\"status\":\"accepted\",\"traceId\":\""
        + Taillight.traceId() + "\"}");
  }

  private static String body(APIGatewayV2HTTPEvent event) {
    String body = event.getBody();
    if (body != null && event.getIsBase64Encoded()) {
      body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
    }
    return body;
  }

  private static APIGatewayV2HTTPResponse response(int status, String body) {
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(status)
        .withHeaders(Map.of("content-type", "application/json"))
        .withBody(body)
        .build();
  }
}
