package dev.taillight.localruntime;

import dev.taillight.collector.LogSink;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.file.JsonLinesSink;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small command line for trying the local runtime by hand, until {@code taillight run} wraps it:
 *
 * <pre>
 * java -cp local-runtime.jar:deps dev.taillight.localruntime.Main --jar fn.jar \
 *     --handler com.example.Handler::handleRequest [--event e.json|-] [--rate 5/s --count 20 --burst 1] \
 *     [--memory 512] [--timeout 3s] [--log-format json] [--concurrency 10] [--name fn] [--jsonl out.jsonl]
 * </pre>
 *
 * Prints every log event as {@code <stream suffix> <message>} and one summary line per invocation on stderr.
 * Exit status: 0 when every invocation succeeded, 1 when one failed, 2 for bad usage.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err));
  }

  /** Runs the command; returns the exit status. Never calls {@code System.exit}. */
  public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    List<Path> code = new ArrayList<>();
    String handler = null;
    String event = null;
    String rate = null;
    int count = -1;
    int burst = 1;
    int memory = 512;
    Duration timeout = Duration.ofSeconds(3);
    LogFormat format = LogFormat.TEXT;
    int concurrency = 10;
    String name = null;
    String jsonl = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        String v = i + 1 < args.length ? args[i + 1] : null;
        if (v == null && !a.equals("--help")) {
          throw new IllegalArgumentException("missing value after " + a);
        }
        switch (a) {
          case "--jar", "--classes" -> code.add(Path.of(v));
          case "--handler" -> handler = v;
          case "--event" -> event = v;
          case "--rate" -> rate = v;
          case "--count" -> count = Integer.parseInt(v);
          case "--burst" -> burst = Integer.parseInt(v);
          case "--memory" -> memory = Integer.parseInt(v);
          case "--timeout" -> timeout = parseDuration(v);
          case "--log-format" -> format = LogFormat.valueOf(v.toUpperCase(Locale.ROOT));
          case "--concurrency" -> concurrency = Integer.parseInt(v);
          case "--name" -> name = v;
          case "--jsonl" -> jsonl = v;
          case "--help" -> {
            out.println("usage: --jar fn.jar --handler pkg.Class::method [--event file|-] [--rate 5/s --count N "
                + "--burst B] [--memory MB] [--timeout 3s] [--log-format text|json] [--concurrency N] [--name fn] "
                + "[--jsonl file]");
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
        i++;
      }
      if (handler == null || code.isEmpty()) {
        throw new IllegalArgumentException("--jar and --handler are required");
      }
    } catch (IllegalArgumentException e) {
      err.println("taillight run: " + e.getMessage());
      return 2;
    }
    FunctionConfig fn;
    String payload;
    try {
      FunctionConfig.Builder b = FunctionConfig.builder(handler).classpath(code).memoryMb(memory).timeout(timeout)
          .logFormat(format);
      if (name != null) {
        b.name(name);
      }
      fn = b.build();
      payload = event == null ? "{}" : Events.read(event, stdin);
    } catch (IllegalArgumentException e) {
      err.println("taillight run: " + e.getMessage());
      return 2;
    }
    LogSink print = new LogSink() {
      @Override
      public void accept(RawEvent e) {
        String s = e.logStream();
        synchronized (out) {
          out.println(s.substring(Math.max(0, s.length() - 8)) + " " + e.message());
        }
      }
    };
    LogSink sink = jsonl == null ? print : LogSink.composite(print, JsonLinesSink.toFile(Path.of(jsonl)));
    RuntimeListener notes = new RuntimeListener() {
      @Override
      public void throttled(InvocationResult r) {
        err.println("throttled " + r.requestId() + " (concurrency limit reached)");
      }

      @Override
      public void invocationFinished(InvocationResult r) {
        err.println(r.status() + " " + r.requestId() + (r.coldStart() ? " cold" : " warm") + " "
            + String.format(Locale.ROOT, "%.2f ms", r.durationMs()) + " -> " + abbreviate(r.payload()));
      }
    };
    try (LocalRuntime rt = LocalRuntime.builder().function(fn).sink(sink).maxConcurrency(concurrency)
        .listener(notes).build()) {
      if (rate == null) {
        int n = Math.max(1, count);
        boolean allOk = true;
        for (int i = 0; i < n; i++) {
          allOk &= rt.invoke(payload).succeeded();
        }
        return allOk ? 0 : 1;
      }
      String p = payload;
      RateDriver.Report r = RateDriver.run(rt, i -> p, RateDriver.Rate.parse(rate), burst, count < 0 ? 10 : count);
      err.println(r);
      return r.succeeded() == r.started() ? 0 : 1;
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("taillight run: " + e.getMessage());
      return 2;
    } finally {
      sink.close();
    }
  }

  static Duration parseDuration(String v) {
    String t = v.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      }
      return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("timeout must look like 3s or 1500ms, got '" + v + "'");
    }
  }

  private static String abbreviate(String s) {
    String one = s.replace('\n', ' ');
    return one.length() > 200 ? one.substring(0, 200) + "..." : one;
  }
}
