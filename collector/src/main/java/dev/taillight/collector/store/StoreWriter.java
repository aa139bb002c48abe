package dev.taillight.collector.store;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.SpanData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The index's writing side: two threads. The encoder thread takes recorded lines, invocations and spans from
 * a bounded queue, forms batches and encodes them without the database ({@link Batch}: blocks packed and
 * compressed, full-text documents, span attributes as JSON); the writer thread (this {@link Runnable}) writes
 * each batch in one transaction with prepared statements, and does little besides SQLite.
 *
 * <p>Batching: after the first item arrives the encoder keeps collecting until the batch is full, the linger
 * time has passed, or a control request (flush, retention, close) arrives. Under load the queue fills while a
 * batch is encoded and written, so batches grow by themselves. A producer blocks when the queue is full
 * (back-pressure rather than unbounded memory); so does the encoder while the writer is busy and a few encoded
 * parts already wait.
 *
 * <p>Parts: so that the two threads work at the same time even when a caller waits for each batch (a flush after
 * every page of events), a batch's transaction reaches the writer in parts. While a batch fills, every
 * {@value #SNAPSHOTS_PER_PART} invocation snapshots and spans go ahead as a part of their own; when it is
 * complete, its lines follow in parts of whole log streams (so blocks are as large as with one part). The
 * writer begins the transaction with the first part and commits after the last.
 *
 * <p>Checkpoints: after every commit the writer asks the {@link Checkpointer} to copy the WAL into the index file
 * on its own thread (so when recording pauses, the last commit's pages are copied within its interval); SQLite's
 * automatic checkpoint in the writer's commit only bounds the WAL's size (see {@link Database}).
 *
 * <p>Failures: a batch that fails is rolled back and retried (another process may hold the lock beyond the
 * busy timeout); if it still fails its items are written one by one, and those that still fail go to the error
 * handler and the next {@code flush} throws them. Nothing else is lost.
 */
final class StoreWriter implements Runnable {

  record Flush(CompletableFuture<Void> done) {}

  record Retention(RetentionPolicy policy, CompletableFuture<RetentionResult> done) {}

  record Stop() {}

  /**
   * From the encoder to the writer: data items of a transaction's part whose encoding failed; the writer writes
   * the transaction's items again when its last part arrives.
   */
  private record Unencoded(List<Object> items, boolean last, Exception failure) {}

  /** Most items in one transaction. */
  private static final int MAX_BATCH = 50_000;
  /** Invocation snapshots and spans sent ahead as a part while a batch fills. */
  private static final int SNAPSHOTS_PER_PART = 2048;
  /** Lines in a part, at least (whole log streams), when a complete batch's lines are encoded. */
  private static final int LINES_PER_PART = 4096;

  private final Connection conn;
  private final Checkpointer checkpointer;
  private final Names names;
  private final BlockingQueue<Object> queue;
  private final long lingerNanos;
  private final Consumer<Throwable> errors;
  private final RetentionRunner retention;
  private StoreException pendingFailure;

  private final Blocks blocks;

  /**
   * Encoded parts and control requests, in recording order, from the encoder thread to the writer; a few parts
   * may wait, so the encoder goes on with the next while the writer is busy.
   */
  private final BlockingQueue<Object> encoded = new ArrayBlockingQueue<>(8);

  /** The encoder thread's codec (a codec is not thread-safe); the writer uses {@link Blocks#codec()}. */
  private final BlockCodec encoderCodec = new BlockCodec();

  private final Thread encoder = new Thread(this::encodeLoop, "taillight-store-encoder");

  /** Encoder thread: items of the batch being collected that already went ahead in parts. */
  private int sentAhead;
  /** Encoder thread: parts went to the writer whose transaction has not had its last part yet. */
  private boolean transactionOpen;

  /** Keys of recently written or read blocks (see {@link #writeSeries}); a block id always means the same lines. */
  private final Map<Long, Keys> recentKeys = new LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Keys> eldest) {
      return size() > 1024;
    }
  };

  /** Keys of the blocks written by the open transaction; they join {@link #recentKeys} when it commits. */
  private final Map<Long, Keys> staged = new HashMap<>();
  private final Upserts upserts;
  private final PreparedStatement upsertFunction;
  private final PreparedStatement putCheckpoint;

  StoreWriter(Connection conn, Names names, BlockingQueue<Object> queue, long lingerNanos,
      Consumer<Throwable> errors, RetentionRunner retention, Checkpointer checkpointer) throws SQLException {
    this.conn = conn;
    this.checkpointer = checkpointer;
    this.names = names;
    this.queue = queue;
    this.lingerNanos = lingerNanos;
    this.errors = errors;
    this.retention = retention;
    blocks = new Blocks(conn);
    upserts = new Upserts(conn, names);
    upsertFunction = conn.prepareStatement("INSERT INTO functions (id, grp, events, last_ts) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (id) DO UPDATE SET events = events + excluded.events,"
        + " last_ts = max(coalesce(last_ts, excluded.last_ts), excluded.last_ts),"
        + " grp = coalesce(functions.grp, excluded.grp)");
    putCheckpoint = conn.prepareStatement("INSERT OR REPLACE INTO checkpoints (grp, from_ts, to_ts, updated)"
        + " VALUES (?, ?, ?, ?)");
  }

  /** Starts the encoder thread; the caller runs this writer on a thread of its own. */
  void startEncoder() {
    encoder.setDaemon(true);
    encoder.start();
  }

  // ---------------------------------------------------------------- encoder thread

  private void encodeLoop() {
    List<Object> batch = new ArrayList<>();
    boolean stop = false;
    try {
      while (!stop) {
        batch.add(queue.take());
        collect(batch);
        List<Object> data = new ArrayList<>();
        for (Object o : batch) {
          if (!isControl(o)) {
            data.add(o);
            continue;
          }
          if (!data.isEmpty() || transactionOpen) {
            sendRest(data);
            data = new ArrayList<>();
          }
          encoded.put(o);
          stop |= o instanceof Stop;
        }
        if (!data.isEmpty() || transactionOpen) {
          sendRest(data);
        }
        batch.clear();
        sentAhead = 0;
      }
    } catch (InterruptedException e) {
      // closing: the writer has stopped
      Thread.currentThread().interrupt();
    }
  }

  /** Encodes data items as the remaining parts of the open (or a new) transaction, the last one ending it. */
  private void sendRest(List<Object> data) throws InterruptedException {
    send(data, LINES_PER_PART, true);
  }

  /** Moves the invocation snapshots and spans out of the batch and sends them ahead as a part. */
  private void sendAhead(List<Object> batch) throws InterruptedException {
    List<Object> ahead = new ArrayList<>();
    List<Object> rest = new ArrayList<>(batch.size());
    for (Object o : batch) {
      (goesAhead(o) ? ahead : rest).add(o);
    }
    batch.clear();
    batch.addAll(rest);
    sentAhead += ahead.size();
    send(ahead, Integer.MAX_VALUE, false);
  }

  private void send(List<Object> data, int linesPerPart, boolean last) throws InterruptedException {
    boolean[] sent = {false};
    try {
      Batch.encodeParts(data, encoderCodec, linesPerPart, last, part -> {
        sent[0] = true;
        encoded.put(part);
      });
    } catch (RuntimeException | Error e) {
      // the encoder must not die: every later flush would wait forever; the first part sent holds all items
      Exception failure = e instanceof Exception x ? x : new IllegalStateException("could not encode a batch: " + e, e);
      encoded.put(new Unencoded(sent[0] ? List.of() : data, last, failure));
    }
    transactionOpen = !last;
  }

  /**
   * Adds more items to the batch until it is full, the linger time passed or a control request arrived; sends
   * invocation snapshots and spans ahead whenever {@value #SNAPSHOTS_PER_PART} of them have come.
   */
  private void collect(List<Object> batch) throws InterruptedException {
    long deadline = System.nanoTime() + lingerNanos;
    int checked = 0;
    int snapshots = 0;
    while (true) {
      for (; checked < batch.size(); checked++) {
        Object o = batch.get(checked);
        if (isControl(o)) {
          return;
        }
        if (goesAhead(o)) {
          snapshots++;
        }
      }
      if (snapshots >= SNAPSHOTS_PER_PART) {
        sendAhead(batch);
        checked = batch.size();
        snapshots = 0;
      }
      int room = MAX_BATCH - sentAhead - batch.size();
      if (room <= 0) {
        return;
      }
      if (queue.drainTo(batch, room) > 0) {
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

  /** Whether an item goes ahead in a part while its batch fills (an invocation snapshot or a span). */
  private static boolean goesAhead(Object o) {
    return o instanceof Invocation || o instanceof SpanData;
  }

  private static boolean isControl(Object o) {
    return o instanceof Flush || o instanceof Retention || o instanceof Stop;
  }

  // ---------------------------------------------------------------- writer thread

  @Override
  public void run() {
    boolean stop = false;
    while (!stop) {
      Object o;
      try {
        o = encoded.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        stop = process(o);
      } catch (RuntimeException | Error e) {
        // never let the writer die: a dead writer would make every later flush wait forever
        if (o instanceof Flush f) {
          f.done().completeExceptionally(e);
        } else if (o instanceof Retention r) {
          r.done().completeExceptionally(e);
        } else if (o instanceof Stop) {
          stop = true;
        }
        errors.accept(e);
      }
    }
  }

  /** Writes an encoded batch or answers a control request; returns true when asked to stop. */
  private boolean process(Object o) {
    if (o instanceof Batch b) {
      part(b.items, b, null, b.last);
    } else if (o instanceof Unencoded u) {
      part(u.items(), null, u.failure(), u.last());
    } else if (o instanceof Flush f) {
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
    return false;
  }

  /** Writer thread: the data items of the open transaction's parts so far. */
  private final List<Object> transactionItems = new ArrayList<>();
  /** Writer thread: why a part of the open transaction failed (the rest of its parts are then only collected). */
  private Exception transactionFailure;
  /** Writer thread: a write transaction has begun and not yet ended. */
  private boolean inTransaction;

  /**
   * Writes one part of a transaction ({@code b}, or the items whose encoding failed), beginning the transaction
   * with its first part and committing after its last. When a part fails, the transaction is rolled back and,
   * once its last part has come, all its items are written again: as a whole, then one by one.
   */
  private void part(List<Object> items, Batch b, Exception failure, boolean last) {
    transactionItems.addAll(items);
    if (transactionFailure == null) {
      if (b == null) {
        transactionFailure = failure;
        rollbackQuietly();
      } else {
        try {
          if (!inTransaction) {
            begin();
          }
          writePart(b);
          if (last) {
            commit();
          }
        } catch (SQLException | RuntimeException e) {
          transactionFailure = e;
          rollbackQuietly();
        }
      }
    }
    if (!last) {
      return;
    }
    Exception failed = transactionFailure;
    List<Object> all = new ArrayList<>(transactionItems);
    transactionItems.clear();
    transactionFailure = null;
    if (failed != null) {
      writeAgain(all, failed);
    }
  }

  /** Writes the items of a failed transaction again in one transaction, else one by one. */
  private void writeAgain(List<Object> items, Exception failure) {
    try {
      writeTransaction(Batch.encode(items, blocks.codec()));
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      writeOneByOne(items, e);
    }
  }

  /** One bad item must not cost the rest of a batch: writes the items one by one. */
  private void writeOneByOne(List<Object> items, Exception failure) {
    if (items.size() == 1) {
      fail(items.get(0), failure);
      return;
    }
    for (Object item : items) {
      try {
        writeTransaction(Batch.encode(List.of(item), blocks.codec()));
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

  private void writeTransaction(Batch b) throws SQLException {
    begin();
    writePart(b);
    commit();
  }

  private void begin() throws SQLException {
    try (Statement s = conn.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
    }
    inTransaction = true;
  }

  /** Writes a part inside the open transaction. */
  private void writePart(Batch b) throws SQLException {
    Map<Long, long[]> perFunction = new HashMap<>(); // fn id -> {events, last ts}
    Map<Long, String> functionGroup = new HashMap<>();
    for (PullCheckpoint cp : b.checkpoints) {
      putCheckpoint.setString(1, cp.logGroup());
      putCheckpoint.setLong(2, cp.fromTime());
      putCheckpoint.setLong(3, cp.toTime());
      putCheckpoint.setLong(4, cp.updatedAt());
      putCheckpoint.addBatch();
    }
    for (int i = 0; i < b.invocations.size(); i++) {
      Invocation inv = b.invocations.get(i);
      long fn = names.idOrCreate(conn, Schema.FUNCTION, inv.function());
      long[] acc = perFunction.computeIfAbsent(fn, k -> new long[] {0, Long.MIN_VALUE});
      acc[1] = Math.max(acc[1], inv.endTime() != null ? inv.endTime() : inv.startTime());
      functionGroup.putIfAbsent(fn, inv.logGroup());
    }
    writeSeries(b.series, perFunction, functionGroup);
    upserts.invocations(b.invocations, b.invocationTraces);
    upserts.spans(b.spans);
    putCheckpoint.executeBatch();
    for (Map.Entry<Long, long[]> e : perFunction.entrySet()) {
      upsertFunction.setLong(1, e.getKey());
      upsertFunction.setString(2, functionGroup.get(e.getKey()));
      upsertFunction.setLong(3, e.getValue()[0]);
      upsertFunction.setLong(4, e.getValue()[1]);
      upsertFunction.addBatch();
    }
    upsertFunction.executeBatch();
    blocks.writeDocuments();
  }

  private void commit() throws SQLException {
    try (Statement s = conn.createStatement()) {
      s.execute("COMMIT");
    }
    inTransaction = false;
    checkpointer.endLongLog(conn);
    checkpointer.request();
    for (Map.Entry<Long, Keys> e : staged.entrySet()) {
      recentKeys.put(e.getKey(), e.getValue());
    }
    staged.clear();
  }

  /**
   * Writes the encoded lines of a batch (one series per log group, stream and function), leaving out every
   * line already stored. A line is the same event as a stored one when it has the same log group, stream,
   * timestamp and event id (CloudWatch event ids are unique per log group; an event always has one stream and
   * one timestamp). Only the blocks of the same stream whose time range overlaps the new lines' can hold such a
   * line; their keys come from {@link #recentKeys} (blocks this writer wrote) or from decoding the block (blocks
   * of another process or session). A series with stored lines is encoded again without them. This runs inside
   * the batch's write transaction, so two processes recording the same events store them once.
   */
  private void writeSeries(List<Batch.Series> series, Map<Long, long[]> perFunction,
      Map<Long, String> functionGroup) throws SQLException {
    for (Batch.Series s : series) {
      List<BlockCodec.Row> rows = s.rows();
      if (rows.isEmpty()) {
        continue;
      }
      long grp = names.idOrCreate(conn, Schema.GROUP, s.group());
      long stream = names.idOrCreate(conn, Schema.STREAM, s.stream());
      long fn = names.idOrCreate(conn, Schema.FUNCTION, s.function());
      List<Keys> stored = new ArrayList<>();
      long min = rows.get(0).ts();
      for (long id : blocks.overlapping(grp, stream, min, rows.get(rows.size() - 1).ts())) {
        Keys keys = staged.containsKey(id) ? staged.get(id) : recentKeys.get(id);
        if (keys == null || !keys.covers(min)) {
          keys = Keys.of(blocks.read(id));
          recentKeys.put(id, keys);
        }
        stored.add(keys);
      }
      if (!stored.isEmpty()) {
        List<BlockCodec.Row> fresh = new ArrayList<>(rows.size());
        for (BlockCodec.Row r : rows) {
          if (!isStored(stored, r.ts(), r.eventId())) {
            fresh.add(r);
          }
        }
        if (fresh.isEmpty()) {
          continue;
        }
        if (fresh.size() < rows.size()) {
          s = Batch.Series.of(s.group(), s.stream(), s.function(), fresh, blocks.codec());
          rows = fresh;
        }
      }
      for (int i = 0; i < s.blocks().size(); i++) {
        staged.put(blocks.insert(grp, stream, fn, s.blocks().get(i)), s.keys().get(i));
      }
      long[] acc = perFunction.computeIfAbsent(fn, k -> new long[] {0, Long.MIN_VALUE});
      acc[0] += rows.size();
      acc[1] = Math.max(acc[1], rows.get(rows.size() - 1).ts());
      functionGroup.putIfAbsent(fn, s.group());
    }
  }

  private static boolean isStored(List<Keys> stored, long ts, String eventId) {
    for (Keys k : stored) {
      if (k.contains(ts, eventId)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The (timestamp, event id) keys of one block, in time order: all of them, or only those from time {@code from}
   * on (a block's last millisecond, see {@link #last}).
   */
  record Keys(long from, long[] ts, String[] eventIds) {
    /** All keys of a block. */
    static Keys of(List<BlockCodec.Row> rows) {
      return of(rows, 0, Long.MIN_VALUE);
    }

    /**
     * The keys of a block's last millisecond: enough to de-duplicate new lines of the stream that are not older
     * than the block's newest line (the way a stream's lines arrive), and small, so that the writer can keep
     * them for many recent blocks. Older new lines make the writer read the block's keys in full.
     */
    static Keys last(List<BlockCodec.Row> rows) {
      int i = rows.size() - 1;
      long t = rows.get(i).ts();
      while (i > 0 && rows.get(i - 1).ts() == t) {
        i--;
      }
      return of(rows, i, t);
    }

    private static Keys of(List<BlockCodec.Row> rows, int start, long from) {
      long[] ts = new long[rows.size() - start];
      String[] ids = new String[ts.length];
      for (int i = 0; i < ts.length; i++) {
        ts[i] = rows.get(start + i).ts();
        ids[i] = rows.get(start + i).eventId();
      }
      return new Keys(from, ts, ids);
    }

    /** Whether these are all the block's keys from time {@code t} on. */
    boolean covers(long t) {
      return from <= t;
    }

    /** Whether the block holds this key; only for {@code t} this covers. */
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

  private void rollbackQuietly() {
    inTransaction = false;
    staged.clear();
    blocks.discardDocuments();
    upserts.clearBatches();
    try {
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
    encoder.interrupt();
    blocks.close();
    upserts.close();
    for (PreparedStatement p : List.of(upsertFunction, putCheckpoint)) {
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
