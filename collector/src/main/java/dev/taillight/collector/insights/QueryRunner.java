package dev.taillight.collector.insights;

import static java.util.Objects.requireNonNull;

import dev.taillight.collector.cloudwatch.AwsErrors;
import dev.taillight.collector.cloudwatch.Backoff;
import dev.taillight.collector.cloudwatch.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LimitExceededException;
import software.amazon.awssdk.services.cloudwatchlogs.model.MalformedQueryException;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryStatistics;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryStatus;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;

/**
 * Runs Logs Insights queries with the AWS SDK: StartQuery, then GetQueryResults every poll interval until the
 * query is Complete, reporting each answer's statistics to a progress listener.
 *
 * <p>Quotas: a LimitExceededException from StartQuery (the account runs its maximum of concurrent queries) and
 * throttling of any call are retried with exponential back-off; when the retries run out the query fails with
 * {@link InsightsException.Kind#TOO_MANY_QUERIES} (or the SDK's throttling exception). MalformedQueryException
 * becomes {@link InsightsException.Kind#MALFORMED_QUERY}; ResourceNotFoundException is narrowed to the groups
 * that do not exist ({@link InsightsException.Kind#MISSING_LOG_GROUPS}). Other AWS errors propagate as SDK
 * exceptions ({@code AwsErrors} explains them).
 *
 * <p>Threading: {@link #run} blocks the calling thread; {@link #cancel} may be called from any other thread (a
 * shutdown hook on Ctrl-C): it stops the running query with StopQuery, so it is not billed further, and makes
 * {@code run} fail with {@link InsightsException.Kind#CANCELLED}. An interrupted {@code run} stops its query too.
 */
public final class QueryRunner {
  private static final DateTimeFormatter INSIGHTS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private final CloudWatchLogsClient client;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration pollInterval;
  private final Backoff backoff;
  private final int maxRetries;
  private volatile String running;
  private volatile boolean cancelled;

  private QueryRunner(Builder b) {
    this.client = b.client;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.pollInterval = b.pollInterval;
    this.backoff = b.backoff;
    this.maxRetries = b.maxRetries;
  }

  /** A runner on {@code client} (not closed by the runner) with default settings. */
  public static QueryRunner create(CloudWatchLogsClient client) {
    return builder(client).build();
  }

  public static Builder builder(CloudWatchLogsClient client) {
    return new Builder(client);
  }

  /**
   * Runs {@code query} to completion.
   *
   * @param progress called after every GetQueryResults answer, on the calling thread
   * @throws InsightsException when the query cannot give results (see the class comment)
   * @throws InterruptedException when the thread is interrupted (the query is stopped first)
   */
  public QueryResult run(InsightsQuery query, Consumer<QueryProgress> progress) throws InterruptedException {
    requireNonNull(query, "query");
    requireNonNull(progress, "progress");
    checkCancelled();
    long began = clock.millis();
    String id = start(query);
    running = id;
    try {
      if (cancelled) {
        stop(id);
        checkCancelled();
      }
      int throttles = 0;
      while (true) {
        GetQueryResultsResponse r;
        try {
          r = client.getQueryResults(b -> b.queryId(id));
          throttles = 0;
        } catch (SdkException e) {
          if (!AwsErrors.isThrottling(e) || ++throttles > maxRetries) {
            throw e;
          }
          sleeper.sleep(backoff.delay(throttles));
          continue;
        }
        QueryProgress p = progress(id, r, clock.millis() - began);
        progress.accept(p);
        QueryStatus s = r.status();
        if (s == QueryStatus.COMPLETE) {
          return result(query, r, p);
        }
        if (s == QueryStatus.CANCELLED) {
          throw new InsightsException(InsightsException.Kind.CANCELLED, "the Logs Insights query " + id
              + " was cancelled", "run the search again", List.of(), null);
        }
        if (s == QueryStatus.TIMEOUT) {
          throw new InsightsException(InsightsException.Kind.QUERY_TIMED_OUT, "the Logs Insights query ran into its "
              + "time limit after scanning " + p.bytesScanned() + " bytes",
              "query a shorter period (--since/--until) or fewer functions", List.of(), null);
        }
        if (s == QueryStatus.FAILED || s == QueryStatus.UNKNOWN || s == QueryStatus.UNKNOWN_TO_SDK_VERSION) {
          throw new InsightsException(InsightsException.Kind.QUERY_FAILED, "the Logs Insights query " + id
              + " ended with status " + r.statusAsString(), "run the search again; if it keeps failing, query a "
              + "shorter period", List.of(), null);
        }
        checkCancelled();
        try {
          sleeper.sleep(pollInterval);
        } catch (InterruptedException e) {
          stop(id);
          throw e;
        }
        checkCancelled();
      }
    } finally {
      running = null;
    }
  }

