package dev.taillight.cli;

import dev.taillight.cli.Failures.Failure;
import dev.taillight.collector.cloudwatch.AwsErrors;

/**
 * Explains AWS SDK failures through the collector's {@link AwsErrors}. Loaded only when one happens, so that
 * commands that never touch AWS do not load SDK classes.
 */
final class AwsFailures {
  private AwsFailures() {}

  static Failure describe(Throwable t) {
    AwsErrors.UserError e = AwsErrors.describe(t);
    int code = e.kind() == AwsErrors.Kind.NOT_FOUND ? ExitCode.NOT_FOUND : ExitCode.FAILURE;
    return new Failure(code, e.message(), e.hint());
  }
}
