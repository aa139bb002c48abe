package dev.taillight.localruntime.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.List;
import java.util.Map;

/** Prints one line per SQS record it receives, with the trace header it runs under. */
public class ConsumerHandler implements RequestHandler<Map<String, Object>, String> {

  @Override
  @SuppressWarnings("unchecked")
  public String handleRequest(Map<String, Object> event, Context context) {
    List<Map<String, Object>> records = (List<Map<String, Object>>) event.get("Records");
    String trace = System.getProperty("com.amazonaws.xray.traceHeader");
    for (Map<String, Object> r : records) {
      System.out.println("consumed " + r.get("body") + " from " + r.get("eventSource") + " " + r.get("eventSourceARN")
          + " trace " + trace);
    }
    return "ok";
  }
}