  /**
   * Stops the running query (StopQuery; AWS errors are ignored: the query may have just ended) and makes every
   * later {@link #run} fail with {@link InsightsException.Kind#CANCELLED}. Idempotent; any thread.
   */
  public void cancel() {
    cancelled = true;
    String id = running;
    if (id != null) {
      stop(id);
    }
  }

  /** Whether {@link #cancel} was called. */
  public boolean cancelled() {
    return cancelled;
  }

  private void checkCancelled() {
    if (cancelled) {
      throw new InsightsException(InsightsException.Kind.CANCELLED, "the Logs Insights query was stopped", null,
          List.of(), null);
    }
  }

  private void stop(String id) {
    try {
      client.stopQuery(b -> b.queryId(id));
    } catch (SdkException e) {
      // already finished, or the network is gone: nothing more to do
    }
  }

  private String start(InsightsQuery q) throws InterruptedException {
    int attempt = 0;
    while (true) {
      try {
        return client.startQuery(b -> b.logGroupNames(q.logGroups()).startTime(q.startSeconds())
            .endTime(q.endSeconds()).queryString(q.queryString())).queryId();
      } catch (MalformedQueryException e) {
        String where = e.queryCompileError() != null && e.queryCompileError().location() != null
            ? " at " + e.queryCompileError().location().startCharOffset() : "";
        String what = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
            ? e.awsErrorDetails().errorMessage() : e.getMessage();
        throw new InsightsException(InsightsException.Kind.MALFORMED_QUERY,
            "CloudWatch Logs Insights rejected the query" + where + ": " + what,
            "see the query with --show-query; a search TEXT with unusual characters may need fewer of them",
            List.of(), e);
      } catch (LimitExceededException e) {
        if (++attempt > maxRetries) {
          throw new InsightsException(InsightsException.Kind.TOO_MANY_QUERIES,
              "too many CloudWatch Logs Insights queries are running in this account and region", "wait for "
                  + "running queries to finish (aws logs describe-queries --status Running lists them) and search "
                  + "again; the concurrent-query quota is per account and region", List.of(), e);
        }
        sleeper.sleep(backoff.delay(attempt));
      } catch (ResourceNotFoundException e) {
        List<String> missing = missing(q.logGroups());
        throw new InsightsException(InsightsException.Kind.MISSING_LOG_GROUPS,
            missing.isEmpty() ? "a log group of the query does not exist" : "log group" + (missing.size() == 1
                ? " " : "s ") + String.join(", ", missing) + (missing.size() == 1 ? " does" : " do") + " not exist",
            "check the function names and the region (taillight functions lists the log groups)", missing, e);
      } catch (SdkException e) {
        if (!AwsErrors.isThrottling(e) || ++attempt > maxRetries) {
          throw e;
        }
        sleeper.sleep(backoff.delay(attempt));
      }
    }
  }

