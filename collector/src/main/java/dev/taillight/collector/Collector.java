package dev.taillight.collector;

import static java.util.Objects.requireNonNull;

import dev.taillight.collector.correlate.Correlator;
import dev.taillight.collector.parse.LineParser;
import dev.taillight.collector.parse.ParseFailure;
import dev.taillight.collector.parse.ParsedLine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The collector pipeline as a {@link LogSink}: every accepted event is parsed (platform line, span line, application
 * line) and correlated into invocations and traces, and the registered {@link InvocationListener}s hear about
 * lines, spans, started and finished invocations.
 *
 * <pre>{@code
 * Collector collector = Collector.builder()
 *     .listener(myListener)
 *     .tickEvery(Duration.ofMillis(250))   // or call tick() yourself
 *     .build();
 * source.start(collector);                 // any LogSource
 * ...
 * collector.trace("1-5759e988-bd862e3fe1be46a994272793");   // Optional<Trace>
 * collector.stats();                       // counters for a status line
 * }</pre>
 *
 * <p>Threading: {@link #accept} may be called from any number of threads. Parsing runs on the caller's thread;
 * correlation and listener calls run under one lock, so listeners are called one at a time, in correlation order
 * (as {@link InvocationListener} promises) — and a slow listener slows every source. Events of one stream should
 * come from one thread in the order the source read them; events of different streams may interleave freely.
 *
 * <p>Time: finished invocations are emitted {@code grace} after their END/REPORT, by the injected clock. That
 * happens in {@link #tick()}, which {@link #accept} also runs when a tick is due, and which a daemon thread
 * runs periodically when {@link Builder#tickEvery} is set. {@link #flush()} emits everything that only waits for
 * time; {@link #finishAll()} also declares open invocations LOST (for the end of a file). After {@link #close()}
 * further events are rejected with {@link IllegalStateException}.
 */
public final class Collector implements LogSink {
  private final LineParser parser = LineParser.create();
  private final Correlator correlator;
  private final Clock clock;
  private final long tickMillis;
  private final Object lock = new Object();
  private final ScheduledExecutorService ticker;

  private long nextTick;
  private volatile boolean closed;
  private long events;
  private long platformLines;
  private long spanLines;
  private long appLines;
  private long spans;
  private final long[] failures = new long[ParseFailure.values().length];

  private Collector(Builder b) {
    this.clock = b.clock;
    this.tickMillis = b.tickEvery == null ? 200 : Math.max(1, b.tickEvery.toMillis());
    InvocationListener listener = b.listeners.isEmpty() ? InvocationListener.noop()
        : b.listeners.size() == 1 ? b.listeners.get(0) : new FanOut(List.copyOf(b.listeners));
    this.correlator = new Correlator(clock::millis, b.pricing, b.grace.toMillis(), b.lostAfter.toMillis(),
        b.maxRecentInvocations, b.maxTraces, listener);
    if (b.tickEvery != null) {
      ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "taillight-collector-tick");
        t.setDaemon(true);
        return t;
      });
      ticker.scheduleWithFixedDelay(this::tickQuietly, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    } else {
      ticker = null;
    }
  }

  /** A collector with default settings calling {@code listeners}. */
  public static Collector create(InvocationListener... listeners) {
    Builder b = builder();
    for (InvocationListener l : listeners) {
      b.listener(l);
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Parses and correlates one event. Never throws for the event's content. */
  @Override
  public void accept(RawEvent event) {
    requireNonNull(event, "event");
    if (closed) {
      throw new IllegalStateException("collector is closed");
    }
    ParsedLine parsed = parser.parse(event.message(), event.logGroup(), event.logStream());
    synchronized (lock) {
      events++;
      switch (parsed.kind()) {
        case PLATFORM -> platformLines++;
        case SPAN -> {
          spanLines++;
          spans += parsed.spans().size();
        }
        default -> appLines++;
      }
      if (parsed.failure() != null) {
        failures[parsed.failure().ordinal()]++;
      }
      long now = clock.millis();
      correlator.accept(event, parsed, now);
      if (now >= nextTick) {
        nextTick = now + tickMillis;
        correlator.tick();
      }
    }
  }

  /** Emits what is due by the clock: finished invocations past their grace, expired pending lines, LOST ones. */
  public void tick() {
    synchronized (lock) {
      correlator.tick();
    }
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (RuntimeException e) {
      // listener failures are already caught; nothing here may kill the ticker thread
    }
  }

  /** Emits now everything that only waits for time (closing invocations, pending lines); open ones stay open. */
  @Override
  public void flush() {
    synchronized (lock) {
      correlator.flush();
    }
  }

  /** No more events will come: emits everything, and invocations that never ended as LOST. */
  public void finishAll() {
    synchronized (lock) {
      correlator.finishAll();
    }
  }

  /** Stops the ticker and flushes; later {@link #accept} calls throw. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (ticker != null) {
      ticker.shutdownNow();
    }
    flush();
  }

  /** The trace with this id (X-Ray or W3C form) from what the collector saw recently, or empty. */
  public Optional<Trace> trace(String traceId) {
    synchronized (lock) {
      return correlator.trace(traceId);
    }
  }

  /** An invocation still in memory (running, or among the recent finished ones), or empty. */
  public Optional<Invocation> invocation(String requestId) {
    synchronized (lock) {
      return correlator.invocation(requestId);
    }
  }

  /** Invocations not finished yet (running, or ended and in their grace period), by start time. */
  public List<Invocation> running() {
    synchronized (lock) {
      return correlator.live();
    }
  }

  /** Counters since the collector was built. */
  public CollectorStats stats() {
    synchronized (lock) {
      Map<ParseFailure, Long> f = new EnumMap<>(ParseFailure.class);
      for (ParseFailure pf : ParseFailure.values()) {
        if (failures[pf.ordinal()] > 0) {
          f.put(pf, failures[pf.ordinal()]);
        }
      }
      return new CollectorStats(events, platformLines, spanLines, appLines, spans, f, correlator.started(),
          correlator.finished(), correlator.lost(), correlator.updates(), correlator.liveCount(),
          correlator.pendingCount(), correlator.unattributed(), correlator.listenerFailures());
    }
  }

  /** Builds a {@link Collector}. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Pricing pricing = Pricing.defaults();
    private Duration grace = Duration.ofSeconds(3);
    private Duration lostAfter = Duration.ofMinutes(16);
    private Duration tickEvery;
    private int maxRecentInvocations = 2_000;
    private int maxTraces = 5_000;
    private final List<InvocationListener> listeners = new ArrayList<>();

    private Builder() {}

    /** The clock for grace and lost timeouts (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Prices for cost estimates (default: {@link Pricing#defaults()}). */
    public Builder pricing(Pricing pricing) {
      this.pricing = requireNonNull(pricing, "pricing");
      return this;
    }

    /**
     * How long an ended invocation waits for late lines before its final snapshot is emitted, and how long a line
     * no invocation covers waits for one (default 3 s; CloudWatch delivers out of order by seconds).
     */
    public Builder grace(Duration grace) {
      this.grace = nonNegative(grace, "grace");
      return this;
    }

    /**
     * How long a stream must be quiet before its unfinished invocation is declared LOST (default 16 min: longer
     * than Lambda's 15 min maximum timeout).
     */
    public Builder lostAfter(Duration lostAfter) {
      this.lostAfter = nonNegative(lostAfter, "lostAfter");
      return this;
    }

    /** Runs {@link Collector#tick()} on a daemon thread at this period (default: none; ticks ride on accept). */
    public Builder tickEvery(Duration period) {
      this.tickEvery = nonNegative(period, "tickEvery");
      if (period.isZero()) {
        throw new IllegalArgumentException("tickEvery must be positive");
      }
      return this;
    }

    /** Finished invocations kept in memory for late lines and trace queries (default 2000). */
    public Builder maxRecentInvocations(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxRecentInvocations must be at least 1, not " + max);
      }
      this.maxRecentInvocations = max;
      return this;
    }

    /** Traces kept in memory for {@link Collector#trace} (default 5000). */
    public Builder maxTraces(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxTraces must be at least 1, not " + max);
      }
      this.maxTraces = max;
      return this;
    }

    /** Adds a listener; listeners are called in the order added. */
    public Builder listener(InvocationListener listener) {
      listeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    public Collector build() {
      return new Collector(this);
    }

    private static Duration nonNegative(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, not " + d);
      }
      return d;
    }
  }

  /** Calls each listener in turn; one that throws does not keep the others from hearing. */
  private static final class FanOut implements InvocationListener {
    private final List<InvocationListener> listeners;

    FanOut(List<InvocationListener> listeners) {
      this.listeners = listeners;
    }

    @Override
    public void onLine(LogLine line) {
      RuntimeException first = null;
      for (InvocationListener l : listeners) {
        try {
          l.onLine(line);
        } catch (RuntimeException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
    }

    @Override
    public void onInvocationStarted(Invocation invocation) {
      RuntimeException first = null;
      for (InvocationListener l : listeners) {
        try {
          l.onInvocationStarted(invocation);
        } catch (RuntimeException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
    }

    @Override
    public void onInvocationFinished(Invocation invocation) {
      RuntimeException first = null;
      for (InvocationListener l : listeners) {
        try {
          l.onInvocationFinished(invocation);
        } catch (RuntimeException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
    }

    @Override
    public void onSpan(SpanData span) {
      RuntimeException first = null;
      for (InvocationListener l : listeners) {
        try {
          l.onSpan(span);
        } catch (RuntimeException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }
}
