package dev.taillight.benchmarks.store;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationListener;
import dev.taillight.collector.InvocationStatus;
import dev.taillight.collector.LineKind;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Deterministic, fast generator of realistic Lambda log traffic for the store benchmarks: invocation number
 * {@code n} always produces the same lines, ids and words.
 *
 * <p>Each invocation writes {@link #LINES_PER_INVOCATION} lines in its function's log group: START, six
 * application lines (three of them with words from a 5,000-word vocabulary, so a given word is in about 0.04%
 * of lines; 2% of invocations log an ERROR line), one OTLP-JSON span line (~700 bytes), END and REPORT. The
 * listener also receives the running and the finished invocation snapshot and the span, the way the collector
 * pipeline reports them. 10 functions, 25 environments (log streams) each.
 *
 * <p>Ids are formatted by hand rather than with {@code String.format}, which cost more CPU than the rest of
 * the generator on the recording thread; the events are byte-identical to the {@code String.format} version
 * ({@code SyntheticLogsTest}).
 */
public final class SyntheticLogs {
  /** Log lines per invocation. */
  public static final int LINES_PER_INVOCATION = 10;

  /** Epoch ms of invocation 0. */
  public static final long T0 = 1_764_000_000_000L;

  private static final String SPAN_PADDING = "x".repeat(200);

  private SyntheticLogs() {}

  public static String function(long n) {
    return "fn-" + (n % 10);
  }

  public static String requestId(long n) {
    long h = mix(n);
    char[] c = new char[36];
    hex(c, 0, h >>> 32, 8);
    c[8] = '-';
    hex(c, 9, h >>> 16, 4);
    c[13] = '-';
    c[14] = '4';
    hex(c, 15, h, 3);
    c[18] = '-';
    c[19] = 'a';
    hex(c, 20, n >>> 12, 3);
    c[23] = '-';
    hex(c, 24, n, 12);
    return new String(c);
  }

  public static String traceId(long n) {
    char[] c = new char[32];
    hex(c, 0, mix(n + 1_000_003), 16);
    hex(c, 16, mix(n), 16);
    return new String(c);
  }

  /** An X-Ray form of {@link #traceId}. */
  public static String xrayTraceId(long n) {
    String t = traceId(n);
    return "1-" + t.substring(0, 8) + "-" + t.substring(8);
  }

  /** The vocabulary word with this index, e.g. {@code w4321}. */
  public static String word(long i) {
    return "w" + i;
  }

  static long mix(long x) {
    x += 0x9e3779b97f4a7c15L;
    x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
    x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
    return x ^ (x >>> 31);
  }

  /** Emits invocation {@code n} to the listener; returns the number of lines emitted. */
  public static int emit(long n, InvocationListener l) {
    String fn = function(n);
    String group = "/aws/lambda/" + fn;
    String stream = "2025/11/24/[$LATEST]" + hex((n / 10) % 25 + 1000 * (n % 10), 32);
    String req = requestId(n);
    long start = T0 + n * 7; // ~140 invocations per second of log time
    long h = mix(n);
    boolean error = h % 50 == 0;
    boolean cold = (h >>> 8) % 20 == 0;
    double dur = 5 + ((h >>> 16) % 2000) / 10.0;
    String trace = traceId(n);
    List<LogLine> lines = new ArrayList<>(LINES_PER_INVOCATION);
    lines.add(line(group, stream, fn, start, n, 0, LineKind.PLATFORM, req,
        "START RequestId: " + req + " Version: $LATEST"));
    Invocation running = new Invocation(fn, group, stream, req, start, null, cold, null, null, null, null, null,
        null, InvocationStatus.RUNNING, null, null, trace, null, List.of(), List.of());
    l.onInvocationStarted(running);
    for (int i = 1; i <= 6; i++) {
      String text;
      if (i % 2 == 0) {
        long w = mix(n * 8 + i);
        text = "INFO order " + (n * 3 + i) + " " + word(w % 5000) + " " + word((w >>> 20) % 5000) + " "
            + word((w >>> 40) % 5000) + " processed for customer c" + (w % 100_000);
      } else if (error && i == 5) {
        text = "ERROR payment declined for order " + n + ": card expired";
      } else {
        text = "DEBUG step " + i + " of request " + req + " took " + (h >>> (i * 4) & 0xff) + " ms";
      }
      lines.add(line(group, stream, fn, start + i, n, i, LineKind.APP, req, text));
    }
    long end = start + (long) Math.ceil(dur);
    SpanData span = new SpanData(trace, hex(mix(n + 7), 16), null, fn, "SERVER",
        start * 1_000_000, end * 1_000_000, error ? "ERROR" : "UNSET", null, fn,
        Map.of("faas.invocation_id", req, "faas.coldstart", cold, "cloud.provider", "aws",
            "aws.lambda.estimated_cost_usd", dur * 1.6667e-8, "faas.instance", stream),
        List.of(), List.of(), group, stream);
    lines.add(line(group, stream, fn, end, n, 7, LineKind.SPAN, req,
        "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\""
            + fn + "\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + trace + "\",\"spanId\":\""
            + span.spanId() + "\",\"name\":\"" + fn + "\",\"kind\":2,\"startTimeUnixNano\":\""
            + span.startEpochNanos() + "\",\"endTimeUnixNano\":\"" + span.endEpochNanos()
            + "\",\"attributes\":[{\"key\":\"faas.invocation_id\",\"value\":{\"stringValue\":\"" + req
            + "\"}}],\"x\":\"" + SPAN_PADDING + "\"}]}]}]}"));
    lines.add(line(group, stream, fn, end, n, 8, LineKind.PLATFORM, req, "END RequestId: " + req));
    lines.add(line(group, stream, fn, end, n, 9, LineKind.PLATFORM, req, "REPORT RequestId: " + req
        + "\tDuration: " + dur + " ms\tBilled Duration: " + (long) Math.ceil(dur)
        + " ms\tMemory Size: 512 MB\tMax Memory Used: 120 MB\t"));
    for (LogLine line : lines) {
      l.onLine(line);
    }
    l.onSpan(span);
    l.onInvocationFinished(new Invocation(fn, group, stream, req, start, end, cold, cold ? 400.0 : null, null, dur,
        Math.ceil(dur), 512, 120, error ? InvocationStatus.ERROR : InvocationStatus.OK, error ? "CardExpired" : null,
        error ? "card expired" : null, trace, Math.ceil(dur) * 512 / 1024 * 1.6667e-8 + 2e-7, List.of(),
        List.of()));
    return lines.size();
  }

  private static LogLine line(String group, String stream, String fn, long ts, long n, int i, LineKind kind,
      String req, String message) {
    // CloudWatch event ids are 56 decimal digits; make one unique per (invocation, line)
    char[] c = new char[56];
    decimal(c, 0, n, 38);
    decimal(c, 38, mix(n * 16 + i) & 0x7fffffffffffffL, 18);
    String eventId = new String(c);
    return new LogLine(new RawEvent(group, stream, ts, ts + 900, eventId, message), fn, kind, null, req, message);
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** The low {@code digits} hex digits of {@code v} (as {@code %0<digits>x} of a value that fits them). */
  private static String hex(long v, int digits) {
    char[] c = new char[digits];
    hex(c, 0, v, digits);
    return new String(c);
  }

  private static void hex(char[] c, int at, long v, int digits) {
    for (int i = at + digits - 1; i >= at; i--) {
      c[i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
  }

  /** {@code v} (not negative) in decimal, zero-padded to {@code width} (as {@code %0<width>d}). */
  private static void decimal(char[] c, int at, long v, int width) {
    if (v < 0) {
      throw new IllegalArgumentException("negative: " + v);
    }
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + v % 10);
      v /= 10;
    }
  }
}
