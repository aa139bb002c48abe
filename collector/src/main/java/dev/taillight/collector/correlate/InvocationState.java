package dev.taillight.collector.correlate;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationStatus;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.Pricing;
import dev.taillight.collector.SpanData;
import dev.taillight.collector.parse.PlatformRecord;
import dev.taillight.collector.internal.FrozenList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Everything known so far about one invocation; mutable, confined to the correlator's thread. */
final class InvocationState {
  enum Phase {
    /** Started, no END/REPORT yet. */
    OPEN,
    /** END or REPORT seen; waiting out the grace period for late lines. */
    CLOSING,
    /** Final snapshot emitted; kept in the recent set for late lines and traces. */
    FINISHED
  }

  /** No timestamp yet (for {@link #startTs}, {@link #endTs}). */
  static final long NONE = Long.MIN_VALUE;

  final StreamState stream;
  final String requestId;
  /** {@link OpenTable#hash} of {@link #requestId}. */
  final int hash;
  long startTs = NONE; // START line timestamp
  long firstTs; // earliest line timestamp
  long endTs = NONE; // END/REPORT timestamp
  boolean reported;
  boolean ended;
  boolean lost;
  Phase phase = Phase.OPEN;
  long deadline; // clock millis at which CLOSING becomes FINISHED
  boolean dirty; // FINISHED and changed since its last emission

  Double durationMs;
  Double billedDurationMs;
  Integer memorySizeMb;
  Integer maxMemoryUsedMb;
  Double initDurationMs;
  Double restoreDurationMs;
  boolean coldFromInit; // an INIT_START / RESTORE_START mark preceded it in its stream
  String reportStatus;
  String reportErrorType;
  boolean timedOut;
  String timeoutMessage;
  String crashType;
  String crashMessage;
  String appErrorType;
  String appErrorMessage;
  PlatformRecord initFailure;
  String reportTraceId;

  /** The lines in timestamp order: {@code lines[0, lineCount)}. */
  private LogLine[] lines = new LogLine[8];
  private int lineCount;
  /** Whether a snapshot's list shares {@link #lines}: it is then copied before it changes. */
  private boolean linesShared;
  final SpanList spans = new SpanList();
  /** The trace entry its spans went to last, or null: REPORT's trace id is usually the same. */
  TraceIndex.Entry traceEntry;
  /**
   * {@link #invocationSpan()} and what its attributes say, taken when a span is added: the span line is then fresh
   * in the CPU's caches, while snapshots are taken a grace period later.
   */
  private SpanData invocationSpan;
  private Double spanInitDurationMs;
  private Double spanRestoreDurationMs;
  private boolean spanColdStart;
  private Double spanBilledDurationMs;
  private Double spanMaxMemoryBytes;
  private String spanArchitecture;

  InvocationState(StreamState stream, String requestId, int hash, long firstTs) {
    this.stream = stream;
    this.requestId = requestId;
    this.hash = hash;
    this.firstTs = firstTs;
  }

  boolean hasStart() {
    return startTs != NONE;
  }

  boolean hasEnd() {
    return endTs != NONE;
  }

  /** Start of the interval this invocation covers in its stream. */
  long start() {
    return startTs != NONE ? startTs : firstTs;
  }

  boolean covers(long ts) {
    return start() <= ts && (endTs == NONE || ts <= endTs);
  }

  /** Records an END/REPORT timestamp: the interval ends at the latest. */
  void end(long ts) {
    endTs = endTs == NONE ? ts : Math.max(endTs, ts);
  }

  /** Inserts in timestamp order (lines with equal timestamps keep arrival order). */
  void addLine(LogLine line) {
    int i = lineCount;
    long ts = line.timestamp();
    if (i == lines.length || linesShared) {
      lines = Arrays.copyOf(lines, i == lines.length ? i * 2 : lines.length);
      linesShared = false;
    }
    while (i > 0 && lines[i - 1].timestamp() > ts) {
      lines[i] = lines[i - 1];
      i--;
    }
    lines[i] = line;
    lineCount++;
    if (ts < firstTs) {
      firstTs = ts;
    }
  }

