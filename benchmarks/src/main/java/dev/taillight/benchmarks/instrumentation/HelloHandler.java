package dev.taillight.benchmarks.instrumentation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** The bare hello-world handler: the baseline of every comparison. */
public class HelloHandler implements RequestHandler<Map<String, Object>, String> {
  @Override
  public String handleRequest(Map<String, Object> input, Context context) {
    return Greeting.of(input);
  }
}
