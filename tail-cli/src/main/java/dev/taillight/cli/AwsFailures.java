package dev.taillight.cli;

import dev.taillight.cli.Failures.Failure;

/**
 * Explains AWS SDK failures. Loaded only when one happens, so that commands that never touch AWS do not load
 * SDK classes.
 */
final class AwsFailures {
  private AwsFailures() {}

  static Failure describe(Throwable t) {
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : firstLine(t.getMessage());
    String name = t.getClass().getSimpleName();
    if (name.equals("ResourceNotFoundException")) {
      return new Failure(ExitCode.NOT_FOUND, "AWS: " + msg,
          "run 'taillight functions' to list the Lambda log groups in this account and region");
    }
    if (msg.contains("Unable to load credentials") || msg.contains("Unable to load region")
        || msg.contains("profile file")) {
      return new Failure(ExitCode.FAILURE, "AWS: " + msg,
          "configure credentials and a region ('aws configure', or AWS_PROFILE / AWS_REGION, or --profile "
              + "and --region)");
    }
    if (name.contains("AccessDenied") || msg.contains("not authorized") || msg.contains("AccessDenied")) {
      return new Failure(ExitCode.FAILURE, "AWS: " + msg,
          "the credentials need logs:DescribeLogGroups, logs:FilterLogEvents and logs:StartLiveTail");
    }
    if (msg.contains("Unable to execute HTTP request") || msg.contains("Connect")) {
      return new Failure(ExitCode.FAILURE, "AWS: " + msg,
          "check the network, the region, and --endpoint-url / AWS_ENDPOINT_URL if you use one");
    }
    return new Failure(ExitCode.FAILURE, "AWS: " + msg, null);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
