package dev.taillight.collector.cloudwatch;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns AWS SDK failures into one clear line for users plus what to do about it.
 *
 * <p>Example: {@code AwsErrors.describe(e, "logs:FilterLogEvents", "/aws/lambda/orders", similar)} gives
 * {@code "not allowed to call logs:FilterLogEvents on /aws/lambda/orders"} with the hint {@code "grant
 * logs:FilterLogEvents on arn:aws:logs:*:*:log-group:/aws/lambda/orders:* (see docs/iam.md)"}. Pure functions,
 * thread-safe; never throws.
 */
public final class AwsErrors {
  private AwsErrors() {}

  /** What went wrong, in categories that call for different action. */
  public enum Kind {
    NO_CREDENTIALS,
    EXPIRED_CREDENTIALS,
    ACCESS_DENIED,
    NOT_FOUND,
    THROTTLED,
    NO_REGION,
    UNREACHABLE,
    INVALID_REQUEST,
    SERVICE_ERROR,
    OTHER
  }

  /**
   * A failure explained for a user.
   *
   * @param kind the category
   * @param message one line saying what went wrong (includes the AWS message where it helps)
   * @param hint what to do about it
   * @param retryable whether trying again later may succeed without the user changing anything
   */
  public record UserError(Kind kind, String message, String hint, boolean retryable) {
    /** {@code message: hint} on one line. */
    public String oneLine() {
      return hint == null || hint.isEmpty() ? message : message + ". " + hint;
    }
  }

  private static final Set<String> THROTTLING_CODES = Set.of("ThrottlingException", "Throttling",
      "TooManyRequestsException", "RequestLimitExceeded", "ThrottledException", "RequestThrottled",
      "RequestThrottledException", "LimitExceededException", "SlowDown", "ProvisionedThroughputExceededException");
  private static final Set<String> EXPIRED_CODES = Set.of("ExpiredTokenException", "ExpiredToken",
      "RequestExpired", "TokenRefreshRequired");
  private static final Set<String> DENIED_CODES = Set.of("AccessDeniedException", "AccessDenied",
      "UnauthorizedOperation", "UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException",
      "SignatureDoesNotMatch", "MissingAuthenticationToken", "IncompleteSignature", "NotAuthorized");
  private static final Pattern PERFORM = Pattern.compile("perform: ([a-zA-Z0-9-]+:[A-Za-z0-9]+)");

  /** Explains {@code t} without context. */
  public static UserError describe(Throwable t) {
    return describe(t, null, null, List.of());
  }

  /**
   * Explains {@code t}.
   *
   * @param action the IAM action the call needed, e.g. {@code logs:FilterLogEvents}, or null
   * @param logGroup the log group concerned, or null
   * @param similarGroups log groups that exist with a similar name (for a missing group), may be empty
   */
  public static UserError describe(Throwable t, String action, String logGroup, List<String> similarGroups) {
    Kind kind = kind(t);
    String aws = awsMessage(t);
    switch (kind) {
      case NO_CREDENTIALS:
        return new UserError(kind, "no AWS credentials found",
            "configure them with `aws configure` (or `aws sso login`), set AWS_PROFILE or pass --profile NAME, "
                + "or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", false);
      case EXPIRED_CREDENTIALS:
        return new UserError(kind, "the AWS credentials have expired (" + aws + ")",
            "refresh them (`aws sso login`, or get new temporary credentials) and run again; a running tail "
                + "retries by itself", true);
      case ACCESS_DENIED: {
        String needed = action;
        Matcher m = PERFORM.matcher(aws);
        if (m.find()) {
          needed = m.group(1);
        }
        String what = needed == null ? "not allowed" : "not allowed to call " + needed;
        String resource = logGroup == null ? "" : " on arn:aws:logs:REGION:ACCOUNT:log-group:" + logGroup + ":*";
        String hint = needed == null
            ? "check the identity's IAM policy (see docs/iam.md for what each command needs)"
            : "grant " + needed + resource + " to the identity in use (see docs/iam.md)";
        if (code(t).equals("UnrecognizedClientException") || code(t).equals("InvalidClientTokenId")) {
          return new UserError(kind, "AWS does not recognise the access key (" + aws + ")",
              "check the profile or AWS_ACCESS_KEY_ID in use, and that it belongs to this region's partition",
              false);
        }
        return new UserError(kind, what + (logGroup == null ? "" : " on " + logGroup) + " (" + aws + ")", hint,
            false);
      }
      case NOT_FOUND: {
        String what = logGroup == null ? "not found (" + aws + ")" : "log group " + logGroup + " does not exist";
        String hint = similarGroups == null || similarGroups.isEmpty()
            ? "check the name and region (`taillight functions` lists the log groups that exist)"
            : "similar log groups that exist: " + String.join(", ", similarGroups.subList(0,
                Math.min(10, similarGroups.size())));
        return new UserError(kind, what, hint, false);
      }
      case THROTTLED:
        return new UserError(kind, "AWS is throttling requests" + (action == null ? "" : " to " + action),
            "slowing down and retrying; lower --rate or follow fewer groups if it persists (the quota is per "
                + "account and region)", true);
      case NO_REGION:
        return new UserError(kind, "no AWS region configured",
            "pass --region (e.g. --region eu-west-1), set AWS_REGION, or add region to the profile", false);
      case UNREACHABLE:
        return new UserError(kind, "cannot reach the AWS endpoint (" + rootMessage(t) + ")",
            "check the network, the region name (--region) and --endpoint-url / AWS_ENDPOINT_URL", true);
      case INVALID_REQUEST:
        return new UserError(kind, "AWS rejected the request (" + aws + ")",
            "check the arguments (filter pattern syntax, time range)", false);
      case SERVICE_ERROR:
        return new UserError(kind, "AWS had an internal error (" + aws + ")", "retrying; usually transient", true);
      default:
        return new UserError(kind, t.getClass().getSimpleName() + ": " + aws, "run with --stacktrace for details",
            false);
    }
  }

  /** Classifies {@code t} (looking through causes). */
  public static Kind kind(Throwable t) {
    if (t instanceof AwsServiceException se) {
      String code = code(se);
      int status = se.statusCode();
      if (THROTTLING_CODES.contains(code) || status == 429 || se.isThrottlingException()) {
        return Kind.THROTTLED;
      }
      if (EXPIRED_CODES.contains(code)) {
        return Kind.EXPIRED_CREDENTIALS;
      }
      if (DENIED_CODES.contains(code) || status == 403) {
        return Kind.ACCESS_DENIED;
      }
      if (code.equals("ResourceNotFoundException") || code.equals("ResourceNotFound") || status == 404) {
        return Kind.NOT_FOUND;
      }
      if (status >= 500 || code.equals("ServiceUnavailableException") || code.equals("InternalFailure")) {
        return Kind.SERVICE_ERROR;
      }
      if (status >= 400) {
        return Kind.INVALID_REQUEST;
      }
      return Kind.OTHER;
    }
    if (t instanceof SdkClientException) {
      String msg = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (msg.contains("unable to load credentials") || msg.contains("unable to load aws credentials")
          || msg.contains("credentials") && msg.contains("provider")) {
        if (msg.contains("expired")) {
          return Kind.EXPIRED_CREDENTIALS;
        }
        return Kind.NO_CREDENTIALS;
      }
      if (msg.contains("unable to load region") || msg.contains("region must") || msg.contains("no region")) {
        return Kind.NO_REGION;
      }
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof UnknownHostException || c instanceof ConnectException
          || c instanceof SocketTimeoutException || c instanceof java.net.NoRouteToHostException) {
        return Kind.UNREACHABLE;
      }
      if (c != t && c instanceof AwsServiceException) {
        return kind(c);
      }
    }
    if (t instanceof SdkClientException) {
      return Kind.UNREACHABLE; // I/O failures surface as client exceptions: retry
    }
    return Kind.OTHER;
  }

  /** True for throttling (ThrottlingException, HTTP 429 and the like). */
  public static boolean isThrottling(Throwable t) {
    return kind(t) == Kind.THROTTLED;
  }

  /** The AWS error code, or "" when there is none. */
  static String code(Throwable t) {
    if (t instanceof AwsServiceException se && se.awsErrorDetails() != null
        && se.awsErrorDetails().errorCode() != null) {
      return se.awsErrorDetails().errorCode();
    }
    return "";
  }

  /** The AWS error message without the SDK's request-id suffix. */
  static String awsMessage(Throwable t) {
    if (t instanceof AwsServiceException se && se.awsErrorDetails() != null) {
      String m = se.awsErrorDetails().errorMessage();
      String code = code(t);
      if (m == null || m.isBlank()) {
        return code.isEmpty() ? "HTTP " + se.statusCode() : code;
      }
      return m;
    }
    if (t instanceof SdkException && t.getMessage() != null) {
      return t.getMessage();
    }
    return rootMessage(t);
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return m == null ? c.getClass().getSimpleName() : c.getClass().getSimpleName() + ": " + m;
  }
}