  /**
   * Adds a span; a final span replaces a timeout-warning span with the same span id, never the other way round.
   * Returns false when the span was ignored (a warning arriving after its final span).
   */
  boolean addSpan(SpanData span) {
    int at = spans.indexOf(span.spanId());
    SpanData old = at < 0 ? null : spans.get(at);
    if (old != null && isTimeoutWarning(span) && !isTimeoutWarning(old)) {
      return false;
    }
    spans.put(span, at);
    SpanData inv;
    if (old == null) {
      // appended: it stands for the invocation only if no span before it does as well
      SpanData current = invocationSpan;
      boolean strong = current != null && isInvocationRoot(current);
      inv = !strong && requestId.equals(span.invocationId()) && (current == null || isInvocationRoot(span)) ? span
          : current;
    } else {
      inv = findInvocationSpan(); // replaced in place: any may change
    }
    if (inv != invocationSpan) {
      invocationSpan = inv;
      Map<String, Object> a = inv != null ? inv.attributes() : Map.of();
      spanInitDurationMs = number(a.get("aws.lambda.init_duration_ms"));
      spanRestoreDurationMs = number(a.get("aws.lambda.restore_duration_ms"));
      spanColdStart = Boolean.TRUE.equals(a.get("faas.coldstart"));
      spanBilledDurationMs = number(a.get("aws.lambda.estimated_billed_duration_ms"));
      spanMaxMemoryBytes = number(a.get("faas.max_memory"));
      Object arch = a.get("aws.lambda.architecture");
      spanArchitecture = arch == null ? null : arch.toString();
    }
    return true;
  }

  static boolean isTimeoutWarning(SpanData s) {
    Object w = s.attributes().get("aws.lambda.timeout_warning");
    return Boolean.TRUE.equals(w) || "true".equals(w);
  }

  void applyReport(PlatformRecord r, long ts) {
    reported = true;
    end(ts);
    if (r.durationMs() != null) {
      durationMs = r.durationMs();
    }
    if (r.billedDurationMs() != null) {
      billedDurationMs = r.billedDurationMs();
    }
    if (r.memorySizeMb() != null) {
      memorySizeMb = r.memorySizeMb();
    }
    if (r.maxMemoryUsedMb() != null) {
      maxMemoryUsedMb = r.maxMemoryUsedMb();
    }
    if (r.initDurationMs() != null) {
      initDurationMs = r.initDurationMs();
    }
    if (r.restoreDurationMs() != null) {
      restoreDurationMs = r.restoreDurationMs();
    }
    if (r.status() != null) {
      reportStatus = r.status();
    }
    if (r.errorType() != null) {
      reportErrorType = r.errorType();
    }
    if (r.traceId() != null) {
      reportTraceId = r.traceId();
    }
  }

  /** The span that stands for the whole invocation: the one naming this request id, a root/server one first. */
  SpanData invocationSpan() {
    return invocationSpan;
  }

  private SpanData findInvocationSpan() {
    SpanData any = null;
    for (int i = 0; i < spans.size(); i++) {
      SpanData s = spans.get(i);
      if (requestId.equals(s.invocationId())) {
        if (isInvocationRoot(s)) {
          return s;
        }
        if (any == null) {
          any = s;
        }
      }
    }
    return any;
  }

  /** A root, server or consumer span: preferred to any other span naming the invocation. */
  private static boolean isInvocationRoot(SpanData s) {
    return s.parentSpanId() == null || "SERVER".equals(s.kind()) || "CONSUMER".equals(s.kind());
  }

  InvocationStatus status() {
    if (lost) {
      return InvocationStatus.LOST;
    }
    if (!reported && !ended) {
      return InvocationStatus.RUNNING;
    }
    InvocationStatus base;
    if (timedOut || "timeout".equals(reportStatus)) {
      base = InvocationStatus.TIMEOUT;
    } else if (crashType != null || isCrashType(reportErrorType)) {
      base = InvocationStatus.CRASH;
    } else if ((reportStatus != null && !reportStatus.equals("success")) || reportErrorType != null
        || appErrorType != null || spanError() != null) {
      base = InvocationStatus.ERROR;
    } else {
      base = InvocationStatus.OK;
    }
    if (initFailure != null && (base != InvocationStatus.OK || "invoke".equals(initFailure.phase()))) {
      return InvocationStatus.INIT_FAILURE;
    }
    return base;
  }

  static boolean isCrashType(String type) {
    return type != null && (type.equals("Runtime.ExitError") || type.equals("Runtime.OutOfMemory")
        || type.equals("Runtime.Unknown") || type.startsWith("Runtime.Crash"));
  }

