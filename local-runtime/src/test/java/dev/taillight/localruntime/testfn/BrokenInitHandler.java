package dev.taillight.localruntime.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** A handler whose constructor throws, so that init fails. */
public class BrokenInitHandler implements RequestHandler<Map<String, Object>, String> {

  public BrokenInitHandler() {
    System.out.println("BrokenInitHandler constructor runs");
    throw new IllegalStateException("cannot connect to the database");
  }

  @Override
  public String handleRequest(Map<String, Object> event, Context context) {
    return "unreachable";
  }
}
