package dev.taillight.collector.cloudwatch;

import static java.util.Objects.requireNonNull;

import dev.taillight.collector.LogSink;
import dev.taillight.collector.RawEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DataAlreadyAcceptedException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Ships events to CloudWatch Logs with PutLogEvents, the way Lambda itself would: each event goes to its own
 * {@link RawEvent#logGroup()} and {@link RawEvent#logStream()} unless the builder fixes a group or stream. The
 * local runtime uses it to put logs of locally run functions where {@code taillight tail} finds them.
 *
 * <p>{@link #accept} puts the event in a bounded queue and returns; when the queue is full it waits for room
 * (back-pressure instead of loss). One background thread drains the queue, groups events per stream, and sends
 * batches that respect the service limits: at most 10,000 events and 1,048,576 bytes (message bytes + 26 per
 * event), in time order, spanning at most 24 hours. A missing group or stream is created on first use. Throttling,
 * 5xx and network errors are retried with back-off; events CloudWatch rejects (older than 14 days, more than
 * 2 hours ahead, older than the group's retention) and batches failing for a non-retryable reason (access
 * denied) are counted in {@link #failed()} with {@link #lastError()}. A message longer than CloudWatch's event
 * limit is cut to fit (counted in {@link #truncated()}); an empty message is sent as one space, which CloudWatch
 * requires.
 *
 * <p>{@link #flush} blocks until every event accepted before it was shipped or failed. {@link #close} flushes
 * (retrying for up to the close timeout, default 30 s, then counting what is left as failed), stops the thread
 * and rejects later events. A retry after a connection dropped while CloudWatch was already storing a batch can
 * store that batch twice: PutLogEvents has no idempotency key. Thread-safe. The client is not closed.
 */
public final class CloudWatchLogsSink implements LogSink {
  static final int EVENT_OVERHEAD = 26;
  static final int MAX_BATCH_BYTES = 1_048_576;
  static final int MAX_BATCH_EVENTS = 10_000;
  static final long MAX_BATCH_SPAN_MILLIS = 24L * 60 * 60 * 1000;
  static final int MAX_EVENT_BYTES = 262_144 - EVENT_OVERHEAD;

  private final CloudWatchLogsClient client;
  private final String fixedGroup;
  private final String fixedStream;
  private final boolean createMissing;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Backoff backoff;
  private final long lingerMillis;
  private final long closeTimeoutMillis;
  private final int maxBatchEvents;
  private final int maxBatchBytes;
  private final BlockingQueue<RawEvent> queue;
  private final Thread shipper;

  private final Object lock = new Object();
  private long accepted;
  private long handled;
  private long shipped;
  private long failed;
  private long truncated;
  private long batches;
  private String lastError;
  private volatile boolean flushRequested;
  private volatile boolean closing;
  private volatile long closeDeadline = Long.MAX_VALUE;
  private boolean closed;

  private CloudWatchLogsSink(Builder b) {
    this.client = b.client;
    this.fixedGroup = b.logGroup;
    this.fixedStream = b.logStream;
    this.createMissing = b.createMissing;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.backoff = b.backoff;
    this.lingerMillis = b.linger.toMillis();
    this.closeTimeoutMillis = b.closeTimeout.toMillis();
    this.maxBatchEvents = b.maxBatchEvents;
    this.maxBatchBytes = b.maxBatchBytes;
    this.queue = new ArrayBlockingQueue<>(b.queueCapacity);
    this.shipper = new Thread(this::shipLoop, "taillight-cloudwatch-sink");
    this.shipper.setDaemon(true);
    this.shipper.start();
  }

  public static Builder builder(CloudWatchLogsClient client) {
    return new Builder(requireNonNull(client, "client"));
  }

  /** Ships each event to its own group and stream, with defaults. */
  public static CloudWatchLogsSink create(CloudWatchLogsClient client) {
    return builder(client).build();
  }

  @Override
  public void accept(RawEvent event) {
    requireNonNull(event, "event");
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("CloudWatchLogsSink is closed");
      }
      accepted++;
    }
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(event);
        break;
      } catch (InterruptedException e) {
        interrupted = true; // never lose an accepted event; keep the interrupt for the caller
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void flush() {
    long target;
    synchronized (lock) {
      target = accepted;
      if (handled >= target) {
        return;
      }
    }
    flushRequested = true;
    synchronized (lock) {
      while (handled < target && shipper.isAlive()) {
        try {
          lock.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        flushRequested = true;
      }
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    closeDeadline = clock.millis() + closeTimeoutMillis;
    closing = true;
    flush();
    try {
      shipper.join(closeTimeoutMillis + 5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Events stored by CloudWatch. */
  public long shipped() {
    synchronized (lock) {
      return shipped;
    }
  }

  /** Events rejected by CloudWatch or given up on (see {@link #lastError()}). */
  public long failed() {
    synchronized (lock) {
      return failed;
    }
  }

  /** Events whose message was cut to CloudWatch's event size limit. */
  public long truncated() {
    synchronized (lock) {
      return truncated;
    }
  }

  /** PutLogEvents calls that succeeded. */
  public long batches() {
    synchronized (lock) {
      return batches;
    }
  }

  /** Events accepted and not yet shipped or failed. */
  public long pending() {
    synchronized (lock) {
      return accepted - handled;
    }
  }

  /** The latest failure in words (with what to do), or null. */
  public String lastError() {
    synchronized (lock) {
      return lastError;
    }
  }

  // ---- shipping thread ----

  private record Target(String group, String stream) {}

  private void shipLoop() {
    Map<Target, List<InputLogEvent>> pending = new LinkedHashMap<>();
    int pendingCount = 0;
    long pendingBytes = 0;
    long firstPendingAt = 0;
    while (true) {
      RawEvent e = null;
      try {
        if (pendingCount == 0) {
          e = queue.poll(closing ? 0 : 200, TimeUnit.MILLISECONDS);
        } else {
          long wait = Math.max(0, firstPendingAt + lingerMillis - clock.millis());
          e = flushRequested || closing ? queue.poll() : queue.poll(wait, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException interrupted) {
        continue; // nobody interrupts this thread on purpose; close() works through the closing flag
      }
      List<RawEvent> got = new ArrayList<>();
      if (e != null) {
        got.add(e);
      }
      queue.drainTo(got, Math.max(0, maxBatchEvents - pendingCount));
      for (RawEvent ev : got) {
        if (pendingCount == 0) {
          firstPendingAt = clock.millis();
        }
        InputLogEvent in = toInput(ev);
        pending.computeIfAbsent(new Target(fixedGroup != null ? fixedGroup : ev.logGroup(),
            fixedStream != null ? fixedStream : ev.logStream()), t -> new ArrayList<>()).add(in);
        pendingCount++;
        pendingBytes += utf8Length(in.message()) + EVENT_OVERHEAD;
      }
      boolean due = pendingCount >= maxBatchEvents || pendingBytes >= maxBatchBytes
          || (pendingCount > 0 && (flushRequested || closing || clock.millis() - firstPendingAt >= lingerMillis));
      if (due) {
        boolean emptyQueue = queue.isEmpty();
        for (Map.Entry<Target, List<InputLogEvent>> t : pending.entrySet()) {
          shipAll(t.getKey(), t.getValue());
        }
        pending.clear();
        pendingCount = 0;
        pendingBytes = 0;
        if (emptyQueue) {
          flushRequested = false;
        }
      }
      if (closing && pendingCount == 0 && queue.isEmpty()) {
        synchronized (lock) {
          if (handled >= accepted) {
            return;
          }
        }
      }
    }
  }

  private InputLogEvent toInput(RawEvent e) {
    String m = e.message();
    if (m.isEmpty()) {
      m = " ";
    } else if (m.length() * 3 > MAX_EVENT_BYTES && utf8Length(m) > MAX_EVENT_BYTES) {
      m = truncate(m, MAX_EVENT_BYTES);
      synchronized (lock) {
        truncated++;
      }
    }
    return InputLogEvent.builder().timestamp(e.timestamp()).message(m).build();
  }

  /** Splits one stream's events into valid batches and ships them in time order. */
  private void shipAll(Target t, List<InputLogEvent> events) {
    events.sort(Comparator.comparingLong(InputLogEvent::timestamp));
    List<InputLogEvent> batch = new ArrayList<>();
    long bytes = 0;
    for (InputLogEvent e : events) {
      int size = utf8Length(e.message()) + EVENT_OVERHEAD;
      if (!batch.isEmpty() && (batch.size() >= maxBatchEvents || bytes + size > maxBatchBytes
          || e.timestamp() - batch.get(0).timestamp() > MAX_BATCH_SPAN_MILLIS)) {
        ship(t, batch);
        batch = new ArrayList<>();
        bytes = 0;
      }
      batch.add(e);
      bytes += size;
    }
    if (!batch.isEmpty()) {
      ship(t, batch);
    }
  }

  private void ship(Target t, List<InputLogEvent> batch) {
    int attempt = 0;
    boolean created = false;
    while (true) {
      try {
        PutLogEventsResponse r = client.putLogEvents(b -> b.logGroupName(t.group()).logStreamName(t.stream())
            .logEvents(batch));
        int rejected = rejectedCount(r.rejectedLogEventsInfo(), batch.size());
        done(batch.size() - rejected, rejected, rejected == 0 ? null
            : rejected + " events rejected by CloudWatch for " + t.group() + " (older than 14 days or the "
                + "retention, or more than 2 hours ahead)");
        return;
      } catch (DataAlreadyAcceptedException already) {
        done(batch.size(), 0, null);
        return;
      } catch (ResourceNotFoundException missing) {
        if (createMissing && !created) {
          created = true;
          String error = create(t);
          if (error == null) {
            continue;
          }
          done(0, batch.size(), error);
          return;
        }
        done(0, batch.size(), AwsErrors.describe(missing, "logs:PutLogEvents", t.group(), List.of()).oneLine());
        return;
      } catch (SdkException e) {
        AwsErrors.UserError u = AwsErrors.describe(e, "logs:PutLogEvents", t.group(), List.of());
        if (!u.retryable() || clock.millis() >= closeDeadline) {
          done(0, batch.size(), u.oneLine() + (u.retryable() ? " (gave up at close)" : ""));
          return;
        }
        synchronized (lock) {
          lastError = u.oneLine() + " (retrying)";
        }
        try {
          Duration d = backoff.delay(++attempt);
          long left = closeDeadline - clock.millis();
          sleeper.sleep(closing ? Duration.ofMillis(Math.max(0, Math.min(d.toMillis(), left))) : d);
        } catch (InterruptedException interrupted) {
          // keep trying: close() gives up through the deadline, not by interrupting
        }
      }
    }
  }

  /** Creates the group and stream; returns null on success, else the error in words. */
  private String create(Target t) {
    String action = "logs:CreateLogGroup";
    try {
      try {
        client.createLogGroup(b -> b.logGroupName(t.group()));
      } catch (ResourceAlreadyExistsException exists) {
        // fine
      }
      action = "logs:CreateLogStream";
      try {
        client.createLogStream(b -> b.logGroupName(t.group()).logStreamName(t.stream()));
      } catch (ResourceAlreadyExistsException exists) {
        // fine
      }
      return null;
    } catch (SdkException e) {
      return AwsErrors.describe(e, action, t.group(), List.of()).oneLine();
    }
  }

  private static int rejectedCount(RejectedLogEventsInfo info, int size) {
    if (info == null) {
      return 0;
    }
    int rejected = 0;
    boolean[] bad = new boolean[size];
    if (info.tooOldLogEventEndIndex() != null) {
      for (int i = 0; i < Math.min(size, info.tooOldLogEventEndIndex() + 1); i++) {
        bad[i] = true;
      }
    }
    if (info.expiredLogEventEndIndex() != null) {
      for (int i = 0; i < Math.min(size, info.expiredLogEventEndIndex() + 1); i++) {
        bad[i] = true;
      }
    }
    if (info.tooNewLogEventStartIndex() != null) {
      for (int i = Math.max(0, info.tooNewLogEventStartIndex()); i < size; i++) {
        bad[i] = true;
      }
    }
    for (boolean b : bad) {
      if (b) {
        rejected++;
      }
    }
    return rejected;
  }

  private void done(int ok, int bad, String error) {
    synchronized (lock) {
      shipped += ok;
      failed += bad;
      handled += ok + bad;
      if (ok > 0) {
        batches++;
      }
      if (error != null) {
        lastError = error;
      }
      lock.notifyAll();
    }
  }

  static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static String truncate(String s, int maxBytes) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int end = maxBytes;
    while (end > 0 && (b[end] & 0xC0) == 0x80) {
      end--; // do not cut a character in half
    }
    return new String(b, 0, end, StandardCharsets.UTF_8);
  }

  /** Configures a {@link CloudWatchLogsSink}. */
  public static final class Builder {
    private final CloudWatchLogsClient client;
    private String logGroup;
    private String logStream;
    private boolean createMissing = true;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private Backoff backoff = Backoff.standard();
    private Duration linger = Duration.ofMillis(200);
    private Duration closeTimeout = Duration.ofSeconds(30);
    private int queueCapacity = 20_000;
    private int maxBatchEvents = MAX_BATCH_EVENTS;
    private int maxBatchBytes = MAX_BATCH_BYTES;

    private Builder(CloudWatchLogsClient client) {
      this.client = client;
    }

    /** Sends every event to this group instead of its own. */
    public Builder logGroup(String logGroup) {
      this.logGroup = requireNonNull(logGroup, "logGroup");
      return this;
    }

    /** Sends every event to this stream instead of its own. */
    public Builder logStream(String logStream) {
      this.logStream = requireNonNull(logStream, "logStream");
      return this;
    }

    /** Whether to create missing groups and streams (default true). */
    public Builder createMissing(boolean createMissing) {
      this.createMissing = createMissing;
      return this;
    }

    /** How long the first event of a batch waits for company before it is sent (default 200 ms). */
    public Builder linger(Duration linger) {
      this.linger = requireNonNull(linger, "linger");
      return this;
    }

    /** How long {@link #close} keeps retrying before it gives up on what is left (default 30 s). */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = requireNonNull(closeTimeout, "closeTimeout");
      return this;
    }

    /** Events that may wait to be shipped before {@link #accept} blocks (default 20,000). */
    public Builder queueCapacity(int queueCapacity) {
      if (queueCapacity < 1) {
        throw new IllegalArgumentException("queueCapacity must be >= 1");
      }
      this.queueCapacity = queueCapacity;
      return this;
    }

    /** Lowers the per-batch event count below CloudWatch's 10,000 (tests). */
    public Builder maxBatchEvents(int maxBatchEvents) {
      if (maxBatchEvents < 1 || maxBatchEvents > MAX_BATCH_EVENTS) {
        throw new IllegalArgumentException("maxBatchEvents must be 1..10000");
      }
      this.maxBatchEvents = maxBatchEvents;
      return this;
    }

    /** Lowers the per-batch size below CloudWatch's 1,048,576 bytes (tests). */
    public Builder maxBatchBytes(int maxBatchBytes) {
      if (maxBatchBytes < 1 || maxBatchBytes > MAX_BATCH_BYTES) {
        throw new IllegalArgumentException("maxBatchBytes must be 1..1048576");
      }
      this.maxBatchBytes = maxBatchBytes;
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

    public CloudWatchLogsSink build() {
      return new CloudWatchLogsSink(this);
    }
  }
}
