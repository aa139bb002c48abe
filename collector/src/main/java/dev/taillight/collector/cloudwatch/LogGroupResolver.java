package dev.taillight.collector.cloudwatch;

import dev.taillight.collector.internal.EditDistance;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;

/**
 * Turns what a user types into the log groups to read: function names, full group names, prefixes and patterns.
 *
 * <ul>
 *   <li>{@code orders-api} (a function name or Lambda ARN): the function's log group, {@code /aws/lambda/orders-api}
 *       unless its LoggingConfig names a custom group (read with Lambda GetFunctionConfiguration; when that call
 *       is not allowed or fails the default is used and a note says so);
 *   <li>{@code /aws/lambda/orders-api} (starts with {@code /}): that group when it exists, else every group it is a
 *       prefix of, else the name as given (a source waits for it to appear) with a note;
 *   <li>{@code /aws/lambda/orders*} or {@code orders-*}: every group with that prefix ({@code logGroupNamePrefix};
 *       a bare name prefix means {@code /aws/lambda/} + prefix);
 *   <li>{@code *orders*}, {@code orders*api}: groups matching the glob, found with {@code logGroupNamePattern}
 *       (case-insensitive, as CloudWatch matches).
 * </ul>
 *
 * <p>Blocking calls; thread-safe if the clients are. AWS errors other than "no such function" propagate as SDK
 * exceptions for {@link AwsErrors} to explain. The clients are not closed.
 */
public final class LogGroupResolver {
  /** The prefix of Lambda's default log groups. */
  public static final String LAMBDA_PREFIX = "/aws/lambda/";

  private final CloudWatchLogsClient logs;
  private final LambdaClient lambda;
  private final RequestRateLimiter limiter;

  private LogGroupResolver(CloudWatchLogsClient logs, LambdaClient lambda, RequestRateLimiter limiter) {
    this.logs = requireNonNull(logs, "logs");
    this.lambda = lambda;
    this.limiter = requireNonNull(limiter, "limiter");
  }

  /**
   * A resolver using {@code lambda} (may be null: function names then map to {@code /aws/lambda/<name>}), with
   * at most 5 CloudWatch Logs requests per second.
   */
  public static LogGroupResolver create(CloudWatchLogsClient logs, LambdaClient lambda) {
    return create(logs, lambda, RequestRateLimiter.create(5));
  }

  /** As {@link #create(CloudWatchLogsClient, LambdaClient)} with a given limiter. */
  public static LogGroupResolver create(CloudWatchLogsClient logs, LambdaClient lambda, RequestRateLimiter limiter) {
    return new LogGroupResolver(logs, lambda, limiter);
  }

  /**
   * The result of resolving names.
   *
   * @param logGroups the groups to read, in the order given, without repeats
   * @param notes what the user should know (fallbacks, groups that do not exist yet)
   * @param missing names given that matched no existing group (they are in {@code logGroups} when they are
   *     exact names a source can wait for)
   */
  public record Resolution(List<String> logGroups, List<String> notes, List<String> missing) {
    public Resolution {
      logGroups = List.copyOf(logGroups);
      notes = List.copyOf(notes);
      missing = List.copyOf(missing);
    }
  }

  /**
   * A function's log group.
   *
   * @param functionName the function
   * @param logGroup its log group
   * @param custom whether LoggingConfig names a custom group
   * @param note why the default was assumed, or null
   */
  public record FunctionLogGroup(String functionName, String logGroup, boolean custom, String note) {}

  /**
   * A Lambda log group with when it last received an event.
   *
   * @param functionName the function name (the part after {@code /aws/lambda/})
   * @param logGroup the group name
   * @param lastEventTime epoch millis of the newest event in any stream, or -1 when it has none
   * @param storedBytes bytes stored (as CloudWatch reports it, may lag)
   */
  public record LambdaLogGroup(String functionName, String logGroup, long lastEventTime, long storedBytes) {}

