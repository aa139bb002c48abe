package dev.taillight.benchmarks.instrumentation;

import com.amazonaws.services.lambda.runtime.Context;
import dev.taillight.instrumentation.TracedRequestHandler;
import java.util.Map;

/** The hello-world handler traced by Taillight. */
public class HelloTaillightHandler extends TracedRequestHandler<Map<String, Object>, String> {
  @Override
  protected String doHandleRequest(Map<String, Object> input, Context context) {
    return Greeting.of(input);
  }
}
