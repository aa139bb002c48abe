package dev.taillight.collector.store;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.SpanData;
import dev.taillight.collector.TraceIds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The index's single writer: a thread that takes recorded lines, invocations and spans from a bounded queue
 * and writes them in batches, one transaction per batch, with prepared statements.
 *
 * <p>Batching: after the first item arrives the writer keeps collecting until the batch is full, the linger
 * time has passed, or a control request (flush, retention, close) arrives; then it commits. Under load the
 * queue fills while a batch is written, so batches grow by themselves. A producer blocks when the queue is
 * full (back-pressure rather than unbounded memory).
 *
 * <p>Checkpoints: the WAL is copied into the index file when the writer has been idle for the linger time after
 * writing, and otherwise only by the automatic checkpoint every 64 MB of WAL (see {@link Database}).
 *
 * <p>Failures: a batch that fails is rolled back and retried up to three times (another process may hold the
 * lock beyond the busy timeout); if it still fails the failure goes to the error handler and the next {@code
 * flush} throws it. Nothing else is lost.
 */
final class StoreWriter implements Runnable {

  record Flush(CompletableFuture<Void> done) {}

  record Retention(RetentionPolicy policy, CompletableFuture<RetentionResult> done) {}

  record Stop() {}

  private static final int MAX_BATCH = 50_000;

  private final Connection conn;
  private final Names names;
  private final BlockingQueue<Object> queue;
  private final long lingerNanos;
  private final Consumer<Throwable> errors;
  private final RetentionRunner retention;
  private StoreException pendingFailure;

  private final Blocks blocks;