  /** The groups of {@code groups} that DescribeLogGroups does not know. */
  private List<String> missing(List<String> groups) {
    List<String> out = new ArrayList<>();
    for (String g : groups) {
      try {
        boolean exists = client.describeLogGroups(b -> b.logGroupNamePrefix(g)).logGroups().stream()
            .anyMatch(lg -> g.equals(lg.logGroupName()));
        if (!exists) {
          out.add(g);
        }
      } catch (SdkException e) {
        return out; // cannot tell: report what we know
      }
    }
    return out;
  }

  private static QueryProgress progress(String id, GetQueryResultsResponse r, long elapsed) {
    QueryStatistics s = r.statistics();
    return new QueryProgress(id, r.statusAsString(), s == null ? 0 : whole(s.recordsMatched()),
        s == null ? 0 : whole(s.recordsScanned()), s == null ? 0 : whole(s.bytesScanned()), elapsed);
  }

  private static long whole(Double d) {
    return d == null ? 0 : Math.round(d);
  }

  private static QueryResult result(InsightsQuery q, GetQueryResultsResponse r, QueryProgress p) {
    List<MatchedLine> lines = new ArrayList<>();
    int unreadable = 0;
    for (List<ResultField> row : r.results()) {
      MatchedLine m = line(row);
      if (m == null) {
        unreadable++;
      } else {
        lines.add(m);
      }
    }
    return new QueryResult(q, lines, p, unreadable);
  }

  /** One result row, or null when it lacks what is needed to find its invocation. Never throws. */
  static MatchedLine line(List<ResultField> row) {
    String ts = null;
    String group = null;
    String stream = null;
    String requestId = null;
    String message = null;
    String ptr = null;
    for (ResultField f : row) {
      if (f.field() == null) {
        continue;
      }
      switch (f.field()) {
        case "@timestamp" -> ts = f.value();
        case "@log" -> group = f.value();
        case "@logStream" -> stream = f.value();
        case "@requestId" -> requestId = f.value();
        case "@message" -> message = f.value();
        case "@ptr" -> ptr = f.value();
        default -> { }
      }
    }
    Long time = timestamp(ts);
    if (time == null || group == null || group.isBlank() || stream == null || stream.isBlank()) {
      return null;
    }
    return new MatchedLine(logGroupName(group), stream, time, requestId == null || requestId.isBlank() ? null
        : requestId, message == null ? "" : message, ptr);
  }

  /** {@code @log} is {@code account-id:log-group-name}; the name alone. */
  static String logGroupName(String log) {
    int colon = log.indexOf(':');
    if (colon > 0 && log.substring(0, colon).chars().allMatch(Character::isDigit)) {
      return log.substring(colon + 1);
    }
    return log;
  }

  /** {@code @timestamp} as Logs Insights gives it ({@code 2026-11-28 10:00:00.123}, UTC) or epoch ms; or null. */
  static Long timestamp(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    String t = s.strip();
    if (t.chars().allMatch(Character::isDigit)) {
      try {
        return Long.parseLong(t);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    try {
      return LocalDateTime.parse(t, INSIGHTS_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(t).toEpochMilli();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  /** Configures a {@link QueryRunner}. */
  public static final class Builder {
    private final CloudWatchLogsClient client;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private Duration pollInterval = Duration.ofSeconds(1);
    private Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private int maxRetries = 8;

    private Builder(CloudWatchLogsClient client) {
      this.client = requireNonNull(client, "client");
    }

    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** How the runner waits between polls and retries (tests pass one that does not sleep). */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Time between GetQueryResults calls (default 1 s). */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = requireNonNull(pollInterval, "pollInterval");
      return this;
    }

    /** Back-off after LimitExceededException and throttling (default 1 s doubling up to 30 s). */
    public Builder backoff(Backoff backoff) {
      this.backoff = requireNonNull(backoff, "backoff");
      return this;
    }

    /** Retries of one call before giving up (default 8). */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries must be >= 0: " + maxRetries);
      }
      this.maxRetries = maxRetries;
      return this;
    }

    public QueryRunner build() {
      return new QueryRunner(this);
    }
  }
}
