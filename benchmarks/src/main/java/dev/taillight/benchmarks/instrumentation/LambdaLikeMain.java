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
    System.err.println(new StringBuilder("vmhwm_kb=").append(vmHwmKb()).append(" cpu_ns=").append(cpuNanos())
        .toString());
  }

  /** CPU time of all threads so far (sum of /proc/self/task/N/schedstat), -1 when unavailable. */
  private static long cpuNanos() {
    long sum = 0;
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return -1;
    }
    for (java.io.File t : tasks) {
      try {
        String s = Files.readString(t.toPath().resolve("schedstat")).trim();
        int sp = s.indexOf(' ');
        sum += Long.parseLong(sp < 0 ? s : s.substring(0, sp));
      } catch (Exception e) {
        return -1;
      }
    }
    return sum;
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