  /** Keys of recently written or read blocks (see {@link #writeLines}); a block id always means the same lines. */
  private final Map<Long, Keys> recentKeys = new LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Keys> eldest) {
      return size() > 1024;
    }
  };

  /** Encodes half of a large batch's blocks while the writer thread encodes the other half. */
  private final java.util.concurrent.ExecutorService encoder = java.util.concurrent.Executors.newSingleThreadExecutor(
      r -> {
        Thread t = new Thread(r, "taillight-store-encoder");
        t.setDaemon(true);
        return t;
      });

  /** The encoder thread's own codec (a codec is not thread-safe). */
  private final BlockCodec helperCodec = new BlockCodec();

  /** Keys of the blocks written by the open transaction; they join {@link #recentKeys} when it commits. */
  private final Map<Long, Keys> staged = new HashMap<>();
  private final PreparedStatement upsertInvocation;
  private final PreparedStatement upsertSpan;
  private final PreparedStatement upsertFunction;
  private final PreparedStatement putCheckpoint;

  StoreWriter(Connection conn, Names names, BlockingQueue<Object> queue, long lingerNanos,
      Consumer<Throwable> errors, RetentionRunner retention) throws SQLException {
    this.conn = conn;
    this.names = names;
    this.queue = queue;
    this.lingerNanos = lingerNanos;
    this.errors = errors;
    this.retention = retention;
    blocks = new Blocks(conn);
    upsertInvocation = conn.prepareStatement("INSERT INTO invocations (req, grp, stream, fn, start_ts, end_ts,"
        + " cold, init, restore, dur, billed, mem, maxmem, status, etype, emsg, trace, cost)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (req, grp, stream) DO UPDATE SET fn = excluded.fn, start_ts = excluded.start_ts,"
        + " end_ts = excluded.end_ts, cold = excluded.cold, init = excluded.init, restore = excluded.restore,"
        + " dur = excluded.dur, billed = excluded.billed, mem = excluded.mem, maxmem = excluded.maxmem,"
        + " status = excluded.status, etype = excluded.etype, emsg = excluded.emsg, trace = excluded.trace,"
        + " cost = excluded.cost"
        + " WHERE NOT (invocations.status <> 'RUNNING' AND excluded.status = 'RUNNING')");
    upsertSpan = conn.prepareStatement("INSERT INTO spans (trace, span, parent, name, kind, start_ns, end_ns,"
        + " status_code, status_msg, service, attrs, events, links, grp, stream, inv, warn)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (trace, span) DO UPDATE SET parent = excluded.parent, name = excluded.name,"
        + " kind = excluded.kind, start_ns = excluded.start_ns, end_ns = excluded.end_ns,"
        + " status_code = excluded.status_code, status_msg = excluded.status_msg, service = excluded.service,"
        + " attrs = excluded.attrs, events = excluded.events, links = excluded.links, grp = excluded.grp,"
        + " stream = excluded.stream, inv = excluded.inv, warn = excluded.warn"
        + " WHERE NOT (excluded.warn = 1 AND spans.warn = 0)");
    upsertFunction = conn.prepareStatement("INSERT INTO functions (id, grp, events, last_ts) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (id) DO UPDATE SET events = events + excluded.events,"
        + " last_ts = max(coalesce(last_ts, excluded.last_ts), excluded.last_ts),"
        + " grp = coalesce(functions.grp, excluded.grp)");
    putCheckpoint = conn.prepareStatement("INSERT OR REPLACE INTO checkpoints (grp, from_ts, to_ts, updated)"
        + " VALUES (?, ?, ?, ?)");
  }

  @Override
  public void run() {
    List<Object> batch = new ArrayList<>();
    boolean stop = false;
    boolean wrote = false;
    while (!stop) {
      try {
        Object first = wrote ? queue.poll(lingerNanos, TimeUnit.NANOSECONDS) : queue.take();
        if (first == null) {
          checkpointQuietly(); // idle for a linger time after writing: checkpoint now rather than in a commit
          wrote = false;
          first = queue.take();
        }
        batch.add(first);
        collect(batch);
        wrote = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop = true;
      }
      try {
        stop |= process(batch);
      } catch (RuntimeException | Error e) {
        // never let the writer die: a dead writer would make every later flush wait forever
        for (Object o : batch) {
          if (o instanceof Flush f) {
            f.done().completeExceptionally(e);
          } else if (o instanceof Retention r) {
            r.done().completeExceptionally(e);
          } else if (o instanceof Stop) {
            stop = true;
          }
        }
        errors.accept(e);
      }
      batch.clear();
    }
  }

  /**
   * Copies the WAL into the index file without waiting for readers (a passive checkpoint), so that while ingest
   * is busy the automatic checkpoint runs rarely (see {@link Database}) and the WAL still stays small.
   */
  private void checkpointQuietly() {
    try (Statement s = conn.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (SQLException ignored) {
      // another process's checkpoint may be running; the next idle moment or commit checkpoints instead
    }
  }

  /** Adds more items to the batch until it is full, the linger time passed or a control request arrived. */
  private void collect(List<Object> batch) throws InterruptedException {
    long deadline = System.nanoTime() + lingerNanos;
    while (batch.size() < MAX_BATCH && !isControl(batch.get(batch.size() - 1))) {
      int n = queue.drainTo(batch, MAX_BATCH - batch.size());
      if (n > 0) {
        if (batch.subList(batch.size() - n, batch.size()).stream().anyMatch(StoreWriter::isControl)) {
          return;
        }
        continue;
      }
      long wait = deadline - System.nanoTime();
      if (wait <= 0) {
        return;
      }
      Object next = queue.poll(wait, TimeUnit.NANOSECONDS);
      if (next == null) {
        return;
      }
      batch.add(next);
    }
  }

  private static boolean isControl(Object o) {
    return o instanceof Flush || o instanceof Retention || o instanceof Stop;
  }

  /** Writes data items and answers control requests in order; returns true when asked to stop. */
  private boolean process(List<Object> batch) {
    List<Object> data = new ArrayList<>();
    for (Object o : batch) {
      if (!isControl(o)) {
        data.add(o);
        continue;
      }
      writeWithRetry(data);
      data.clear();
      if (o instanceof Flush f) {
        StoreException failure = pendingFailure;
        pendingFailure = null;
        if (failure == null) {
          f.done().complete(null);
        } else {
          f.done().completeExceptionally(failure);
        }
      } else if (o instanceof Retention r) {
        try {
          r.done().complete(retention.run(conn, r.policy()));
        } catch (SQLException | RuntimeException e) {
          r.done().completeExceptionally(e);
        }
      } else if (o instanceof Stop) {
        return true;
      }
    }
    writeWithRetry(data);
    return false;
  }

  private void writeWithRetry(List<Object> data) {
    if (data.isEmpty()) {
      return;
    }
    Exception last = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        write(data);
        return;
      } catch (SQLException | RuntimeException e) {
        last = e;
        rollbackQuietly();
      }
    }
    if (data.size() == 1) {
      fail(data.get(0), last);
      return;
    }
    // one bad item must not cost the rest of the batch: write them one by one
    for (Object item : data) {
      try {
        write(List.of(item));
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly();
        fail(item, e);
      }
    }
  }

  private void fail(Object item, Exception e) {
    StoreException failure = new StoreException("Could not record " + describe(item) + " in the Taillight index: "
        + e.getMessage(), e);
    if (pendingFailure == null) {
      pendingFailure = failure;
    } else if (pendingFailure.getSuppressed().length < 10) {
      pendingFailure.addSuppressed(failure);
    }
    errors.accept(failure);
  }

  private static String describe(Object item) {
    if (item instanceof LogLine l) {
      return "the line " + l.event().eventId() + " of " + l.event().logGroup();
    }
    if (item instanceof Invocation i) {
      return "the invocation " + i.requestId();
    }
    if (item instanceof SpanData s) {
      return "the span " + s.spanId() + " of trace " + s.traceId();
    }
    return String.valueOf(item);
  }

  private void write(List<Object> data) throws SQLException {
    try (Statement s = conn.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
    }
    Map<Long, long[]> perFunction = new HashMap<>(); // fn id -> {events, last ts}
    Map<Long, String> functionGroup = new HashMap<>();
    List<LogLine> lines = new ArrayList<>();
    // snapshots of one invocation (running, then finished) and lines of one span within a batch: only the one
    // that would win in the database is written
    Map<String, Invocation> invocations = new LinkedHashMap<>();
    Map<String, SpanData> spans = new LinkedHashMap<>();
    for (Object o : data) {
      if (o instanceof LogLine line) {
        lines.add(line);
      } else if (o instanceof Invocation inv) {
        invocations.merge(inv.requestId() + '\n' + inv.logGroup() + '\n' + inv.logStream(), inv,
            (old, neu) -> old.status().finished() && !neu.status().finished() ? old : neu);
      } else if (o instanceof SpanData span) {
        spans.merge(span.traceId() + '\n' + span.spanId(), span,
            (old, neu) -> isWarning(neu) && !isWarning(old) ? old : neu);
      } else if (o instanceof PullCheckpoint cp) {
        putCheckpoint.setString(1, cp.logGroup());
        putCheckpoint.setLong(2, cp.fromTime());
        putCheckpoint.setLong(3, cp.toTime());
        putCheckpoint.setLong(4, cp.updatedAt());
        putCheckpoint.addBatch();
      }
    }
    for (Invocation inv : invocations.values()) {
      long fn = addInvocation(inv);
      long[] acc = perFunction.computeIfAbsent(fn, k -> new long[] {0, Long.MIN_VALUE});
      acc[1] = Math.max(acc[1], inv.endTime() != null ? inv.endTime() : inv.startTime());
      functionGroup.putIfAbsent(fn, inv.logGroup());
    }
    for (SpanData span : spans.values()) {
      addSpan(span);
    }
    writeLines(lines, perFunction, functionGroup);
    upsertInvocation.executeBatch();
    upsertSpan.executeBatch();
    putCheckpoint.executeBatch();
    for (Map.Entry<Long, long[]> e : perFunction.entrySet()) {
      upsertFunction.setLong(1, e.getKey());
      upsertFunction.setString(2, functionGroup.get(e.getKey()));
      upsertFunction.setLong(3, e.getValue()[0]);
      upsertFunction.setLong(4, e.getValue()[1]);
      upsertFunction.addBatch();
    }
    upsertFunction.executeBatch();
    try (Statement s = conn.createStatement()) {
      s.execute("COMMIT");
    }
    for (Map.Entry<Long, Keys> e : staged.entrySet()) {
      recentKeys.put(e.getKey(), e.getValue());
    }
    staged.clear();
  }

  /**
   * Writes the lines of a batch as blocks, one series per (log group, stream, function), leaving out every
   * line already stored. A line is the same event as a stored one when it has the same log group, stream,
   * timestamp and event id (CloudWatch event ids are unique per log group; an event always has one stream and
   * one timestamp). Only the blocks of the same stream whose time range overlaps the new lines' can hold such a
   * line; their keys come from {@link #recentKeys} (blocks this writer wrote) or from decoding the block (blocks
   * of another process or session). This runs inside the batch's write transaction, so two processes
   * recording the same events store them once.
   */
  private void writeLines(List<LogLine> lines, Map<Long, long[]> perFunction, Map<Long, String> functionGroup)
      throws SQLException {
    if (lines.isEmpty()) {
      return;
    }
    Map<StreamKey, List<LogLine>> groups = new LinkedHashMap<>();
    for (LogLine line : lines) {
      RawEvent e = line.event();
      groups.computeIfAbsent(new StreamKey(e.logGroup(), e.logStream(), line.function()), k -> new ArrayList<>())
          .add(line);
    }
    List<Blocks.Prepared> todo = new ArrayList<>();
    for (Map.Entry<StreamKey, List<LogLine>> g : groups.entrySet()) {
      long grp = names.idOrCreate(conn, Schema.GROUP, g.getKey().group());
      long stream = names.idOrCreate(conn, Schema.STREAM, g.getKey().stream());
      long fn = names.idOrCreate(conn, Schema.FUNCTION, g.getKey().function());
      List<LogLine> group = g.getValue();
      group.sort(java.util.Comparator.comparingLong(LogLine::timestamp)); // stable: arrival order within a ms
      long min = group.get(0).timestamp();
      long max = group.get(group.size() - 1).timestamp();
      List<Keys> stored = new ArrayList<>();
      for (long id : blocks.overlapping(grp, stream, min, max)) {
        Keys keys = staged.containsKey(id) ? staged.get(id) : recentKeys.get(id);
        if (keys == null) {
          keys = Keys.of(blocks.read(id));
          recentKeys.put(id, keys);
        }
        stored.add(keys);
      }
      List<BlockCodec.Row> rows = new ArrayList<>(group.size());
      for (int i = 0; i < group.size(); i++) {
        LogLine line = group.get(i);
        RawEvent e = line.event();
        if (repeatsEarlier(group, i) || isStored(stored, e.timestamp(), e.eventId())) {
          continue;
        }
        rows.add(new BlockCodec.Row(e.timestamp(), e.ingestionTime(), e.eventId(), Codec.kindCode(line),
            line.level(), line.requestId(), e.message(), line.text()));
      }
      if (rows.isEmpty()) {
        continue;
      }
      for (List<BlockCodec.Row> chunk : Blocks.chunks(rows)) {
        todo.add(new Blocks.Prepared(grp, stream, fn, chunk, null, null, null));
      }
      long[] acc = perFunction.computeIfAbsent(fn, k -> new long[] {0, Long.MIN_VALUE});
      acc[0] += rows.size();
      acc[1] = Math.max(acc[1], rows.get(rows.size() - 1).ts());
      functionGroup.putIfAbsent(fn, group.get(0).event().logGroup());
    }
    for (Blocks.Prepared b : prepareAll(todo)) {
      staged.put(blocks.insert(b), Keys.of(b.rows()));
    }
  }

  /**
   * Encodes the blocks of a batch (compression, full-text words): the writer thread and one helper thread
   * share a large batch, so the encoding of one half overlaps with the other's.
   */
  private List<Blocks.Prepared> prepareAll(List<Blocks.Prepared> todo) {
    Blocks.Prepared[] done = new Blocks.Prepared[todo.size()];
    int lines = todo.stream().mapToInt(b -> b.rows().size()).sum();
    java.util.concurrent.Future<?> helped = null;
    if (todo.size() > 1 && lines >= 2_000) {
      helped = encoder.submit(() -> {
        for (int i = 1; i < done.length; i += 2) {
          Blocks.Prepared b = todo.get(i);
          done[i] = Blocks.prepare(helperCodec, b.grp(), b.stream(), b.fn(), b.rows());
        }
      });
    }
    for (int i = 0; i < done.length; i += helped == null ? 1 : 2) {
      Blocks.Prepared b = todo.get(i);
      done[i] = Blocks.prepare(blocks.codec(), b.grp(), b.stream(), b.fn(), b.rows());
    }
    if (helped != null) {
      try {
        helped.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while encoding log blocks", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
      }
    }
    return java.util.Arrays.asList(done);
  }

  private record StreamKey(String group, String stream, String function) {}

  /** Whether an earlier line of the (time-sorted) group is the same event as line {@code i}. */
  private static boolean repeatsEarlier(List<LogLine> group, int i) {
    RawEvent e = group.get(i).event();
    for (int j = i - 1; j >= 0 && group.get(j).timestamp() == e.timestamp(); j--) {
      if (group.get(j).event().eventId().equals(e.eventId())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isStored(List<Keys> stored, long ts, String eventId) {
    for (Keys k : stored) {
      if (k.contains(ts, eventId)) {
        return true;
      }
    }
    return false;
  }

  /** The (timestamp, event id) keys of one block, in time order. */
  record Keys(long[] ts, String[] eventIds) {
    static Keys of(List<BlockCodec.Row> rows) {
      long[] ts = new long[rows.size()];
      String[] ids = new String[rows.size()];
      for (int i = 0; i < ts.length; i++) {
        ts[i] = rows.get(i).ts();
        ids[i] = rows.get(i).eventId();
      }
      return new Keys(ts, ids);
    }

    boolean contains(long t, String eventId) {
      int i = java.util.Arrays.binarySearch(ts, t);
      if (i < 0) {
        return false;
      }
      while (i > 0 && ts[i - 1] == t) {
        i--;
      }
      for (; i < ts.length && ts[i] == t; i++) {
        if (eventIds[i].equals(eventId)) {
          return true;
        }
      }
      return false;
    }
  }

  private long addInvocation(Invocation inv) throws SQLException {
    PreparedStatement p = upsertInvocation;
    long fn = names.idOrCreate(conn, Schema.FUNCTION, inv.function());
    p.setString(1, inv.requestId());
    p.setLong(2, names.idOrCreate(conn, Schema.GROUP, inv.logGroup()));
    p.setLong(3, names.idOrCreate(conn, Schema.STREAM, inv.logStream()));
    p.setLong(4, fn);
    p.setLong(5, inv.startTime());
    setLong(p, 6, inv.endTime());
    p.setInt(7, inv.coldStart() ? 1 : 0);
    setDouble(p, 8, inv.initDurationMs());
    setDouble(p, 9, inv.restoreDurationMs());
    setDouble(p, 10, inv.durationMs());
    setDouble(p, 11, inv.billedDurationMs());
    setLong(p, 12, inv.memorySizeMb() == null ? null : inv.memorySizeMb().longValue());
    setLong(p, 13, inv.maxMemoryUsedMb() == null ? null : inv.maxMemoryUsedMb().longValue());
    p.setString(14, inv.status().name());
    p.setString(15, inv.errorType());
    p.setString(16, inv.errorMessage());
    String trace = TraceIds.normalize(inv.traceId());
    p.setString(17, trace != null ? trace : inv.traceId());
    setDouble(p, 18, inv.costUsd());
    p.addBatch();
    return fn;
  }

  private void addSpan(SpanData span) throws SQLException {
    PreparedStatement p = upsertSpan;
    String trace = TraceIds.normalize(span.traceId());
    p.setString(1, trace != null ? trace : String.valueOf(span.traceId()));
    p.setString(2, String.valueOf(span.spanId()));
    p.setString(3, span.parentSpanId());
    p.setString(4, String.valueOf(span.name()));
    p.setString(5, span.kind());
    p.setLong(6, span.startEpochNanos());
    p.setLong(7, span.endEpochNanos());
    p.setString(8, span.statusCode());
    p.setString(9, span.statusMessage());
    p.setString(10, span.serviceName());
    p.setString(11, Codec.attrs(span.attributes()));
    p.setString(12, Codec.events(span.events()));
    p.setString(13, Codec.links(span.links()));
    p.setString(14, span.logGroup());
    p.setString(15, span.logStream());
    p.setString(16, span.invocationId());
    p.setInt(17, isWarning(span) ? 1 : 0);
    p.addBatch();
  }

  private static boolean isWarning(SpanData span) {
    return Boolean.TRUE.equals(span.attributes().get("aws.lambda.timeout_warning"));
  }

  private static void setLong(PreparedStatement p, int i, Long v) throws SQLException {
    if (v == null) {
      p.setNull(i, Types.BIGINT);
    } else {
      p.setLong(i, v);
    }
  }

  private static void setDouble(PreparedStatement p, int i, Double v) throws SQLException {
    if (v == null) {
      p.setNull(i, Types.DOUBLE);
    } else {
      p.setDouble(i, v);
    }
  }

  private void rollbackQuietly() {
    staged.clear();
    try {
      upsertInvocation.clearBatch();
      upsertSpan.clearBatch();
      upsertFunction.clearBatch();
      putCheckpoint.clearBatch();
    } catch (SQLException ignored) {
      // best effort
    }
    try (Statement s = conn.createStatement()) {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // no transaction was open
    }
  }

  void closeStatements() {
    encoder.shutdownNow();
    blocks.close();
    for (PreparedStatement p : List.of(upsertInvocation, upsertSpan, upsertFunction, putCheckpoint)) {
      try {
        p.close();
      } catch (SQLException ignored) {
        // closing
      }
    }
  }

  /** Runs a retention pass on the writer's connection. */
  interface RetentionRunner {
    RetentionResult run(Connection conn, RetentionPolicy policy) throws SQLException;
  }
}