  /** The span that reports an error: the invocation span with status ERROR, else any span with status ERROR. */
  private SpanData spanError() {
    SpanData inv = invocationSpan();
    if (inv != null) {
      return "ERROR".equals(inv.statusCode()) ? inv : null;
    }
    for (int i = 0; i < spans.size(); i++) {
      SpanData s = spans.get(i);
      if ("ERROR".equals(s.statusCode())) {
        return s;
      }
    }
    return null;
  }

  private String errorType(SpanData errSpan) {
    if (initFailure != null && initFailure.errorType() != null) {
      return initFailure.errorType();
    }
    if (reportErrorType != null) {
      return reportErrorType;
    }
    if (crashType != null) {
      return crashType;
    }
    if (appErrorType != null) {
      return appErrorType;
    }
    if (errSpan != null) {
      Object t = exceptionAttribute(errSpan, "exception.type");
      if (t != null) {
        return t.toString();
      }
    }
    if (timedOut || "timeout".equals(reportStatus)) {
      return "Sandbox.Timedout";
    }
    return null;
  }

  private String errorMessage(SpanData errSpan) {
    if (crashMessage != null) {
      return crashMessage;
    }
    if (timeoutMessage != null) {
      return timeoutMessage;
    }
    if (appErrorMessage != null) {
      return appErrorMessage;
    }
    if (errSpan != null) {
      Object m = exceptionAttribute(errSpan, "exception.message");
      if (m != null) {
        return m.toString();
      }
      return errSpan.statusMessage();
    }
    return null;
  }

  private static Object exceptionAttribute(SpanData s, String key) {
    for (SpanData.Event e : s.events()) {
      if (e.name().equals("exception") && e.attributes().get(key) != null) {
        return e.attributes().get(key);
      }
    }
    return s.attributes().get(key);
  }

  /**
   * The snapshot of an invocation just created, before its first line joins it: what {@link #snapshot} gives then
   * (running since its first line, nothing known yet), without working it out.
   */
  Invocation started() {
    return new Invocation(stream.function, stream.logGroup, stream.logStream, requestId, firstTs, null, false, null,
        null, null, null, null, null, InvocationStatus.RUNNING, null, null, null, null, List.of(), List.of());
  }

  Invocation snapshot(Pricing pricing) {
    SpanData inv = invocationSpan();
    InvocationStatus status = status();
    SpanData errSpan = status.failed() ? spanError() : null;
    Double init = initDurationMs != null ? initDurationMs : spanInitDurationMs;
    Double restore = restoreDurationMs != null ? restoreDurationMs : spanRestoreDurationMs;
    boolean cold = coldFromInit || initDurationMs != null || restoreDurationMs != null || spanColdStart;
    Double duration = durationMs;
    if (duration == null && inv != null && inv.endEpochNanos() > inv.startEpochNanos()) {
      duration = inv.durationNanos() / 1e6;
    }
    Double billed = billedDurationMs != null ? billedDurationMs : spanBilledDurationMs;
    Integer memory = memorySizeMb;
    if (memory == null) {
      Double bytes = spanMaxMemoryBytes;
      memory = bytes == null ? null : (int) Math.round(bytes / (1024.0 * 1024.0));
    }
    String traceId = reportTraceId;
    if (traceId == null) {
      if (inv != null) {
        traceId = inv.traceId();
      } else if (!spans.isEmpty()) {
        traceId = spans.get(0).traceId();
      }
    }
    String errType = status.failed() ? errorType(errSpan) : null;
    String errMessage = status.failed() ? errorMessage(errSpan) : null;
    if (status == InvocationStatus.LOST && errMessage == null) {
      errMessage = "no END or REPORT line arrived for this invocation";
    }
    return new Invocation(stream.function, stream.logGroup, stream.logStream, requestId, start(),
        endTs == NONE ? null : endTs, cold, init, restore, duration, billed, memory, maxMemoryUsedMb, status, errType,
        errMessage, traceId, pricing.cost(billed, memory, spanArchitecture), lineList(), spans.toList());
  }

  /**
   * The lines as an immutable list sharing {@link #lines} (copied before it changes again): a snapshot taken when the
   * grace period ends reads nothing of the lines, long out of the CPU's caches by then. Invocation keeps it as it is.
   */
  private List<LogLine> lineList() {
    if (lineCount == 0) {
      return List.of();
    }
    linesShared = true;
    return FrozenList.sharing(lines, lineCount);
  }

  private static Double number(Object o) {
    if (o instanceof Number n) {
      return n.doubleValue();
    }
    if (o instanceof String s) {
      try {
        return Double.valueOf(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
