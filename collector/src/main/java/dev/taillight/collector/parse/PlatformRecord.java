package dev.taillight.collector.parse;

/**
 * What a Lambda platform line says, whether it came in the TEXT format ({@code REPORT RequestId: ...}) or the
 * JSON format ({@code {"type":"platform.report","record":{...}}}). Fields the line did not carry are null.
 *
 * @param type which platform line this is
 * @param requestId the request id the line names, or null (INIT_START, INIT_REPORT, RESTORE_*, ...)
 * @param durationMs {@code Duration} (REPORT) or {@code Init Duration} (INIT_REPORT)
 * @param billedDurationMs {@code Billed Duration}
 * @param memorySizeMb {@code Memory Size}
 * @param maxMemoryUsedMb {@code Max Memory Used}
 * @param initDurationMs {@code Init Duration} on REPORT or INIT_REPORT
 * @param restoreDurationMs {@code Restore Duration} on REPORT or RESTORE_REPORT
 * @param billedRestoreDurationMs {@code Billed Restore Duration}
 * @param status lower case: {@code success}, {@code error}, {@code failure}, {@code timeout}, or null
 * @param errorType {@code Error Type}, e.g. {@code Runtime.ExitError}
 * @param errorMessage the error text of a runtime-exit line, or null
 * @param traceId the X-Ray trace id normalised to 32 hex digits, or null
 * @param segmentId the X-Ray segment id, or null
 * @param sampled the X-Ray sampled flag, or null
 * @param phase {@code init} or {@code invoke} (INIT_REPORT, INIT_START), or null
 * @param initType initialisation type ({@code on-demand}, {@code provisioned-concurrency}, {@code snap-start}), or
 *     null
 * @param runtimeVersion {@code Runtime Version}, or null
 * @param version the function version of a START line, or null
 * @param timeoutSeconds the seconds of a {@code Task timed out after N seconds} line, or null
 */
public record PlatformRecord(
    Type type,
    String requestId,
    Double durationMs,
    Double billedDurationMs,
    Integer memorySizeMb,
    Integer maxMemoryUsedMb,
    Double initDurationMs,
    Double restoreDurationMs,
    Double billedRestoreDurationMs,
    String status,
    String errorType,
    String errorMessage,
    String traceId,
    String segmentId,
    Boolean sampled,
    String phase,
    String initType,
    String runtimeVersion,
    String version,
    Double timeoutSeconds) {

  /** The kinds of platform lines. */
  public enum Type {
    INIT_START,
    INIT_RUNTIME_DONE,
    INIT_REPORT,
    START,
    RUNTIME_DONE,
    END,
    REPORT,
    RESTORE_START,
    RESTORE_RUNTIME_DONE,
    RESTORE_REPORT,
    EXTENSION,
    TELEMETRY,
    LOGS_DROPPED,
    /** {@code Task timed out after N seconds}. */
    TIMEOUT,
    /** {@code RequestId: X Error: Runtime exited with error: ...} followed by e.g. {@code Runtime.ExitError}. */
    RUNTIME_EXIT,
    /** An {@code XRAY TraceId: ...} line on its own: the tail of the REPORT line before it. */
    XRAY,
    /** Some other {@code platform.*} record. */
    OTHER
  }

  /** Whether the status or error type says the invocation or init failed. */
  public boolean failed() {
    return (status != null && !status.equals("success")) || (errorType != null && type != Type.START);
  }

  /** A mutable accumulator the parsers fill in; package-private. */
  static final class Builder {
    Type type;
    String requestId;
    Double durationMs;
    Double billedDurationMs;
    Integer memorySizeMb;
    Integer maxMemoryUsedMb;
    Double initDurationMs;
    Double restoreDurationMs;
    Double billedRestoreDurationMs;
    String status;
    String errorType;
    String errorMessage;
    String traceId;
    String segmentId;
    Boolean sampled;
    String phase;
    String initType;
    String runtimeVersion;
    String version;
    Double timeoutSeconds;

    Builder(Type type) {
      this.type = type;
    }

    PlatformRecord build() {
      return new PlatformRecord(type, requestId, durationMs, billedDurationMs, memorySizeMb, maxMemoryUsedMb,
          initDurationMs, restoreDurationMs, billedRestoreDurationMs, status, errorType, errorMessage, traceId,
          segmentId, sampled, phase, initType, runtimeVersion, version, timeoutSeconds);
    }
  }
}
