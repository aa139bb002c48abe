package dev.taillight.collector;

import static java.util.Objects.requireNonNull;

import dev.taillight.collector.internal.FrozenList;
import java.util.List;

/**
 * One invocation of one function, rebuilt from its log stream: an immutable snapshot. While the invocation is
 * running, listeners receive newer snapshots as lines arrive.
 *
 * <p>Optional numbers are null when the logs did not say (e.g. no REPORT yet). The REPORT line is the
 * authority for durations, memory and status; span attributes fill in what REPORT lacks.
 *
 * @param function function name
 * @param logGroup log group
 * @param logStream log stream (one execution environment)
 * @param requestId the Lambda request id
 * @param startTime START line timestamp (epoch ms), or the first line's when START was not seen
 * @param endTime REPORT (or END) timestamp, or null while running
 * @param coldStart true when this was the first invocation of its environment (REPORT carried Init Duration,
 *     or INIT_START preceded it in the stream, or the span said {@code faas.coldstart})
 * @param initDurationMs Init Duration from REPORT (or INIT_REPORT), or null
 * @param restoreDurationMs SnapStart Restore Duration, or null
 * @param durationMs Duration from REPORT, or null
 * @param billedDurationMs Billed Duration from REPORT, or null
 * @param memorySizeMb Memory Size from REPORT, or null
 * @param maxMemoryUsedMb Max Memory Used from REPORT, or null
 * @param status how it ended
 * @param errorType e.g. {@code Runtime.ExitError}, an exception class, or null
 * @param errorMessage the error's message, or null
 * @param traceId 32 lowercase hex digits, or null
 * @param costUsd estimated cost (billed duration x memory x architecture price + request price), or null
 * @param lines the invocation's log lines in timestamp order
 * @param spans spans whose {@code faas.invocation_id} is this request id
 */
public record Invocation(
    String function,
    String logGroup,
    String logStream,
    String requestId,
    long startTime,
    Long endTime,
    boolean coldStart,
    Double initDurationMs,
    Double restoreDurationMs,
    Double durationMs,
    Double billedDurationMs,
    Integer memorySizeMb,
    Integer maxMemoryUsedMb,
    InvocationStatus status,
    String errorType,
    String errorMessage,
    String traceId,
    Double costUsd,
    List<LogLine> lines,
    List<SpanData> spans) {

  public Invocation {
    requireNonNull(function, "function");
    requireNonNull(logGroup, "logGroup");
    requireNonNull(logStream, "logStream");
    requireNonNull(requestId, "requestId");
    requireNonNull(status, "status");
    lines = immutable(lines);
    spans = immutable(spans);
  }

  /** The list as it is when the correlator made it (already an immutable copy), else {@link List#copyOf}. */
  private static <E> List<E> immutable(List<E> list) {
    return list instanceof FrozenList ? list : List.copyOf(list);
  }

  public int lineCount() {
    return lines.size();
  }
}
