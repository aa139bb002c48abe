package dev.taillight.benchmarks.instrumentation;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a handler the way Lambda does, in one process: load the handler class, construct it, invoke it
 * once with an event, then exit. Prints the process's peak resident set (VmHWM) on stderr as
 * {@code vmhwm_kb=N}. Used by {@link ColdStartBenchmark} as the child process.
 *
 * <p>Usage: {@code java -cp ... dev.taillight.benchmarks.instrumentation.LambdaLikeMain <handler class>}
 */
public final class LambdaLikeMain {
  private LambdaLikeMain() {}

  public static void main(String[] args) throws Exception {
    Class<?> type = Class.forName(args[0]);
    @SuppressWarnings("unchecked")
    RequestHandler<Map<String, Object>, String> handler =
        (RequestHandler<Map<String, Object>, String>) type.getConstructor().newInstance();
    Map<String, Object> event = new HashMap<>();
    event.put("name", "world");
    String result = handler.handleRequest(event, new BenchContext("c0ffee00-0000-4000-8000-000000000001"));
    if (result == null) {
      throw new IllegalStateException("no result");
    }
    System.err.println(new StringBuilder("vmhwm_kb=").append(vmHwmKb()).toString());
  }

  private static long vmHwmKb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }
}
