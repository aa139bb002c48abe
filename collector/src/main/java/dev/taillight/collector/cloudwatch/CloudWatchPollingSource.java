package dev.taillight.collector.cloudwatch;

import static java.util.Objects.requireNonNull;

import dev.taillight.collector.LogSink;
import dev.taillight.collector.LogSource;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.SourceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Follows many CloudWatch log groups at once by polling FilterLogEvents on each whole group (Lambda starts new
 * log streams all the time, so streams are never listed), delivering each event exactly once.
 *
 * <h2>How it avoids losing or repeating events</h2>
 *
 * <pre>
 * CloudWatch stores an event some seconds after its timestamp, and not in timestamp order: an event with
 * timestamp 10:00:01 can become visible after one with 10:00:05 was already read. Polling "from the last
 * timestamp + 1 ms" therefore loses the late one; polling "from the last timestamp" alone repeats the events of
 * that millisecond and still loses late events with older timestamps.
 *
 * Each group is read in passes. A pass is one FilterLogEvents query (startTime = S, the filter pattern, endTime
 * = --until if given) followed page by page through nextToken until no token is left; pages may be empty while
 * a token remains, and they are followed too. For pass k:
 *
 *     S(1) = since
 *     S(k) = max(since, min(newest, began(k-1) - lookback))
 *
 * where newest is the largest timestamp delivered so far and began(k-1) is our clock when the previous pass
 * sent its first request. Every pass re-reads at least the look-back window before the previous pass began, so
 * an event whose ingestion lags its timestamp by less than the look-back is seen by the first pass that starts
 * after it became visible: that pass's S is at most began(k-1) - lookback, which is before the event's
 * timestamp. A quiet group re-reads from its newest event (not newest + 1), so an event in that same
 * millisecond that arrives later is still found.
 *
 * Re-reading means seeing events twice, so each group keeps the ids of delivered events (CloudWatch's eventId
 * is unique within a group) and drops an event whose id it has delivered. S never decreases, so an id whose
 * timestamp is before the next S can never come back: after every pass those ids are forgotten. Memory is
 * bounded by the events in the window, not by how long the tail runs. Only a very long pass (a back-fill of
 * more than 200,000 events) forgets ids during the pass: those older than min(newest, began, oldest event of
 * the current page) - lookback, relying on pages advancing in time.
 *
 * A retried request (throttling, 5xx, network error) repeats the same page with the same token; the ids make
 * that harmless. An expired or rejected nextToken restarts the pass from its S. A group that does not exist yet
 * (ResourceNotFoundException) is asked for again every groupWaitInterval and reported as "waiting for group";
 * once it exists it is read from since.
 * </pre>
 *
 * <p>All groups share one {@link RequestRateLimiter} (default 4 requests/s, below the account's FilterLogEvents
 * quota). Groups are served round-robin one page at a time, the one due soonest first, so a back-fill of one
 * group does not stall the others. Throttling backs off exponentially and slows the whole limiter; other errors
 * back off per group. Throttling is counted for the whole source (the quota is the account's): each
 * throttle in a row doubles the pause until a request succeeds. The source never stops by itself unless {@link Builder#until} is set: then each group
 * finishes after a complete pass that began after {@code until}, and {@link #isFinished} turns true when all
 * have.
 *
 * <p>Threading: {@link #start} starts one thread that makes every request and calls the sink; {@link #status}
 * may be called from any thread. {@link #close} interrupts and joins that thread.
 */
public final class CloudWatchPollingSource implements LogSource {
  /** Above this many remembered ids a pass in progress forgets ids far behind its current page. */
  static final int MAX_IDS_DURING_PASS = 200_000;

  private final CloudWatchLogsClient client;
  private final AutoCloseable ownedClient;
  private final List<GroupState> groups = new ArrayList<>();
  private final Clock clock;
  private final Sleeper sleeper;
  private final RequestRateLimiter limiter;
  private final long pollIntervalMillis;
  private final long lookbackMillis;
  private final long groupWaitMillis;
  private final Backoff backoff;
  private final long sinceMillis;
  private final Long untilMillis;
  private final String filterPattern;
  private final Integer pageSize;

  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong completedPasses = new AtomicLong();
  private volatile String message;
  private int consecutiveThrottles;
  private volatile boolean finished;
  private volatile boolean closed;
  private Thread worker;

  private CloudWatchPollingSource(Builder b) {
    this.client = b.client;
    this.ownedClient = b.ownedClient;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.limiter = b.limiter != null ? b.limiter : RequestRateLimiter.create(b.maxRequestsPerSecond, b.clock, b.sleeper);
    this.pollIntervalMillis = b.pollInterval.toMillis();
    this.lookbackMillis = b.lookback.toMillis();
    this.groupWaitMillis = b.groupWaitInterval.toMillis();
    this.backoff = b.backoff;
    this.sinceMillis = b.since != null ? b.since.toEpochMilli() : clock.millis() - lookbackMillis;
    this.untilMillis = b.until == null ? null : b.until.toEpochMilli();
    this.filterPattern = b.filterPattern;
    this.pageSize = b.pageSize;
    for (String g : b.logGroups) {
      groups.add(new GroupState(g, clock));
    }
  }

  /** A builder polling through {@code client} (not closed by the source). */
  public static Builder builder(CloudWatchLogsClient client) {
    return new Builder(requireNonNull(client, "client"), null);
  }

  /** A builder polling through a client made by {@code clients} (closed with the source). */
  public static Builder builder(CloudWatchClients clients) {
    CloudWatchLogsClient c = requireNonNull(clients, "clients").logs();
    return new Builder(c, c);
  }

  @Override
  public synchronized void start(LogSink sink) {
    requireNonNull(sink, "sink");
    if (worker != null) {
      throw new IllegalStateException("already started");
    }
    worker = new Thread(() -> {
      try {
        while (!closed && step(sink)) {
          // one request per step
        }
      } catch (InterruptedException e) {
        // closing
      }
    }, "taillight-poll");
    worker.setDaemon(true);
    worker.start();
  }

  /**
   * Makes the next request (waiting until the next group is due and the limiter allows it) and delivers what it
   * returns. Returns false once every group is finished (only with {@code until}) or the source is closed.
   * Package-private: tests drive the source step by step on a fake clock.
   */
  boolean step(LogSink sink) throws InterruptedException {
    GroupState g = null;
    for (GroupState candidate : groups) {
      if (!candidate.finished && (g == null || candidate.nextDue < g.nextDue)) {
        g = candidate;
      }
    }
    if (g == null) {
      finished = true;
      return false;
    }
    long wait = g.nextDue - clock.millis();
    if (wait > 0) {
      sleeper.sleep(Duration.ofMillis(wait));
    }
    if (closed) {
      return false;
    }
    limiter.acquire();
    if (closed) {
      return false;
    }
    poll(g, sink);
    return true;
  }

  private void poll(GroupState g, LogSink sink) {
    long now = clock.millis();
    if (g.pass == null) {
      g.pass = new Pass(startFor(g), now);
    }
    Pass pass = g.pass;
    FilterLogEventsRequest.Builder rb = FilterLogEventsRequest.builder()
        .logGroupName(g.name)
        .startTime(pass.start);
    if (untilMillis != null) {
      rb.endTime(untilMillis);
    }
    if (filterPattern != null) {
      rb.filterPattern(filterPattern);
    }
    if (pageSize != null) {
      rb.limit(pageSize);
    }
    if (pass.token != null) {
      rb.nextToken(pass.token);
    }
    g.requests.record();
    FilterLogEventsResponse r;
    try {
      r = client.filterLogEvents(rb.build());
    } catch (ResourceNotFoundException e) {
      g.pass = null;
      g.waiting = true;
      g.state = "waiting for group";
      g.nextDue = now + groupWaitMillis;
      message = "log group " + g.name + " does not exist (yet); waiting for it";
      return;
    } catch (SdkException e) {
      failed(g, pass, e, now);
      return;
    } catch (RuntimeException unexpected) {
      // e.g. the SDK failing inside its own timeout handling when close() interrupts a call: never end the tail
      if (closed) {
        return;
      }
      failed(g, pass, software.amazon.awssdk.core.exception.SdkClientException.create(
          "unexpected failure in the AWS client: " + unexpected, unexpected), now);
      return;
    }
    g.failures = 0;
    consecutiveThrottles = 0;
    if (g.waiting) {
      g.waiting = false;
      message = "log group " + g.name + " appeared";
    }
    long pageMin = Long.MAX_VALUE;
    for (FilteredLogEvent e : r.events()) {
      deliver(g, e, sink);
      if (e.timestamp() != null) {
        pageMin = Math.min(pageMin, e.timestamp());
      }
    }
    String token = r.nextToken();
    if (token != null && !token.isEmpty() && !token.equals(pass.token)) {
      pass.token = token;
      g.nextDue = now; // more pages: due again at once, other groups may go first
      g.state = "catching up";
      if (g.dedup.size() > MAX_IDS_DURING_PASS && pageMin != Long.MAX_VALUE) {
        // a long back-fill: pages advance in time, so ids well behind this page cannot come back in this pass
        g.dedup.forgetBefore(Math.min(Math.min(g.newest, pass.began), pageMin) - lookbackMillis);
      }
      return;
    }
    // pass complete
    completedPasses.incrementAndGet();
    g.prevPassBegan = pass.began;
    g.pass = null;
    g.dedup.forgetBefore(startFor(g));
    g.nextDue = pass.began + pollIntervalMillis;
    if (untilMillis != null && pass.began >= untilMillis) {
      g.finished = true;
      g.state = "done";
    } else {
      g.state = "following";
    }
  }

  private void deliver(GroupState g, FilteredLogEvent e, LogSink sink) {
    long ts = e.timestamp() == null ? 0 : e.timestamp();
    String stream = e.logStreamName() == null ? "" : e.logStreamName();
    String msg = e.message() == null ? "" : e.message();
    String id = e.eventId() != null ? e.eventId() : RawEvent.syntheticId(g.name, stream, ts, msg);
    if (!g.dedup.firstTime(id, ts)) {
      duplicates.incrementAndGet();
      return;
    }
    if (ts > g.newest) {
      g.newest = ts;
    }
    delivered.incrementAndGet();
    try {
      sink.accept(new RawEvent(g.name, stream, ts, e.ingestionTime() == null ? 0 : e.ingestionTime(), id, msg));
    } catch (RuntimeException failure) {
      message = "the sink failed on an event of " + g.name + ": " + failure;
    }
  }

  private void failed(GroupState g, Pass pass, SdkException e, long now) {
    AwsErrors.Kind kind = AwsErrors.kind(e);
    if (kind == AwsErrors.Kind.THROTTLED) {
      throttled.incrementAndGet();
      Duration d = backoff.delay(++consecutiveThrottles);
      limiter.penalize(d);
      g.state = "throttled";
      g.nextDue = now + d.toMillis();
      message = "throttled by CloudWatch Logs; slowing down (" + throttled.get() + " times so far)";
      return;
    }
    if (kind == AwsErrors.Kind.INVALID_REQUEST && pass.token != null
        && String.valueOf(AwsErrors.awsMessage(e)).toLowerCase().contains("token")) {
      g.pass = null; // expired or rejected nextToken: start the pass again, the ids drop what repeats
      g.nextDue = now;
      message = "nextToken of " + g.name + " was rejected (" + AwsErrors.awsMessage(e) + "); re-reading the window";
      return;
    }
    Duration d = backoff.delay(++g.failures);
    AwsErrors.UserError u = AwsErrors.describe(e, "logs:FilterLogEvents", g.name, List.of());
    g.state = "retrying: " + u.message();
    g.nextDue = now + d.toMillis();
    message = g.name + ": " + u.oneLine() + " (retrying in " + d.toMillis() + " ms)";
  }

  private long startFor(GroupState g) {
    if (g.prevPassBegan == Long.MIN_VALUE) {
      return sinceMillis;
    }
    long bound = g.prevPassBegan - lookbackMillis;
    if (g.newest != Long.MIN_VALUE) {
      bound = Math.min(bound, g.newest);
    }
    return Math.max(sinceMillis, bound);
  }

  /** Passes completed over all groups (each re-read the window once). */
  long completedPasses() {
    return completedPasses.get();
  }

  /** Ids currently remembered for de-duplication in {@code logGroup} (for tests of the memory bound). */
  int rememberedIds(String logGroup) {
    return groups.stream().filter(g -> g.name.equals(logGroup)).mapToInt(g -> g.dedup.size()).sum();
  }

  @Override
  public boolean isFinished() {
    return finished;
  }

  @Override
  public SourceStatus status() {
    long now = clock.millis();
    List<SourceStatus.GroupStatus> list = new ArrayList<>(groups.size());
    for (GroupState g : groups) {
      long newest = g.newest;
      list.add(new SourceStatus.GroupStatus(g.name, newest == Long.MIN_VALUE ? -1 : Math.max(0, now - newest),
          g.state, g.requests.perSecond()));
    }
    return new SourceStatus("polling", limiter.recentRate(), delivered.get(), duplicates.get(), list, message);
  }

  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = worker;
    }
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (ownedClient != null) {
      try {
        ownedClient.close();
      } catch (Exception ignored) {
        // closing
      }
    }
  }

  private static final class Pass {
    final long start;
    final long began;
    String token;

    Pass(long start, long began) {
      this.start = start;
      this.began = began;
    }
  }

  private static final class GroupState {
    final String name;
    final EventDeduplicator dedup = new EventDeduplicator();
    final RateMeter requests;
    volatile long newest = Long.MIN_VALUE;
    volatile String state = "starting";
    long prevPassBegan = Long.MIN_VALUE;
    long nextDue;
    Pass pass;
    int failures;
    boolean waiting;
    volatile boolean finished;

    GroupState(String name, Clock clock) {
      this.name = name;
      this.requests = new RateMeter(clock);
    }
  }

  /** Configures a {@link CloudWatchPollingSource}. */
  public static final class Builder {
    private final CloudWatchLogsClient client;
    private final AutoCloseable ownedClient;
    private final LinkedHashSet<String> logGroups = new LinkedHashSet<>();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private RequestRateLimiter limiter;
    private double maxRequestsPerSecond = 4;
    private Duration pollInterval = Duration.ofSeconds(1);
    private Duration lookback = Duration.ofSeconds(30);
    private Duration groupWaitInterval = Duration.ofSeconds(10);
    private Backoff backoff = Backoff.standard();
    private Instant since;
    private Instant until;
    private String filterPattern;
    private Integer pageSize;

    private Builder(CloudWatchLogsClient client, AutoCloseable ownedClient) {
      this.client = client;
      this.ownedClient = ownedClient;
    }

    /** Adds a log group to follow (by name, e.g. {@code /aws/lambda/orders}). */
    public Builder logGroup(String logGroup) {
      logGroups.add(requireNonNull(logGroup, "logGroup"));
      return this;
    }

    /** Adds log groups to follow. */
    public Builder logGroups(Collection<String> names) {
      names.forEach(this::logGroup);
      return this;
    }

    /** Events from this time on ({@code --since}); default: the look-back window before the source was built. */
    public Builder since(Instant since) {
      this.since = requireNonNull(since, "since");
      return this;
    }

    /** Events up to this time ({@code --until}); the source then finishes instead of following. */
    public Builder until(Instant until) {
      this.until = requireNonNull(until, "until");
      return this;
    }

    /** A CloudWatch filter pattern ({@code --filter}), passed to FilterLogEvents as {@code filterPattern}. */
    public Builder filterPattern(String filterPattern) {
      this.filterPattern = filterPattern == null || filterPattern.isEmpty() ? null : filterPattern;
      return this;
    }

    /** Requests per second for all groups together (default 4; the account quota is 5). */
    public Builder maxRequestsPerSecond(double maxRequestsPerSecond) {
      if (!(maxRequestsPerSecond > 0)) {
        throw new IllegalArgumentException("maxRequestsPerSecond must be > 0");
      }
      this.maxRequestsPerSecond = maxRequestsPerSecond;
      return this;
    }

    /** Shares a limiter with other sources using the same account (overrides {@link #maxRequestsPerSecond}). */
    public Builder rateLimiter(RequestRateLimiter limiter) {
      this.limiter = requireNonNull(limiter, "limiter");
      return this;
    }

    /** How often each group is asked for new events (default 1 s; the rate limit may stretch it). */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = positive(pollInterval, "pollInterval");
      return this;
    }

    /** How far back every pass re-reads to catch late events (default 30 s). */
    public Builder lookback(Duration lookback) {
      requireNonNull(lookback, "lookback");
      if (lookback.isNegative()) {
        throw new IllegalArgumentException("lookback must not be negative");
      }
      this.lookback = lookback;
      return this;
    }

    /** How often a group that does not exist yet is asked for again (default 10 s). */
    public Builder groupWaitInterval(Duration groupWaitInterval) {
      this.groupWaitInterval = positive(groupWaitInterval, "groupWaitInterval");
      return this;
    }

    /** Back-off after failures (default 200 ms doubling to 20 s). */
    public Builder backoff(Backoff backoff) {
      this.backoff = requireNonNull(backoff, "backoff");
      return this;
    }

    /** FilterLogEvents {@code limit} per page (default: the service's, 10,000). */
    public Builder pageSize(int pageSize) {
      if (pageSize < 1 || pageSize > 10_000) {
        throw new IllegalArgumentException("pageSize must be 1..10000, was " + pageSize);
      }
      this.pageSize = pageSize;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = requireNonNull(sleeper, "sleeper");
      return this;
    }

    public CloudWatchPollingSource build() {
      if (logGroups.isEmpty()) {
        throw new IllegalArgumentException("no log groups to follow");
      }
      if (since != null && until != null && until.isBefore(since)) {
        throw new IllegalArgumentException("until (" + until + ") is before since (" + since + ")");
      }
      return new CloudWatchPollingSource(this);
    }

    private static Duration positive(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }
}
