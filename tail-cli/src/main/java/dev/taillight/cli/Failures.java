package dev.taillight.cli;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CancellationException;

/**
 * The one place where a failure becomes an exit code and a message. Every command lets exceptions out;
 * {@link Main} hands them here. The user sees one line saying what went wrong and, when there is one, a line
 * saying what to do; the stack trace only with {@code --stacktrace}.
 */
final class Failures {
  private Failures() {}

  /** What to tell the user about a failure. */
  record Failure(int exitCode, String message, String hint) {}

  /** Prints the failure to {@code err} and returns its exit code. */
  static int report(Throwable t, PrintStream err, boolean stacktrace) {
    Failure f = describe(t);
    err.println("taillight: " + f.message());
    if (f.hint() != null) {
      err.println("  hint: " + f.hint());
    }
    if (stacktrace) {
      t.printStackTrace(err);
    }
    err.flush();
    return f.exitCode();
  }

  static Failure describe(Throwable t) {
    Throwable root = t;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CliException e) {
        return new Failure(e.exitCode(), e.getMessage(), e.hint());
      }
      if (c instanceof InterruptedException || c instanceof InterruptedIOException
          || c instanceof CancellationException) {
        return new Failure(ExitCode.INTERRUPTED, "interrupted", null);
      }
      if (c instanceof dev.taillight.collector.store.StoreException) {
        return new Failure(ExitCode.FAILURE, c.getMessage(),
            "pick another index file with --store PATH, or run without recording (--no-store)");
      }
      if (c.getClass().getName().startsWith("software.amazon.awssdk.")) {
        return AwsFailures.describe(c);
      }
      root = c;
    }
    if (root instanceof NoSuchFileException e) {
      return new Failure(ExitCode.NOT_FOUND, "no such file: " + e.getFile(), "check the path");
    }
    if (root instanceof AccessDeniedException e) {
      return new Failure(ExitCode.FAILURE, "permission denied: " + e.getFile(), "check the file's permissions");
    }
    if (root instanceof IOException || root instanceof UncheckedIOException) {
      return new Failure(ExitCode.FAILURE, "I/O error: " + root.getMessage(), null);
    }
    String what = root.getMessage() == null ? root.getClass().getName()
        : root.getClass().getSimpleName() + ": " + root.getMessage();
    return new Failure(ExitCode.FAILURE, "unexpected error: " + what,
        "run again with --stacktrace and report the output");
  }
}
