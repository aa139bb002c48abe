package dev.taillight.collector.store;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationStatus;
import dev.taillight.collector.LineKind;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.SpanData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds model objects for store tests, so they need no pipeline. */
final class Fixtures {
  private Fixtures() {}

  static final long T0 = 1_764_000_000_000L; // 2025-11-24T16:00:00Z

  static String group(String function) {
    return "/aws/lambda/" + function;
  }

  static String stream(int n) {
    return "2025/11/24/[$LATEST]" + String.format("%032x", n);
  }

  static LogLine line(String function, int stream, long ts, String requestId, String message) {
    return line(function, stream, ts, requestId, LineKind.APP, message);
  }

  static LogLine line(String function, int stream, long ts, String requestId, LineKind kind, String message) {
    RawEvent e = new RawEvent(group(function), stream(stream), ts, ts + 1500, eventId(function, stream, ts,
        message), message);
    return new LogLine(e, function, kind, null, requestId, message);
  }

  static String eventId(String function, int stream, long ts, String message) {
    return RawEvent.syntheticId(group(function), stream(stream), ts, message);
  }

  static InvocationBuilder invocation(String function, String requestId) {
    return new InvocationBuilder(function, requestId);
  }

  static final class InvocationBuilder {
    String function;
    String logGroup;
    int stream = 1;
    String requestId;
    long startTime = T0;
    Long endTime;
    boolean coldStart;
    Double initDurationMs;
    Double restoreDurationMs;
    Double durationMs;
    Double billedDurationMs;
    Integer memorySizeMb;
    Integer maxMemoryUsedMb;
    InvocationStatus status = InvocationStatus.RUNNING;
    String errorType;
    String errorMessage;
    String traceId;
    Double costUsd;
    List<LogLine> lines = new ArrayList<>();
    List<SpanData> spans = new ArrayList<>();

    InvocationBuilder(String function, String requestId) {
      this.function = function;
      this.logGroup = group(function);
      this.requestId = requestId;
    }

    InvocationBuilder stream(int n) {
      stream = n;
      return this;
    }

    InvocationBuilder start(long t) {
      startTime = t;
      return this;
    }

    /** Finished OK after {@code ms}, billed rounded up, 512 MB, cost 1e-6 per billed ms. */
    InvocationBuilder finished(double ms) {
      durationMs = ms;
      billedDurationMs = Math.ceil(ms);
      endTime = startTime + (long) Math.ceil(ms);
      memorySizeMb = 512;
      maxMemoryUsedMb = 100;
      status = InvocationStatus.OK;
      costUsd = billedDurationMs * 1e-6;
      return this;
    }

    InvocationBuilder status(InvocationStatus s) {
      status = s;
      return this;
    }

    InvocationBuilder cold(double initMs) {
      coldStart = true;
      initDurationMs = initMs;
      return this;
    }

    InvocationBuilder trace(String t) {
      traceId = t;
      return this;
    }

    InvocationBuilder error(String type, String message) {
      errorType = type;
      errorMessage = message;
      return this;
    }

    InvocationBuilder memory(int size, int used) {
      memorySizeMb = size;
      maxMemoryUsedMb = used;
      return this;
    }

    InvocationBuilder cost(Double usd) {
      costUsd = usd;
      return this;
    }

    InvocationBuilder billed(Double ms) {
      billedDurationMs = ms;
      return this;
    }

    InvocationBuilder restore(Double ms) {
      restoreDurationMs = ms;
      return this;
    }

    InvocationBuilder lines(List<LogLine> l) {
      lines = l;
      return this;
    }

    InvocationBuilder spans(List<SpanData> s) {
      spans = s;
      return this;
    }

    Invocation build() {
      return new Invocation(function, logGroup, Fixtures.stream(stream), requestId, startTime, endTime, coldStart,
          initDurationMs, restoreDurationMs, durationMs, billedDurationMs, memorySizeMb, maxMemoryUsedMb, status,
          errorType, errorMessage, traceId, costUsd, lines, spans);
    }
  }

  static SpanData span(String traceId, String spanId, String parent, String requestId, long startMs, long endMs,
      Map<String, Object> extra) {
    Map<String, Object> attrs = new HashMap<>(extra);
    if (requestId != null) {
      attrs.put("faas.invocation_id", requestId);
    }
    return new SpanData(traceId, spanId, parent, "handler", "SERVER", startMs * 1_000_000, endMs * 1_000_000,
        "UNSET", null, "orders-api", attrs, List.of(), List.of(), group("orders-api"), stream(1));
  }
}
