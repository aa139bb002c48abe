package dev.taillight.collector.cloudwatch;

import static java.util.Objects.requireNonNull;

import dev.taillight.collector.LogSink;
import dev.taillight.collector.LogSource;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.SourceStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionUpdate;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartLiveTailRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartLiveTailResponseHandler;

/**
 * Follows log groups through CloudWatch Logs Live Tail (StartLiveTail): events arrive within about a second,
 * pushed over one event stream per session instead of polled.
 *
 * <h2>Sessions, reconnects and gaps</h2>
 *
 * <pre>
 * A session covers at most 10 log groups, so the groups are split into sessions of 10, each run by its own
 * thread. StartLiveTail wants log group ARNs: they come from DescribeLogGroups (logGroupArn, without the
 * ":*" suffix); a group that does not exist yet is looked up again every groupWaitInterval and reported as
 * "waiting for group".
 *
 * A session ends after 3 hours (SessionTimeoutException) or on any error or dropped connection. The thread
 * then opens a new session (after a back-off when it failed) and, once the new session has started, fills the
 * gap with FilterLogEvents from the time the old session ended (for the first session: the time the source
 * started) minus the gap look-back, up to now: events written while no session was open, and events written
 * just before that whose ingestion was late, are read. Live events of the new session and the gap events overlap on
 * purpose; both are de-duplicated by content (Live Tail events carry no event id, so the key is the
 * synthetic id of group, stream, timestamp and message, see RawEvent#syntheticId). Keys are kept for
 * twice the gap look-back, then forgotten. Two identical messages in the same stream and millisecond are
 * therefore delivered once.
 *
 * When a group logs more than Live Tail streams (about 500 events/s), CloudWatch sends a sample and marks
 * the update "sampled". The source never hides that: the groups of that session show the state "sampled"
 * and the status message says events are missing (polling reads everything).
 * </pre>
 *
 * <p>Threading: one thread per session; the SDK's event-stream threads deliver to the sink under one lock, so
 * the sink sees one event at a time. {@link #close} cancels the sessions and joins the threads.
 */
public final class LiveTailSource implements LogSource {
  /** StartLiveTail accepts at most this many log groups. */
  public static final int MAX_GROUPS_PER_SESSION = 10;

  private final CloudWatchLogsAsyncClient async;
  private final CloudWatchLogsClient sync;
  private final List<String> groups;
  private final String filterPattern;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Backoff backoff;
  private final long gapLookbackMillis;
  private final long groupWaitMillis;
  private final int groupsPerSession;
  private final RequestRateLimiter limiter;

  private final Object deliverLock = new Object();
  private final EventDeduplicator seen = new EventDeduplicator();
  private final Map<String, GroupState> state = new LinkedHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private final List<CompletableFuture<Void>> running = new CopyOnWriteArrayList<>();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong sessions = new AtomicLong();
  private final long startedAt;
  private volatile String message;
  private volatile boolean closed;
  private LogSink sink;

  private LiveTailSource(Builder b) {
    this.async = b.async;
    this.sync = b.sync;
    this.groups = List.copyOf(b.groups);
    this.filterPattern = b.filterPattern;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.backoff = b.backoff;
    this.gapLookbackMillis = b.gapLookback.toMillis();
    this.groupWaitMillis = b.groupWaitInterval.toMillis();
    this.groupsPerSession = b.groupsPerSession;
    this.limiter = b.limiter != null ? b.limiter : RequestRateLimiter.create(4, b.clock, b.sleeper);
    this.startedAt = clock.millis();
    for (String g : groups) {
      state.put(g, new GroupState());
    }
  }

  /**
   * A builder: {@code async} runs the Live Tail sessions; {@code sync} looks up group ARNs and fills gaps. Neither
   * client is closed by the source.
   */
  public static Builder builder(CloudWatchLogsAsyncClient async, CloudWatchLogsClient sync) {
    return new Builder(requireNonNull(async, "async"), requireNonNull(sync, "sync"));
  }

