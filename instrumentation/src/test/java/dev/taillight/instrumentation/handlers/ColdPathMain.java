package dev.taillight.instrumentation.handlers;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.taillight.instrumentation.TracedRequestHandler;
import java.util.HashMap;
import java.util.Map;

/**
 * A cold start in miniature for {@code ColdPathTest}: a fresh JVM loads a traced hello handler, constructs it
 * and invokes it once, as Lambda does. Written without lambdas, string concatenation or regular expressions,
 * so every class it loads beyond a bare handler's is Taillight's doing.
 */
public final class ColdPathMain {
  private ColdPathMain() {}

  /** The traced hello handler. */
  public static class TracedHello extends TracedRequestHandler<Map<String, Object>, String> {
    @Override
    protected String doHandleRequest(Map<String, Object> input, Context context) {
      return new StringBuilder("hello ").append(input.get("name")).toString();
    }
  }

  public static void main(String[] args) throws Exception {
    Object handler = Class.forName(TracedHello.class.getName()).getConstructor().newInstance();
    Map<String, Object> event = new HashMap<>();
    event.put("name", "world");
    String result = ((TracedHello) handler).handleRequest(event, new FixedContext());
    if (!"hello world".equals(result)) {
      throw new IllegalStateException(result);
    }
  }

  /** The context the runtime would pass: a 512 MB function with 30 s left. */
  static final class FixedContext implements Context {
    @Override
    public String getAwsRequestId() {
      return "c0ffee00-0000-4000-8000-000000000001";
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/hello";
    }

    @Override
    public String getLogStreamName() {
      return "2026/11/28/[$LATEST]0123456789abcdef0123456789abcdef";
    }

    @Override
    public String getFunctionName() {
      return "hello";
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:us-east-1:123456789012:function:hello";
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return 30_000;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 512;
    }

    @Override
    public LambdaLogger getLogger() {
      return null;
    }
  }
}
