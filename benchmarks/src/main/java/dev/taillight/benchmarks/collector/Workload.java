package dev.taillight.benchmarks.collector;

import dev.taillight.collector.RawEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A realistic mix of Lambda log events: 20 functions x 10 streams, each invocation writing START, four application
 * lines in the common formats (Lambda text, plain System.out, Powertools JSON, Log4j2 LambdaAppender), a span line
 * (the example of docs/span-format.md, with fresh ids), END and REPORT; every tenth invocation adds a multi-line
 * stack trace, every stream begins with INIT_START and a cold REPORT with Init Duration and XRAY. Streams are
 * interleaved the way a FilterLogEvents page interleaves them. Each stream's span lines carry that stream's own
 * resource (function name, ARN, log group, and the stream as {@code faas.instance}), as the instrumentation
 * writes them, so 200 distinct resources are interleaved.
 */
final class Workload {
  private Workload() {}

  static final int FUNCTIONS = 20;
  static final int STREAMS_PER_FUNCTION = 10;

  /** A generator that can produce any number of events without holding them all. */
  static final class Generator {
    /** The span line of each stream: the template with that stream's function and environment. */
    private final String[] spanTemplates = new String[FUNCTIONS * STREAMS_PER_FUNCTION];
    private final Random random = new Random(42);
    private final long[] invocationCounter = new long[FUNCTIONS * STREAMS_PER_FUNCTION];
    private final List<RawEvent> buffer = new ArrayList<>();
    private long ts = 1_795_838_400_000L;
    private int next;
    private long seq;

    Generator() {
      try (InputStream in = Workload.class.getResourceAsStream("/span-line.json")) {
        String template = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        for (int i = 0; i < spanTemplates.length; i++) {
          String fn = "function-" + i / STREAMS_PER_FUNCTION;
          spanTemplates[i] = template
              .replace("\"orders\"", "\"" + fn + "\"")
              .replace("function:orders", "function:" + fn)
              .replace("/aws/lambda/orders", "/aws/lambda/" + fn)
              .replace("2026/11/28/[$LATEST]3a1f0c2b9d8e4f5a6b7c8d9e0f1a2b3c", stream(i));
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    RawEvent next() {
      if (next == buffer.size()) {
        buffer.clear();
        next = 0;
        // one invocation in each of a few random streams, their events interleaved
        for (int k = 0; k < 4; k++) {
          invocation(random.nextInt(invocationCounter.length));
        }
        buffer.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
      }
      return buffer.get(next++);
    }

    private void invocation(int streamIndex) {
      int fn = streamIndex / STREAMS_PER_FUNCTION;
      String group = "/aws/lambda/function-" + fn;
      String stream = stream(streamIndex);
      long n = invocationCounter[streamIndex]++;
      String id = uuid(++seq);
      String traceId = String.format("%016x%016x", random.nextLong(), random.nextLong());
      long t = ts += 3;
      List<RawEvent> out = buffer;
      if (n == 0) {
        out.add(event(group, stream, t - 300, "INIT_START Runtime Version: java:17.v33\tRuntime Version ARN: "
            + "arn:aws:lambda:us-east-1::runtime:8b2a4c6e"));
      }
      out.add(event(group, stream, t, "START RequestId: " + id + " Version: $LATEST"));
      out.add(event(group, stream, t + 1, "2026-11-28T10:00:00.001Z\t" + id + "\tINFO\tProcessing order " + n
          + " for customer c-" + (n % 977)));
      out.add(event(group, stream, t + 2, "Fetched " + (n % 7) + " items from DynamoDB in 12 ms"));
      out.add(event(group, stream, t + 3, "{\"level\":\"INFO\",\"location\":\"collect_payment:31\",\"message\":"
          + "\"Collecting payment\",\"timestamp\":\"2026-11-28 10:00:00,003+0000\",\"service\":\"payment\","
          + "\"cold_start\":" + (n == 0) + ",\"function_name\":\"function-" + fn + "\",\"function_memory_size\":512,"
          + "\"function_request_id\":\"" + id + "\",\"xray_trace_id\":\"1-" + traceId.substring(0, 8) + "-"
          + traceId.substring(8) + "\"}"));
      out.add(event(group, stream, t + 4, id + " DEBUG OrderService:88 - order " + n + " validated"));
      if (n % 10 == 9) {
        out.add(event(group, stream, t + 5, "java.lang.IllegalStateException: inventory stale\n\tat "
            + "com.example.OrderService.validate(OrderService.java:88)\n\tat com.example.Handler.handleRequest("
            + "Handler.java:31)\n\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)"));
      }
      out.add(event(group, stream, t + 6, spanTemplates[streamIndex]
          .replace("8f507cfc-5b6a-4697-b07a-ac58fc914c95", id)
          .replace("4bf92f3577b34da6a3ce929d0e0e4736", traceId)));
      out.add(event(group, stream, t + 7, "END RequestId: " + id));
      out.add(event(group, stream, t + 7, "REPORT RequestId: " + id + "\tDuration: 6.52 ms\tBilled Duration: 7 ms\t"
          + "Memory Size: 512 MB\tMax Memory Used: 87 MB\t" + (n == 0 ? "Init Duration: 850.12 ms\t" : "")
          + "\nXRAY TraceId: 1-" + traceId.substring(0, 8) + "-" + traceId.substring(8) + "\tSegmentId: "
          + "4c36a0d0c78d0149\tSampled: true\t"));
    }

    private static String stream(int streamIndex) {
      return "2026/11/28/[$LATEST]" + String.format("%032x", streamIndex * 7919L + 1);
    }

    private RawEvent event(String group, String stream, long t, String message) {
      return new RawEvent(group, stream, t, t + 1500, Long.toString(++seq), message);
    }

    private static String uuid(long n) {
      String h = String.format("%032x", n * 0x9E3779B97F4A7C15L);
      return h.substring(0, 8) + "-" + h.substring(8, 12) + "-4" + h.substring(13, 16) + "-8" + h.substring(17, 20)
          + "-" + h.substring(20, 32);
    }
  }

  /** {@code n} events of the mix. */
  static RawEvent[] events(int n) {
    Generator g = new Generator();
    RawEvent[] out = new RawEvent[n];
    for (int i = 0; i < n; i++) {
      out[i] = g.next();
    }
    return out;
  }
}
