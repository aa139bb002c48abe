package dev.taillight.cli;

import dev.taillight.collector.cloudwatch.AwsErrors;
import dev.taillight.collector.insights.InsightsException;

/** Explains Logs Insights failures as CLI errors. Loaded only by a search that queried Logs Insights. */
final class InsightsFailures {
  private InsightsFailures() {}

  /** The CLI error for {@code e}: missing log groups are "not found" (3), a stopped query "interrupted" (130). */
  static CliException toCli(InsightsException e) {
    int code = switch (e.kind()) {
      case MISSING_LOG_GROUPS -> ExitCode.NOT_FOUND;
      case CANCELLED -> ExitCode.INTERRUPTED;
      default -> ExitCode.FAILURE;
    };
    return new CliException(code, e.getMessage(), e.hint(), e);
  }

  /** Whether {@code e} means AWS cannot be used from here at all: no credentials, no region, no network. */
  static boolean offline(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c.getClass().getName().startsWith("software.amazon.awssdk.")) {
        AwsErrors.Kind k = AwsErrors.kind(c);
        return k == AwsErrors.Kind.NO_CREDENTIALS || k == AwsErrors.Kind.NO_REGION
            || k == AwsErrors.Kind.UNREACHABLE;
      }
    }
    return false;
  }
}