  @Override
  public synchronized void start(LogSink sink) {
    requireNonNull(sink, "sink");
    if (this.sink != null) {
      throw new IllegalStateException("already started");
    }
    this.sink = sink;
    for (int i = 0; i < groups.size(); i += groupsPerSession) {
      List<String> chunk = groups.subList(i, Math.min(groups.size(), i + groupsPerSession));
      Thread t = new Thread(() -> runSessions(chunk), "taillight-live-tail-" + (i / groupsPerSession));
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void runSessions(List<String> chunk) {
    int failures = 0;
    long disconnectedAt = -1;
    try {
      while (!closed) {
        Map<String, String> arns = lookUpArns(chunk);
        if (arns.isEmpty()) {
          sleeper.sleep(Duration.ofMillis(groupWaitMillis));
          continue;
        }
        CompletableFuture<Void> sessionStarted = new CompletableFuture<>();
        Map<String, String> nameByArn = new LinkedHashMap<>();
        arns.forEach((name, arn) -> nameByArn.put(arn, name));
        StartLiveTailRequest.Builder req = StartLiveTailRequest.builder()
            .logGroupIdentifiers(new ArrayList<>(arns.values()));
        if (filterPattern != null) {
          req.logEventFilterPattern(filterPattern);
        }
        StartLiveTailResponseHandler handler = StartLiveTailResponseHandler.builder()
            .onError(e -> sessionStarted.completeExceptionally(e))
            .subscriber(StartLiveTailResponseHandler.Visitor.builder()
                .onSessionStart(s -> {
                  sessions.incrementAndGet(); // counted before any update of the session is delivered
                  sessionStarted.complete(null);
                })
                .onSessionUpdate(u -> update(u, nameByArn))
                .build())
            .build();
        for (String g : arns.keySet()) {
          state.get(g).state = "connecting";
        }
        CompletableFuture<Void> session = async.startLiveTail(req.build(), handler);
        running.add(session);
        boolean ok = false;
        try {
          waitFor(sessionStarted, session);
          failures = 0;
          for (String g : arns.keySet()) {
            GroupState gs = state.get(g);
            if (!gs.sampled) {
              gs.state = "live";
            }
          }
          long since = disconnectedAt >= 0 ? disconnectedAt : startedAt;
          fillGap(arns.keySet(), since);
          session.get();
          ok = true;
          message = "a Live Tail session ended; reconnecting";
        } catch (java.util.concurrent.CancellationException cancelled) {
          if (closed) {
            return;
          }
          message = "a Live Tail session was cancelled; reconnecting";
        } catch (ExecutionException e) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          if (closed) {
            return;
          }
          String code = AwsErrors.code(cause);
          if (code.equals("SessionTimeoutException")) {
            ok = true; // the 3 hour limit: reconnect at once
            message = "Live Tail session reached its time limit; reconnected";
          } else {
            AwsErrors.UserError u = AwsErrors.describe(cause, "logs:StartLiveTail", null, List.of());
            message = "Live Tail: " + u.oneLine() + " (reconnecting)";
          }
        } finally {
          running.remove(session);
          session.cancel(true);
        }
        disconnectedAt = clock.millis();
        for (String g : arns.keySet()) {
          state.get(g).state = "reconnecting";
        }
        if (!ok) {
          sleeper.sleep(backoff.delay(++failures));
        }
      }
    } catch (InterruptedException e) {
      // closing
    }
  }

  private static void waitFor(CompletableFuture<Void> started, CompletableFuture<Void> session)
      throws ExecutionException, InterruptedException {
    while (true) {
      try {
        started.get(100, TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException notYet) {
        if (session.isDone()) {
          session.get(); // throws the failure; a normal end before start counts as one
          throw new ExecutionException("the session ended before it started", null);
        }
      }
    }
  }

  /** Group name to ARN for the groups that exist; the others are marked as waited for. */
  private Map<String, String> lookUpArns(List<String> chunk) throws InterruptedException {
    Map<String, String> arns = new LinkedHashMap<>();
    for (String g : chunk) {
      GroupState gs = state.get(g);
      if (gs.arn != null) {
        arns.put(g, gs.arn);
        continue;
      }
      try {
        limiter.acquire();
        for (LogGroup lg : sync.describeLogGroups(b -> b.logGroupNamePrefix(g)).logGroups()) {
          if (lg.logGroupName().equals(g)) {
            String arn = lg.logGroupArn() != null ? lg.logGroupArn() : stripStar(lg.arn());
            gs.arn = arn;
            arns.put(g, arn);
          }
        }
        if (gs.arn == null) {
          gs.state = "waiting for group";
          message = "log group " + g + " does not exist (yet); waiting for it";
        }
      } catch (SdkException e) {
        gs.state = "retrying: " + AwsErrors.describe(e, "logs:DescribeLogGroups", g, List.of()).message();
        message = gs.state;
      }
    }
    return arns;
  }

  private static String stripStar(String arn) {
    return arn != null && arn.endsWith(":*") ? arn.substring(0, arn.length() - 2) : arn;
  }

  private void update(LiveTailSessionUpdate u, Map<String, String> nameByArn) {
    boolean sampled = u.sessionMetadata() != null && Boolean.TRUE.equals(u.sessionMetadata().sampled());
    if (sampled) {
      for (String g : nameByArn.values()) {
        GroupState gs = state.get(g);
        gs.sampled = true;
        gs.state = "sampled";
      }
      message = "Live Tail is sampling (more than about 500 events/s): some events are not shown; follow these "
          + "groups without --live-tail to read every event";
    }
    for (LiveTailSessionLogEvent e : u.sessionResults()) {
      String id = e.logGroupIdentifier();
      String group = nameByArn.getOrDefault(id, nameByArn.getOrDefault(stripStar(id), id));
      long ts = e.timestamp() == null ? 0 : e.timestamp();
      String stream = e.logStreamName() == null ? "" : e.logStreamName();
      String msg = e.message() == null ? "" : e.message();
      deliver(new RawEvent(group, stream, ts, e.ingestionTime() == null ? 0 : e.ingestionTime(),
          RawEvent.syntheticId(group, stream, ts, msg), msg));
    }
  }

  private void fillGap(Collection<String> chunk, long disconnectedAt) throws InterruptedException {
    for (String g : chunk) {
      GroupState gs = state.get(g);
      long from = disconnectedAt - gapLookbackMillis;
      String token = null;
      String was = gs.state;
      gs.state = "filling gap";
      int attempts = 0;
      do {
        limiter.acquire();
        FilterLogEventsRequest.Builder r = FilterLogEventsRequest.builder().logGroupName(g).startTime(from)
            .nextToken(token);
        if (filterPattern != null) {
          r.filterPattern(filterPattern);
        }
        FilterLogEventsResponse resp;
        try {
          resp = sync.filterLogEvents(r.build());
        } catch (ResourceNotFoundException gone) {
          break;
        } catch (SdkException e) {
          if (++attempts > 8 || closed) {
            message = "could not fill the gap of " + g + ": " + AwsErrors.describe(e).oneLine();
            break;
          }
          sleeper.sleep(backoff.delay(attempts));
          continue;
        }
        for (FilteredLogEvent e : resp.events()) {
          long ts = e.timestamp() == null ? 0 : e.timestamp();
          String stream = e.logStreamName() == null ? "" : e.logStreamName();
          String msg = e.message() == null ? "" : e.message();
          deliver(new RawEvent(g, stream, ts, e.ingestionTime() == null ? 0 : e.ingestionTime(),
              RawEvent.syntheticId(g, stream, ts, msg), msg));
        }
        String next = resp.nextToken();
        token = next != null && !next.equals(token) ? next : null;
      } while (token != null && !closed);
      gs.state = gs.sampled ? "sampled" : was.equals("filling gap") ? "live" : was;
    }
  }

  private void deliver(RawEvent e) {
    synchronized (deliverLock) {
      if (closed) {
        return;
      }
      if (!seen.firstTime(e.eventId(), e.timestamp())) {
        duplicates.incrementAndGet();
        return;
      }
      seen.forgetBefore(clock.millis() - 2 * gapLookbackMillis - 60_000);
      GroupState gs = state.get(e.logGroup());
      if (gs != null && e.timestamp() > gs.newest) {
        gs.newest = e.timestamp();
      }
      delivered.incrementAndGet();
      try {
        sink.accept(e);
      } catch (RuntimeException failure) {
        message = "the sink failed on an event of " + e.logGroup() + ": " + failure;
      }
    }
  }

  /** Live Tail sessions started so far (reconnects included). */
  public long sessionsStarted() {
    return sessions.get();
  }

  @Override
  public boolean isFinished() {
    return false;
  }

  @Override
  public SourceStatus status() {
    long now = clock.millis();
    List<SourceStatus.GroupStatus> list = new ArrayList<>();
    state.forEach((g, gs) -> list.add(new SourceStatus.GroupStatus(g,
        gs.newest == Long.MIN_VALUE ? -1 : Math.max(0, now - gs.newest), gs.state, 0)));
    return new SourceStatus("live tail", limiter.recentRate(), delivered.get(), duplicates.get(), list, message);
  }

  @Override
  public void close() {
    closed = true;
    for (CompletableFuture<Void> f : running) {
      f.cancel(true);
    }
    List<Thread> ts;
    synchronized (this) {
      ts = new ArrayList<>(threads);
    }
    for (Thread t : ts) {
      t.interrupt();
    }
    for (Thread t : ts) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static final class GroupState {
    volatile String arn;
    volatile long newest = Long.MIN_VALUE;
    volatile String state = "starting";
    volatile boolean sampled;
  }

  /** Configures a {@link LiveTailSource}. */
  public static final class Builder {
    private final CloudWatchLogsAsyncClient async;
    private final CloudWatchLogsClient sync;
    private final LinkedHashSet<String> groups = new LinkedHashSet<>();
    private String filterPattern;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private Backoff backoff = Backoff.standard();
    private Duration gapLookback = Duration.ofSeconds(30);
    private Duration groupWaitInterval = Duration.ofSeconds(10);
    private int groupsPerSession = MAX_GROUPS_PER_SESSION;
    private RequestRateLimiter limiter;

    private Builder(CloudWatchLogsAsyncClient async, CloudWatchLogsClient sync) {
      this.async = async;
      this.sync = sync;
    }

    /** Adds a log group by name. */
    public Builder logGroup(String logGroup) {
      groups.add(requireNonNull(logGroup, "logGroup"));
      return this;
    }

    public Builder logGroups(Collection<String> names) {
      names.forEach(this::logGroup);
      return this;
    }

    /** A filter pattern ({@code --filter}), passed as {@code logEventFilterPattern} and to gap fills. */
    public Builder filterPattern(String filterPattern) {
      this.filterPattern = filterPattern == null || filterPattern.isEmpty() ? null : filterPattern;
      return this;
    }

    /** How far before a disconnect the gap fill starts (default 30 s: ingestion is late by seconds). */
    public Builder gapLookback(Duration gapLookback) {
      this.gapLookback = requireNonNull(gapLookback, "gapLookback");
      return this;
    }

    /** How often a group that does not exist yet is looked up again (default 10 s). */
    public Builder groupWaitInterval(Duration groupWaitInterval) {
      this.groupWaitInterval = requireNonNull(groupWaitInterval, "groupWaitInterval");
      return this;
    }

    /** Groups per session, 1..10 (default 10, the service's limit). */
    public Builder groupsPerSession(int groupsPerSession) {
      if (groupsPerSession < 1 || groupsPerSession > MAX_GROUPS_PER_SESSION) {
        throw new IllegalArgumentException("groupsPerSession must be 1..10");
      }
      this.groupsPerSession = groupsPerSession;
      return this;
    }

    /** The limiter for DescribeLogGroups and gap-fill FilterLogEvents calls (default 4/s). */
    public Builder rateLimiter(RequestRateLimiter limiter) {
      this.limiter = requireNonNull(limiter, "limiter");
      return this;
    }

    public Builder backoff(Backoff backoff) {
      this.backoff = requireNonNull(backoff, "backoff");
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

    public LiveTailSource build() {
      if (groups.isEmpty()) {
        throw new IllegalArgumentException("no log groups to follow");
      }
      return new LiveTailSource(this);
    }
  }
}
