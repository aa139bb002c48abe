package dev.taillight.localruntime.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A handler the tests run in real child JVMs; {@code action} in the event picks what it does. */
public class TestHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  static {
    System.out.println("TestHandler class initialised");
  }

  private static final List<byte[]> HOARD = new ArrayList<>();

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    String action = String.valueOf(event.getOrDefault("action", "hello"));
    switch (action) {
      case "hello" -> {
        System.out.println("hello from stdout " + context.getAwsRequestId());
        System.err.println("hello from stderr");
        context.getLogger().log("logger first line\nlogger second line");
      }
      case "sleep" -> {
        System.out.println("going to sleep");
        try {
          Thread.sleep(((Number) event.get("ms")).longValue());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      case "exit" -> {
        System.out.println("about to exit");
        System.out.flush();
        Runtime.getRuntime().halt(1);
      }
      case "throw" -> throw new IllegalStateException("boom from the handler");
      case "big" -> {
        PrintStream out = System.out;
        out.println("x".repeat(300_000));
        out.write(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, 'o', 'k', '\n'}, 0, 8);
        out.flush();
      }
      case "alloc" -> {
        while (true) {
          byte[] b = new byte[8 * 1024 * 1024];
          for (int i = 0; i < b.length; i += 4096) {
            b[i] = 1;
          }
          HOARD.add(b);
        }
      }
      default -> System.out.println("unknown action " + action);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("requestId", context.getAwsRequestId());
    out.put("traceHeader", System.getProperty("com.amazonaws.xray.traceHeader"));
    out.put("logStream", context.getLogStreamName());
    out.put("logGroup", context.getLogGroupName());
    out.put("functionArn", context.getInvokedFunctionArn());
    out.put("memory", context.getMemoryLimitInMB());
    out.put("remainingMs", context.getRemainingTimeInMillis());
    out.put("initType", System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"));
    out.put("region", System.getenv("AWS_REGION"));
    out.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    return out;
  }
}
