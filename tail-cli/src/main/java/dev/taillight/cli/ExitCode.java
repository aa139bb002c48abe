package dev.taillight.cli;

/**
 * The exit codes of {@code taillight}, documented in {@code docs/cli.md}.
 *
 * <ul>
 *   <li>{@code 0} success
 *   <li>{@code 1} runtime failure: an AWS error, an unreadable file, a failed index
 *   <li>{@code 2} usage error: unknown option, bad value, missing argument
 *   <li>{@code 3} not found: no such trace, request id, log group or function
 *   <li>{@code 130} interrupted (Ctrl-C)
 * </ul>
 */
public final class ExitCode {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  public static final int NOT_FOUND = 3;
  public static final int INTERRUPTED = 130;

  private ExitCode() {}
}