  /** Resolves every spec; see the class comment for the forms. */
  public Resolution resolve(List<String> specs) throws InterruptedException {
    Set<String> groups = new LinkedHashSet<>();
    List<String> notes = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String raw : specs) {
      String spec = raw.strip();
      if (spec.isEmpty()) {
        continue;
      }
      if (spec.contains("*")) {
        List<String> found = glob(spec);
        if (found.isEmpty()) {
          missing.add(spec);
          notes.add("no log group matches " + spec);
        }
        groups.addAll(found);
      } else if (spec.startsWith("/")) {
        List<String> withPrefix = prefix(spec);
        if (withPrefix.contains(spec)) {
          groups.add(spec);
        } else if (!withPrefix.isEmpty()) {
          groups.addAll(withPrefix);
          notes.add(spec + " is not a log group; following the " + withPrefix.size() + " groups that start with it");
        } else {
          groups.add(spec);
          missing.add(spec);
          notes.add("log group " + spec + " does not exist (yet); waiting for it");
        }
      } else {
        FunctionLogGroup f = functionLogGroup(spec);
        groups.add(f.logGroup());
        if (f.note() != null) {
          notes.add(f.note());
        }
      }
    }
    return new Resolution(new ArrayList<>(groups), notes, missing);
  }

  /** The log group of function {@code nameOrArn}; never fails for the Lambda call, falls back with a note. */
  public FunctionLogGroup functionLogGroup(String nameOrArn) {
    String name = functionName(nameOrArn);
    String fallback = LAMBDA_PREFIX + name;
    if (lambda == null) {
      return new FunctionLogGroup(name, fallback, false, null);
    }
    try {
      GetFunctionConfigurationResponse r = lambda.getFunctionConfiguration(b -> b.functionName(nameOrArn));
      if (r.loggingConfig() != null && r.loggingConfig().logGroup() != null
          && !r.loggingConfig().logGroup().isBlank()) {
        String group = r.loggingConfig().logGroup();
        return new FunctionLogGroup(name, group, !group.equals(fallback), null);
      }
      return new FunctionLogGroup(name, fallback, false, null);
    } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException notFound) {
      return new FunctionLogGroup(name, fallback, false,
          "no Lambda function " + name + " in this account and region; using " + fallback);
    } catch (SdkException e) {
      AwsErrors.UserError u = AwsErrors.describe(e, "lambda:GetFunctionConfiguration", null, List.of());
      String why = u.kind() == AwsErrors.Kind.ACCESS_DENIED
          ? "lambda:GetFunctionConfiguration is not allowed"
          : u.message();
      return new FunctionLogGroup(name, fallback, false,
          "cannot read the configuration of " + name + " (" + why + "); assuming its log group is " + fallback);
    }
  }

  /** Existing groups whose names resemble {@code name}, for "no such log group" errors (at most 10). */
  public List<String> similar(String name) throws InterruptedException {
    String last = name.substring(name.lastIndexOf('/') + 1);
    String core = last.length() > 3 ? last.substring(0, Math.max(3, last.length() * 2 / 3)) : last;
    List<String> candidates = new ArrayList<>();
    String lastLower = last.toLowerCase(Locale.ROOT);
    int threshold = Math.max(2, last.length() / 4);
    for (String g : describe(null, core.isEmpty() ? null : core)) {
      String gl = g.substring(g.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
      if (!g.equals(name) && (gl.contains(lastLower) || lastLower.contains(gl) || EditDistance.between(gl, lastLower) <= threshold)) {
        candidates.add(g);
      }
    }
    candidates.sort(Comparator.comparingInt((String g) -> EditDistance.between(g, name)).thenComparing(g -> g));
    return candidates.subList(0, Math.min(10, candidates.size()));
  }

  /** Every {@code /aws/lambda/} group with its newest event time, newest first (for {@code taillight functions}). */
  public List<LambdaLogGroup> lambdaLogGroups() throws InterruptedException {
    List<LambdaLogGroup> out = new ArrayList<>();
    for (LogGroup g : describeGroups(LAMBDA_PREFIX, null)) {
      limiter.acquire();
      long last = -1;
      List<LogStream> streams = logs.describeLogStreams(b -> b.logGroupName(g.logGroupName())
          .orderBy(OrderBy.LAST_EVENT_TIME).descending(true).limit(1)).logStreams();
      if (!streams.isEmpty()) {
        LogStream s = streams.get(0);
        last = s.lastEventTimestamp() != null ? s.lastEventTimestamp()
            : s.lastIngestionTime() != null ? s.lastIngestionTime() : -1;
      }
      out.add(new LambdaLogGroup(g.logGroupName().substring(LAMBDA_PREFIX.length()), g.logGroupName(), last,
          g.storedBytes() == null ? 0 : g.storedBytes()));
    }
    out.sort(Comparator.comparingLong(LambdaLogGroup::lastEventTime).reversed()
        .thenComparing(LambdaLogGroup::logGroup));
    return out;
  }

  // ---- helpers ----

  static String functionName(String nameOrArn) {
    if (nameOrArn.startsWith("arn:")) {
      String[] parts = nameOrArn.split(":");
      // arn:aws:lambda:region:account:function:name[:qualifier]
      if (parts.length >= 7 && parts[5].equals("function")) {
        return parts[6];
      }
    }
    return nameOrArn;
  }

  private List<String> prefix(String prefix) throws InterruptedException {
    return describe(prefix, null);
  }

  private List<String> glob(String spec) throws InterruptedException {
    String full = spec.startsWith("/") || spec.startsWith("*") ? spec : LAMBDA_PREFIX + spec;
    int star = full.indexOf('*');
    String literalPrefix = full.substring(0, star);
    if (star == full.length() - 1 && !literalPrefix.isEmpty()) {
      return describe(literalPrefix, null);
    }
    Pattern re = Pattern.compile(globToRegex(full), Pattern.CASE_INSENSITIVE);
    List<String> candidates = !literalPrefix.isEmpty() ? describe(literalPrefix, null)
        : describe(null, longestLiteral(full));
    List<String> out = new ArrayList<>();
    for (String g : candidates) {
      if (re.matcher(g).matches()) {
        out.add(g);
      }
    }
    return out;
  }

  private List<String> describe(String prefix, String pattern) throws InterruptedException {
    List<String> names = new ArrayList<>();
    for (LogGroup g : describeGroups(prefix, pattern)) {
      names.add(g.logGroupName());
    }
    return names;
  }

  private List<LogGroup> describeGroups(String prefix, String pattern) throws InterruptedException {
    List<LogGroup> out = new ArrayList<>();
    String token = null;
    do {
      limiter.acquire();
      DescribeLogGroupsRequest.Builder b = DescribeLogGroupsRequest.builder().nextToken(token);
      if (prefix != null && !prefix.isEmpty()) {
        b.logGroupNamePrefix(prefix);
      } else if (pattern != null && !pattern.isEmpty()) {
        b.logGroupNamePattern(pattern);
      }
      DescribeLogGroupsResponse r = logs.describeLogGroups(b.build());
      out.addAll(r.logGroups());
      token = r.nextToken();
    } while (token != null && !token.isEmpty());
    return out;
  }

  private static String longestLiteral(String glob) {
    String best = "";
    for (String part : glob.split("\\*")) {
      String p = part.substring(part.lastIndexOf('/') + 1);
      if (p.length() > best.length()) {
        best = p;
      }
    }
    return best.replaceAll("[^A-Za-z0-9_.#/-]", "");
  }

  private static String globToRegex(String glob) {
    List<String> quoted = new ArrayList<>();
    for (String part : glob.split("\\*", -1)) {
      quoted.add(Pattern.quote(part));
    }
    return String.join(".*", quoted);
  }
}
