package dev.taillight.cli.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** A handler for 'taillight run' tests: greets, or throws when asked to. */
public class GreetingHandler implements RequestHandler<Map<String, Object>, String> {

  @Override
  public String handleRequest(Map<String, Object> event, Context context) {
    Object name = event.get("name");
    System.out.println("greeting " + name);
    if (Boolean.TRUE.equals(event.get("fail"))) {
      throw new IllegalStateException("cannot greet " + name);
    }
    return "hello " + name;
  }
}
