package dev.taillight.localruntime;

import static java.util.Objects.requireNonNull;

/**
 * What one invocation came to, as Lambda's Invoke API and REPORT line would tell it.
 *
 * @param requestId the request id handed to the function ({@code Lambda-Runtime-Aws-Request-Id})
 * @param status how it ended
 * @param payload the function's response, or the error document the runtime posted (JSON with {@code
 *     errorMessage}, {@code errorType}), or a short explanation for platform failures; never {@code null}
 * @param errorType the error type ({@code java.lang.RuntimeException}, {@code Runtime.ExitError}, ...), or
 *     {@code null} on success
 * @param logStream the log stream (execution environment) that ran it; empty when throttled
 * @param traceHeader the X-Ray trace header the function received
 * @param coldStart whether this invocation had to start (initialise) its environment
 * @param durationMs the REPORT duration, from START until the runtime asked for the next event
 * @param billedDurationMs the REPORT billed duration (duration rounded up to 1 ms, plus the init duration for an
 *     on-demand cold start, as Lambda bills since 2025-08)
 * @param initDurationMs the REPORT init duration, or {@code -1} when the REPORT has none
 * @param maxMemoryUsedMb the child JVM's peak resident memory (VmHWM) in MB
 */
public record InvocationResult(
    String requestId,
    Status status,
    String payload,
    String errorType,
    String logStream,
    String traceHeader,
    boolean coldStart,
    double durationMs,
    long billedDurationMs,
    double initDurationMs,
    long maxMemoryUsedMb) {

  public InvocationResult {
    requireNonNull(requestId, "requestId");
    requireNonNull(status, "status");
    requireNonNull(payload, "payload");
    requireNonNull(logStream, "logStream");
    requireNonNull(traceHeader, "traceHeader");
  }

  /** How an invocation ended. */
  public enum Status {
    /** The handler returned; {@code payload} is its response. */
    SUCCESS,
    /** The handler threw; {@code payload} is the runtime's error document. */
    FUNCTION_ERROR,
    /** The function timeout passed; the environment was stopped and will re-initialise. */
    TIMEOUT,
    /** The JVM exited or was killed during the invocation ({@code Runtime.ExitError}, {@code Runtime.OutOfMemory}). */
    RUNTIME_EXIT,
    /** The environment could not initialise (handler not found, constructor threw, JVM failed to start). */
    INIT_ERROR,
    /** Every environment was busy and the concurrency limit was reached; nothing ran. */
    THROTTLED
  }

  /** Whether the handler returned normally. */
  public boolean succeeded() {
    return status == Status.SUCCESS;
  }
}
