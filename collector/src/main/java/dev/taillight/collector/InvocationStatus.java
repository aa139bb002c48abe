package dev.taillight.collector;

/** How an invocation ended, as far as its logs tell. */
public enum InvocationStatus {
  /** START seen, no REPORT yet. */
  RUNNING,
  /** Finished without error. */
  OK,
  /** The handler threw or returned an error (REPORT {@code Status: error}, or an error span). */
  ERROR,
  /** Killed at the function timeout ({@code Task timed out}, REPORT {@code Status: timeout}). */
  TIMEOUT,
  /** The runtime process died ({@code Runtime.ExitError}, {@code Runtime.OutOfMemory}). */
  CRASH,
  /** The environment failed to initialise (INIT_REPORT with an error status). */
  INIT_FAILURE,
  /** Started but never finished: its stream went quiet long enough that the end will not come. */
  LOST;

  /** Whether the invocation is over. */
  public boolean finished() {
    return this != RUNNING;
  }

  /** Whether this status is a failure worth marking (error, timeout, crash, init failure, lost). */
  public boolean failed() {
    return this != RUNNING && this != OK;
  }
}
