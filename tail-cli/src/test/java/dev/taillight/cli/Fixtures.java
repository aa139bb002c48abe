package dev.taillight.cli;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationStatus;
import dev.taillight.collector.LineKind;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hand-built lines and invocations for renderer and TUI tests. */
public final class Fixtures {
  /** 2026-11-28T03:40:01.123Z. */
  public static final long T0 = 1_795_837_201_123L;

  private Fixtures() {}

  public static LogLine line(String function, String stream, long ts, String requestId, String level, String text) {
    RawEvent e = RawEvent.of("/aws/lambda/" + function, stream, ts, text);
    return new LogLine(e, function, LineKind.APP, level, requestId, text);
  }

  public static LogLine platform(String function, String stream, long ts, String requestId, String text) {
    RawEvent e = RawEvent.of("/aws/lambda/" + function, stream, ts, text);
    return new LogLine(e, function, LineKind.PLATFORM, null, requestId, text);
  }

  public static Inv invocation(String function, String requestId) {
    return new Inv(function, requestId);
  }

  /** A builder for invocation snapshots with sensible values. */
  public static final class Inv {
    String function;
    String logStream = "2026/11/28/[$LATEST]0123456789abcdef0123456789abcdef";
    String requestId;
    long start = T0;
    Long end;
    boolean cold;
    Double init;
    Double restore;
    Double duration;
    Double billed;
    Integer memSize;
    Integer memUsed;
    InvocationStatus status = InvocationStatus.RUNNING;
    String errorType;
    String errorMessage;
    String traceId;
    Double cost;
    final List<LogLine> lines = new ArrayList<>();
    final List<SpanData> spans = new ArrayList<>();

    Inv(String function, String requestId) {
      this.function = function;
      this.requestId = requestId;
    }

    public Inv stream(String s) {
      logStream = s;
      return this;
    }

    public Inv start(long t) {
      start = t;
      return this;
    }

    public Inv cold(double initMs) {
      cold = true;
      init = initMs;
      return this;
    }

    public Inv restore(double ms) {
      restore = ms;
      return this;
    }

    /** Finishes it: REPORT facts. */
    public Inv report(InvocationStatus status, double durationMs, double billedMs, int size, int used, double usd) {
      this.status = status;
      this.duration = durationMs;
      this.billed = billedMs;
      this.memSize = size;
      this.memUsed = used;
      this.cost = usd;
      this.end = start + (long) Math.ceil(durationMs);
      return this;
    }

    public Inv error(String type, String message) {
      errorType = type;
      errorMessage = message;
      return this;
    }

    public Inv trace(String id) {
      traceId = id;
      return this;
    }

    /** Adds an app line {@code offsetMs} after the start. */
    public Inv line(long offsetMs, String level, String text) {
      lines.add(Fixtures.line(function, logStream, start + offsetMs, requestId, level, text));
      return this;
    }

    public Inv platformLine(long offsetMs, String text) {
      lines.add(Fixtures.platform(function, logStream, start + offsetMs, requestId, text));
      return this;
    }

    public Inv span(SpanData span) {
      spans.add(span);
      return this;
    }

    public List<LogLine> lines() {
      return List.copyOf(lines);
    }

    public Invocation build() {
      return new Invocation(function, "/aws/lambda/" + function, logStream, requestId, start, end, cold, init,
          restore, duration, billed, memSize, memUsed, status, errorType, errorMessage, traceId, cost, lines, spans);
    }
  }

  public static SpanData span(String traceId, String spanId, String parent, String name, long startMs, long endMs,
      String status, String function, Map<String, Object> attrs) {
    return new SpanData(traceId, spanId, parent, name, "SERVER", startMs * 1_000_000L, endMs * 1_000_000L, status,
        null, function, attrs, List.of(), List.of(), function == null ? null : "/aws/lambda/" + function, null);
  }
}
