package dev.taillight.cli;

/**
 * A failure the command explains to the user: one line of what went wrong, one line of what to do, and the
 * exit code. {@link Failures} prints it; nothing else in the CLI prints errors.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;
  private final String hint;

  public CliException(int exitCode, String message, String hint, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.hint = hint;
  }

  public static CliException usage(String message, String hint) {
    return new CliException(ExitCode.USAGE, message, hint, null);
  }

  public static CliException notFound(String message, String hint) {
    return new CliException(ExitCode.NOT_FOUND, message, hint, null);
  }

  public static CliException failure(String message, String hint, Throwable cause) {
    return new CliException(ExitCode.FAILURE, message, hint, cause);
  }

  public int exitCode() {
    return exitCode;
  }

  /** What the user can do about it, or null. */
  public String hint() {
    return hint;
  }
}
