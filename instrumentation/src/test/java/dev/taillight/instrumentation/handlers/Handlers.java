package dev.taillight.instrumentation.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Handlers of every shape the Lambda Java runtime accepts, for TaillightHandler tests. */
public final class Handlers {
  private Handlers() {}

  /** A RequestHandler on a Map event. */
  public static class MapHandler implements RequestHandler<Map<String, Object>, String> {
    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
      return "hello " + event.get("name");
    }
  }

  /** A POJO input and output. */
  public static class Order {
    private String id;
    private int quantity;

    public String getId() {
      return id;
    }

    public void setId(String id) {
      this.id = id;
    }

    public int getQuantity() {
      return quantity;
    }

    public void setQuantity(int quantity) {
      this.quantity = quantity;
    }
  }

  /** Generic base class: the input type is bound in the subclass. */
  public abstract static class Base<T> implements RequestHandler<T, Order> {}

  /** A RequestHandler whose I is a POJO bound through a generic superclass. */
  public static class PojoHandler extends Base<Order> {
    @Override
    public Order handleRequest(Order order, Context context) {
      Order out = new Order();
      out.setId(order.getId() + "-confirmed");
      out.setQuantity(order.getQuantity() * 2);
      return out;
    }
  }

  /** An API Gateway HTTP API handler using aws-lambda-java-events types. */
  public static class HttpHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
      return APIGatewayV2HTTPResponse.builder()
          .withStatusCode(503)
          .withBody(event.getRequestContext().getHttp().getMethod() + " " + event.getRawPath())
          .build();
    }
  }

  /** A stream handler that echoes. */
  public static class Echo implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
      out.write(in.readAllBytes());
    }
  }

  /** Plain methods, no interface. */
  public static class Plain {
    public String greet(String name, Context context) {
      return "hi " + name + " from " + context.getFunctionName();
    }

    public static Integer twice(Integer n) {
      return n * 2;
    }

    public void streams(InputStream in, OutputStream out) throws IOException {
      out.write(("len=" + in.readAllBytes().length).getBytes(StandardCharsets.UTF_8));
    }

    public String fail(Map<String, Object> event) throws IOException {
      throw new IOException("upstream unavailable");
    }
  }

  /** Sleeps as long as the event says (end-to-end timeout test). */
  public static class Slow implements RequestHandler<Map<String, Object>, String> {
    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
      Object ms = event.get("sleepMs");
      if (ms instanceof Number n) {
        try {
          Thread.sleep(n.longValue());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return "slept";
    }
  }

  /** Has no usable constructor. */
  public static class NoConstructor implements RequestHandler<Object, Object> {
    public NoConstructor(String required) {}

    @Override
    public Object handleRequest(Object input, Context context) {
      return null;
    }
  }
}
