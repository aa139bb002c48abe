package dev.taillight.collector.store;

import static java.util.Objects.requireNonNull;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationListener;
import dev.taillight.collector.InvocationStatus;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.SpanData;
import dev.taillight.collector.Trace;
import dev.taillight.collector.TraceIds;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The local index of everything Taillight has seen: log lines, invocations and spans in an embedded SQLite
 * database, searchable offline after the tailing session that recorded them is over.
 *
 * <p>Recording: a Store is an {@link InvocationListener}; hand it to the collector pipeline and it records
 * every line, invocation snapshot and span. Recording methods only enqueue (they block only when the queue is
 * full); a writer thread commits in batches. Events are de-duplicated by (log group, event id), so reading
 * the same logs twice stores them once. A finished invocation replaces its running snapshot (never the other
 * way round); a span line replaces an earlier one with the same span id, except that a timeout-warning line
 * never replaces a final one.
 *
 * <p>Reading: the query methods see what has been committed; call {@link #flush()} first to see everything
 * recorded so far. Queries are thread-safe (serialised on one read connection) and may run while recording.
 * Several processes may open the same file at once: SQLite's WAL journal lets them read while one writes, and
 * writers wait for each other (busy timeout).
 *
 * <pre>{@code
 * try (Store store = Store.open(Store.defaultPath(System::getenv))) {
 *   Collector collector = Collector.builder().listener(store).build(); // record while tailing
 *   ...
 *   store.flush();
 *   store.trace("1-5759e988-bd862e3fe1be46a994272793").ifPresent(render);
 * }
 * }</pre>
 *
 * <p>Errors: opening throws {@link StoreException} with a message for the user (not a Taillight index, from
 * a newer version, cannot write); a batch that cannot be written is reported to the error handler and thrown
 * by the next {@link #flush()}.
 */
public final class Store implements InvocationListener, AutoCloseable {

  /** File name of the index inside the data directory. */
  public static final String FILE_NAME = "taillight.db";

  private static final String INVOCATION_COLUMNS = "i.req, i.grp, i.stream, i.fn, i.start_ts, i.end_ts, i.cold,"
      + " i.init, i.restore, i.dur, i.billed, i.mem, i.maxmem, i.status, i.etype, i.emsg, i.trace, i.cost";
  private static final String SPAN_COLUMNS = "trace, span, parent, name, kind, start_ns, end_ns, status_code,"
      + " status_msg, service, attrs, events, links, grp, stream";

  // lookups by the integer keys of RowKeys, comparing the text id too (StoreQueryPlanTest checks their indexes)
  static final String INVOCATIONS_BY_REQUEST = "SELECT " + INVOCATION_COLUMNS
      + " FROM invocations i WHERE i.rh = ? AND i.req = ?";
  static final String INVOCATIONS_BY_TRACE = "SELECT " + INVOCATION_COLUMNS
      + " FROM invocations i WHERE i.th = ? AND i.trace = ?";
  static final String INVOCATION_EXISTS = "SELECT 1 FROM invocations i WHERE i.rh = ? AND i.req = ? AND i.grp = ?"
      + " AND i.stream = ?";
  static final String SPANS_BY_TRACE = "SELECT " + SPAN_COLUMNS + ", inv FROM spans WHERE th = ? AND trace = ?"
      + " ORDER BY span";
  static final String BLOCKS_OF_STREAM = "SELECT id, reqs FROM blocks WHERE grp = ? AND stream = ? AND max_ts >= ?"
      + " AND min_ts <= ? ORDER BY id";
  static final String SPANS_BY_INVOCATION = "SELECT " + SPAN_COLUMNS + " FROM spans WHERE ih = ? AND inv = ?"
      + " ORDER BY start_ns";

  /** Invocations with one of {@code n} request keys (the request ids are compared by the caller). */
  static String invocationsByRequests(int n) {
    return "SELECT " + INVOCATION_COLUMNS + " FROM invocations i WHERE i.rh IN (" + placeholders(n) + ")";
  }

  /** A pattern in at least this many blocks is searched invocation-first (see searchNewestFirst). */
  private volatile int commonMatches = 5_000;

  /** A pattern in fewer blocks than this is searched matching blocks first, at once. */
  private volatile int fewMatches = 1_000;

  /** Pages of invocations a text search examines before it considers matching lines first. */
  private volatile int firstPages = 2;

  /** Invocations examined per step of an invocation-first search. */
  private static final int SEARCH_PAGE = 500;

  /** Lambda's longest timeout: an invocation's lines are at most this much younger than its start. */
  private static final long MAX_INVOCATION_MS = 15 * 60_000L;

  /** How much earlier than its invocation's START a line's own timestamp may be. */
  private static final long LINE_CLOCK_SLACK_MS = 60_000L;

  /**
   * Least time between two checkpoints of the {@link Checkpointer}: a page written again and again while ingest is
   * busy (index and full-text pages) is copied into the file once per checkpoint, not once per commit.
   */
  private static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(500);

  private final Path path;
  private final Clock clock;
  private final Names names = new Names();
  private final Connection readConn;
  private final Connection writeConn;
  private final BlockingQueue<Object> queue;
  private final StoreWriter writer;
  private final Thread writerThread;
  private final Checkpointer checkpointer;
  private volatile boolean closed;

  private Store(Builder b) {
    this.path = b.path;
    this.clock = b.clock;
    this.writeConn = Database.openWriter(path, b.busyTimeout);
    try {
      this.readConn = Database.openReader(path, b.busyTimeout);
    } catch (RuntimeException e) {
      Database.closeQuietly(writeConn);
      throw e;
    }
    this.queue = new ArrayBlockingQueue<>(b.queueCapacity);
    try {
      this.checkpointer = new Checkpointer(Database.openReader(path, b.busyTimeout), CHECKPOINT_INTERVAL,
          Checkpointer.RESTART_FRAMES);
    } catch (RuntimeException e) {
      Database.closeQuietly(readConn);
      Database.closeQuietly(writeConn);
      throw e;
    }
    try {
      this.writer = new StoreWriter(writeConn, names, queue, b.flushInterval.toNanos(), b.errorHandler,
          new RetentionPass(clock), checkpointer);
    } catch (SQLException e) {
      checkpointer.close();
      Database.closeQuietly(readConn);
      Database.closeQuietly(writeConn);
      throw Database.unreadable(path, e);
    }
    this.writerThread = new Thread(writer, "taillight-store-writer");
    writerThread.setDaemon(true);
    writer.startEncoder();
    writerThread.start();
    if (b.retention != null && !b.retention.equals(RetentionPolicy.NONE)) {
      enqueue(new StoreWriter.Retention(b.retention, new CompletableFuture<>()));
    }
  }

  /** Opens (creating if needed) the index at {@link #defaultPath} with default settings. */
  public static Store openDefault(Function<String, String> env) {
    return open(defaultPath(env));
  }

  /** Opens (creating if needed) the index at {@code file} with default settings. */
  public static Store open(Path file) {
    return builder().path(file).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The default index file: {@code $TAILLIGHT_HOME/taillight.db}, else {@code
   * $XDG_DATA_HOME/taillight/taillight.db}, else {@code $HOME/.local/share/taillight/taillight.db}.
   *
   * @param env reads environment variables (e.g. {@code System::getenv})
   */
  public static Path defaultPath(Function<String, String> env) {
    String home = blankToNull(env.apply("TAILLIGHT_HOME"));
    if (home != null) {
      return Path.of(home, FILE_NAME);
    }
    String xdg = blankToNull(env.apply("XDG_DATA_HOME"));
    if (xdg != null) {
      return Path.of(xdg, "taillight", FILE_NAME);
    }
    String userHome = blankToNull(env.apply("HOME"));
    if (userHome == null) {
      userHome = System.getProperty("user.home");
    }
    return Path.of(userHome, ".local", "share", "taillight", FILE_NAME);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** The index file. */
  public Path path() {
    return path;
  }

  // ---------------------------------------------------------------- recording

  @Override
  public void onLine(LogLine line) {
    enqueue(requireNonNull(line, "line"));
  }

  @Override
  public void onInvocationStarted(Invocation invocation) {
    enqueue(requireNonNull(invocation, "invocation"));
  }

  @Override
  public void onInvocationFinished(Invocation invocation) {
    enqueue(requireNonNull(invocation, "invocation"));
  }

  @Override
  public void onSpan(SpanData span) {
    enqueue(requireNonNull(span, "span"));
  }

  /**
   * Records that {@code taillight pull} has fetched this range of a group; written after everything recorded
   * before it, so a checkpoint never claims lines that are not stored.
   */
  public void putCheckpoint(PullCheckpoint checkpoint) {
    enqueue(requireNonNull(checkpoint, "checkpoint"));
  }

  /**
   * Waits until everything recorded so far is committed.
   *
   * @throws StoreException when something recorded since the last flush could not be written
   */
  public void flush() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    enqueue(new StoreWriter.Flush(done));
    await(done);
  }

  /** Applies a retention policy now (after everything recorded so far is written) and says what it removed. */
  public RetentionResult applyRetention(RetentionPolicy policy) {
    CompletableFuture<RetentionResult> done = new CompletableFuture<>();
    enqueue(new StoreWriter.Retention(requireNonNull(policy, "policy"), done));
    return await(done);
  }

  private void enqueue(Object item) {
    if (closed) {
      throw new IllegalStateException("the Taillight index " + path + " is closed");
    }
    try {
      queue.put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while recording into " + path, e);
    }
  }

  private <T> T await(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Taillight index " + path, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof StoreException se) {
        throw new StoreException(se.getMessage(), se);
      }
      if (cause instanceof SQLException se) {
        throw Database.unreadable(path, se);
      }
      throw new StoreException("Taillight index " + path + ": " + cause, cause);
    }
  }

  // ---------------------------------------------------------------- lookups

  /** The invocation with this request id, with its lines and spans; the latest one if retried. */
  public Optional<Invocation> invocation(String requestId) {
    List<Invocation> all = invocations(requestId);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** Every invocation with this request id (async retries reuse it), oldest first, with lines and spans. */
  public List<Invocation> invocations(String requestId) {
    requireNonNull(requestId, "requestId");
    return read(c -> {
      { PreparedStatement p = prepared(c, INVOCATIONS_BY_REQUEST + " ORDER BY i.start_ts");
        String id = requestId.trim();
        p.setLong(1, RowKeys.request(id));
        p.setString(2, id);
        return invocationRows(c, p, true);
      }
    });
  }

  /**
   * The trace with this id (X-Ray {@code 1-xxxxxxxx-...} or W3C 32-hex form): its spans and the invocations
   * that carry the id or own one of its spans, each with lines and spans. Empty when the index has none.
   */
  public Optional<Trace> trace(String traceId) {
    String id = TraceIds.normalize(traceId);
    if (id == null) {
      return Optional.empty();
    }
    return read(c -> {
      List<SpanData> spans = new ArrayList<>();
      List<String> requestIds = new ArrayList<>();
      { PreparedStatement p = prepared(c, SPANS_BY_TRACE);
        p.setLong(1, RowKeys.trace(id));
        p.setString(2, id);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            spans.add(span(c, rs));
            String inv = rs.getString(16);
            if (inv != null && !requestIds.contains(inv)) {
              requestIds.add(inv);
            }
          }
        }
      }
      Map<String, Invocation> invocations = new LinkedHashMap<>();
      Map<String, long[]> keys = new LinkedHashMap<>();
      { PreparedStatement p = prepared(c, INVOCATIONS_BY_TRACE);
        p.setLong(1, RowKeys.trace(id));
        p.setString(2, id);
        invocationRows(c, p, false, invocations, keys);
      }
      { PreparedStatement p = prepared(c, INVOCATIONS_BY_REQUEST);
        for (String req : requestIds) {
          p.setLong(1, RowKeys.request(req));
          p.setString(2, req);
          invocationRows(c, p, false, invocations, keys);
        }
      }
      List<Invocation> full = new ArrayList<>(invocations.size());
      for (Map.Entry<String, Invocation> e : invocations.entrySet()) {
        full.add(withDetails(c, e.getValue(), keys.get(e.getKey())));
      }
      if (spans.isEmpty() && invocations.isEmpty()) {
        return Optional.<Trace>empty();
      }
      return Optional.of(new Trace(id, spans, full));
    });
  }

  // ---------------------------------------------------------------- search

  /** Invocations matching the query, newest start first, at most {@code query.limit()}. */
  public List<Invocation> search(InvocationQuery query) {
    requireNonNull(query, "query");
    return read(c -> {
      List<Object> args = new ArrayList<>();
      StringBuilder sql = new StringBuilder("SELECT ").append(INVOCATION_COLUMNS);
      if (query.text() != null) {
        FilterPattern pattern = FilterPattern.parse(query.text());
        String fts = pattern.toBlockFts5();
        // few matching blocks: fetch them first. Many: walk the newest invocations. In between: walk a few pages
        // (enough when the other filters pick few invocations), then fetch the matching blocks first.
        long matches = countUpTo(c, fts, commonMatches);
        if (matches >= commonMatches) {
          return searchNewestFirst(c, query, pattern, Integer.MAX_VALUE);
        }
        if (matches >= fewMatches) {
          List<Invocation> quick = searchNewestFirst(c, query, pattern, firstPages);
          if (quick != null) {
            return quick;
          }
        }
        return searchMatchingFirst(c, query, pattern);
      }
      sql.append(" FROM invocations i WHERE 1 = 1");
      if (!invocationFilters(c, query, sql, args)) {
        return List.<Invocation>of();
      }
      sql.append(" ORDER BY i.start_ts DESC LIMIT ?");
      args.add(query.limit());
      { PreparedStatement p = prepared(c, sql.toString());
        bind(p, args);
        return invocationRows(c, p, query.withDetails());
      }
    });
  }

  /**
   * Tests: how many pages a text search first tries invocation-first, below how many matching lines it fetches
   * matching lines first at once, and from how many it stays invocation-first.
   */
  void textSearchPlan(int firstPages, int fewMatches, int commonMatches) {
    this.firstPages = firstPages;
    this.fewMatches = fewMatches;
    this.commonMatches = commonMatches;
  }

  private long countUpTo(Connection c, String fts, int max) throws SQLException {
    PreparedStatement p = prepared(c, "SELECT count(*) FROM (SELECT 1 FROM blocks_fts WHERE blocks_fts MATCH ?"
        + " LIMIT ?)");
    p.setString(1, fts);
    p.setInt(2, max);
    try (ResultSet rs = p.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /**
   * Text search for a pattern in few blocks: reads the matching blocks, newest first, keeps the invocations that
   * have a matching line (in the functions and time window asked for) and pass the invocation filters, and stops
   * once no older block can hold a line of an invocation newer than the {@code limit}-th found (a line is at
   * most {@link #LINE_CLOCK_SLACK_MS} older than its invocation's start).
   */
  private List<Invocation> searchMatchingFirst(Connection c, InvocationQuery query, FilterPattern pattern)
      throws SQLException {
    List<Object> args = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT b.id, b.max_ts FROM blocks b WHERE b.id IN (SELECT rowid"
        + " FROM blocks_fts WHERE blocks_fts MATCH ?)");
    args.add(pattern.toBlockFts5());
    if (!query.functions().isEmpty()) {
      List<Long> ids = functionIds(c, query);
      if (ids.isEmpty()) {
        return List.of();
      }
      sql.append(" AND b.fn IN (").append(placeholders(ids.size())).append(')');
      args.addAll(ids);
    }
    long from = query.from() == null ? Long.MIN_VALUE : query.from().toEpochMilli() - LINE_CLOCK_SLACK_MS;
    long to = query.to() == null ? Long.MAX_VALUE : query.to().toEpochMilli() + MAX_INVOCATION_MS + LINE_CLOCK_SLACK_MS;
    if (query.from() != null) {
      sql.append(" AND b.max_ts >= ?");
      args.add(from);
    }
    if (query.to() != null) {
      sql.append(" AND b.min_ts < ?");
      args.add(to);
    }
    sql.append(" ORDER BY b.max_ts DESC");
    List<long[]> blocks = new ArrayList<>();
    { PreparedStatement p = prepared(c, sql.toString());
      bind(p, args);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          blocks.add(new long[] {rs.getLong(1), rs.getLong(2)});
        }
      }
    }
    StringBuilder filters = new StringBuilder();
    List<Object> filterArgs = new ArrayList<>();
    if (!invocationFilters(c, query, filters, filterArgs)) {
      return List.of();
    }
    // request id -> group and stream keys with a matching line, not yet looked up
    Map<String, java.util.Set<String>> pending = new LinkedHashMap<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    List<Invocation> found = new ArrayList<>();
    Map<Invocation, long[]> keys = new java.util.IdentityHashMap<>();
    java.util.Comparator<Invocation> newest = java.util.Comparator.comparingLong(Invocation::startTime).reversed();
    for (int i = 0; i < blocks.size(); i++) {
      if (i > 0 && i % 32 == 0) {
        resolve(c, pending, filters, filterArgs, found, keys);
        if (found.size() >= query.limit()) {
          found.sort(newest);
          if (found.get(query.limit() - 1).startTime() > blocks.get(i)[1] + LINE_CLOCK_SLACK_MS) {
            break;
          }
        }
      }
      Block b = searchable(c, blocks.get(i)[0]);
      for (BlockCodec.Row r : b.rows()) {
        if (r.requestId() != null && r.searchable() && r.ts() >= from && r.ts() < to) {
          String key = r.requestId() + "\n" + b.grp() + "\n" + b.stream();
          if (!seen.contains(key) && pattern.matches(r.message())) {
            seen.add(key);
            pending.computeIfAbsent(r.requestId(), k -> new java.util.HashSet<>()).add(b.grp() + "\n" + b.stream());
          }
        }
      }
    }
    resolve(c, pending, filters, filterArgs, found, keys);
    found.sort(newest);
    List<Invocation> out = new ArrayList<>();
    for (Invocation inv : found.subList(0, Math.min(found.size(), query.limit()))) {
      out.add(query.withDetails() ? withDetails(c, inv, keys.get(inv)) : inv);
    }
    return out;
  }

  /** Looks up the pending invocations (request id to group and stream keys) that pass the filters. */
  private void resolve(Connection c, Map<String, java.util.Set<String>> pending, StringBuilder filters,
      List<Object> filterArgs, List<Invocation> found, Map<Invocation, long[]> keys) throws SQLException {
    List<String> requestIds = new ArrayList<>(pending.keySet());
    for (int i = 0; i < requestIds.size(); i += 500) {
      List<String> chunk = requestIds.subList(i, Math.min(requestIds.size(), i + 500));
      List<Object> a = new ArrayList<>();
      chunk.forEach(r -> a.add(RowKeys.request(r)));
      a.addAll(filterArgs);
      try (PreparedStatement p = c.prepareStatement(invocationsByRequests(chunk.size()) + filters)) {
        bind(p, a);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            long grp = rs.getLong(2);
            long stream = rs.getLong(3);
            java.util.Set<String> wanted = pending.get(rs.getString(1)); // null: another id with the same key
            if (wanted != null && wanted.contains(grp + "\n" + stream)) {
              Invocation inv = invocationRow(c, rs);
              found.add(inv);
              keys.put(inv, new long[] {grp, stream});
            }
          }
        }
      }
    }
    pending.clear();
  }

  /**
   * Text search for a pattern that matches many blocks: walks the invocations newest first (by the start-time
   * index) in pages, and asks the full-text index only about the blocks of each page (a rowid range), then
   * checks the lines of those blocks, until enough invocations matched. Costs in proportion to how far back the
   * matches are, not to how many lines match overall. Returns null when {@code maxPages} pages were examined and
   * the answer is not complete yet.
   */
  private List<Invocation> searchNewestFirst(Connection c, InvocationQuery query, FilterPattern pattern,
      int maxPages) throws SQLException {
    List<Object> args = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT ").append(INVOCATION_COLUMNS).append(" FROM invocations i WHERE 1 = 1");
    if (!invocationFilters(c, query, sql, args)) {
      return List.of();
    }
    sql.append(" ORDER BY i.start_ts DESC");
    List<Invocation> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(sql.toString())) {
      bind(p, args);
      try (ResultSet rs = p.executeQuery()) {
        boolean more = true;
        int pages = 0;
        while (more && out.size() < query.limit()) {
          if (pages++ == maxPages) {
            return null;
          }
          Map<String, Invocation> page = new LinkedHashMap<>();
          Map<String, long[]> keys = new LinkedHashMap<>();
          // the first page is about the size of the answer (selective filters: most of it matches), then grows
          int pageSize = Math.min(SEARCH_PAGE, Math.max(50, query.limit()) << Math.min(pages - 1, 4));
          while (page.size() < pageSize && (more = rs.next())) {
            Invocation inv = invocationRow(c, rs);
            long[] k = {rs.getLong(2), rs.getLong(3)};
            String key = inv.requestId() + "\n" + k[0] + "\n" + k[1];
            page.putIfAbsent(key, inv);
            keys.putIfAbsent(key, k);
          }
          if (page.isEmpty()) {
            break;
          }
          java.util.Set<String> matched = matchingKeys(c, page, keys, query, pattern);
          for (Map.Entry<String, Invocation> e : page.entrySet()) {
            if (out.size() < query.limit() && matched.contains(e.getKey())) {
              out.add(query.withDetails() ? withDetails(c, e.getValue(), keys.get(e.getKey())) : e.getValue());
            }
          }
        }
      }
    }
    return out;
  }

  /** Keys of the invocations in {@code page} that have a line matching the pattern (and the query's functions). */
  private java.util.Set<String> matchingKeys(Connection c, Map<String, Invocation> page, Map<String, long[]> keys,
      InvocationQuery query, FilterPattern pattern) throws SQLException {
    Map<List<Long>, List<Invocation>> byStream = new LinkedHashMap<>();
    for (Map.Entry<String, Invocation> e : page.entrySet()) {
      long[] k = keys.get(e.getKey());
      byStream.computeIfAbsent(List.of(k[0], k[1]), x -> new ArrayList<>()).add(e.getValue());
    }
    java.util.Set<Long> blockIds = new java.util.HashSet<>();
    long minId = Long.MAX_VALUE;
    long maxId = Long.MIN_VALUE;
    for (Map.Entry<List<Long>, List<Invocation>> e : byStream.entrySet()) {
      for (long id : blocksOf(c, e.getKey().get(0), e.getKey().get(1), e.getValue())) {
        blockIds.add(id);
        minId = Math.min(minId, id);
        maxId = Math.max(maxId, id);
      }
    }
    java.util.Set<String> matched = new java.util.HashSet<>();
    if (blockIds.isEmpty()) {
      return matched;
    }
    List<Long> candidates = new ArrayList<>();
    PreparedStatement f = prepared(c, "SELECT rowid FROM blocks_fts WHERE blocks_fts MATCH ? AND rowid >= ?"
        + " AND rowid <= ?");
    f.setString(1, pattern.toBlockFts5());
    f.setLong(2, minId);
    f.setLong(3, maxId);
    try (ResultSet rs = f.executeQuery()) {
      while (rs.next()) {
        if (blockIds.contains(rs.getLong(1))) {
          candidates.add(rs.getLong(1));
        }
      }
    }
    java.util.Set<Long> functions = query.functions().isEmpty() ? null : new java.util.HashSet<>(functionIds(c, query));
    long from = query.from() == null ? Long.MIN_VALUE : query.from().toEpochMilli() - LINE_CLOCK_SLACK_MS;
    long to = query.to() == null ? Long.MAX_VALUE : query.to().toEpochMilli() + MAX_INVOCATION_MS + LINE_CLOCK_SLACK_MS;
    for (long id : candidates) {
      Block b = searchable(c, id);
      if (functions != null && !functions.contains(b.fn())) {
        continue;
      }
      for (BlockCodec.Row r : b.rows()) {
        if (r.requestId() == null || !r.searchable() || r.ts() < from || r.ts() >= to) {
          continue;
        }
        String key = r.requestId() + "\n" + b.grp() + "\n" + b.stream();
        if (page.containsKey(key) && !matched.contains(key) && pattern.matches(r.message())) {
          matched.add(key);
        }
      }
    }
    return matched;
  }

  /**
   * Log lines matching the query, newest first: the text pattern is matched per line, functions and the time
   * range apply to the line itself, and the other criteria (status, cold start, duration...) to the
   * invocation the line belongs to (lines outside any invocation then do not match).
   */
  public List<LogLine> searchLines(InvocationQuery query) {
    requireNonNull(query, "query");
    return read(c -> {
      FilterPattern pattern = query.text() == null ? null : FilterPattern.parse(query.text());
      List<Object> args = new ArrayList<>();
      StringBuilder sql = new StringBuilder("SELECT b.id, b.max_ts FROM blocks b WHERE 1 = 1");
      if (pattern != null) {
        sql.append(" AND b.id IN (SELECT rowid FROM blocks_fts WHERE blocks_fts MATCH ?)");
        args.add(pattern.toBlockFts5());
      }
      if (!query.functions().isEmpty()) {
        List<Long> ids = functionIds(c, query);
        if (ids.isEmpty()) {
          return List.<LogLine>of();
        }
        sql.append(" AND b.fn IN (").append(placeholders(ids.size())).append(')');
        args.addAll(ids);
      }
      long from = query.from() == null ? Long.MIN_VALUE : query.from().toEpochMilli();
      long to = query.to() == null ? Long.MAX_VALUE : query.to().toEpochMilli();
      if (query.from() != null) {
        sql.append(" AND b.max_ts >= ?");
        args.add(from);
      }
      if (query.to() != null) {
        sql.append(" AND b.min_ts < ?");
        args.add(to);
      }
      sql.append(" ORDER BY b.max_ts DESC");
      InvocationQuery invOnly = new InvocationQuery(java.util.Set.of(), null, null, query.statuses(),
          query.errorsOnly(), query.timeoutsOnly(), query.coldStart(), query.minDurationMs(), query.maxDurationMs(),
          null, query.traceId(), 1, false);
      StringBuilder inv = new StringBuilder();
      List<Object> invArgs = new ArrayList<>();
      if (!invocationFilters(c, invOnly, inv, invArgs)) {
        return List.<LogLine>of();
      }
      PreparedStatement invCheck = inv.length() == 0 ? null : prepared(c, INVOCATION_EXISTS + inv);
      Map<String, Boolean> invocationMatches = new java.util.HashMap<>();
      // newest first: ts, then block, then position in block (the order lines were stored in)
      java.util.Comparator<Object[]> newestFirst = java.util.Comparator.<Object[]>comparingLong(o -> (Long) o[0])
          .thenComparingLong(o -> (Long) o[1]).thenComparingInt(o -> (Integer) o[2]).reversed();
      List<Object[]> found = new ArrayList<>();
      List<Long> blockIds = new ArrayList<>();
      List<Long> blockEnds = new ArrayList<>();
      { PreparedStatement p = prepared(c, sql.toString());
        bind(p, args);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            blockIds.add(rs.getLong(1));
            blockEnds.add(rs.getLong(2));
          }
        }
      }
      for (int bi = 0; bi < blockIds.size(); bi++) {
        if (found.size() >= query.limit()) {
          found.sort(newestFirst);
          found.subList(query.limit(), found.size()).clear();
          if (blockEnds.get(bi) < (Long) found.get(found.size() - 1)[0]) {
            break; // every line further on is older than the ones kept
          }
        }
        Block b = pattern == null ? block(c, blockIds.get(bi)) : searchable(c, blockIds.get(bi));
        List<BlockCodec.Row> rows = b.rows();
        for (int i = 0; i < rows.size(); i++) {
          BlockCodec.Row r = rows.get(i);
          if (r.ts() < from || r.ts() >= to) {
            continue;
          }
          if (pattern != null && !(r.searchable() && pattern.matches(r.message()))) {
            continue;
          }
          if (!b.full()) {
            b = block(c, b.id()); // a line matched: read the block whole for the lines returned
            rows = b.rows();
            r = rows.get(i);
          }
          if (invCheck != null) {
            if (r.requestId() == null) {
              continue;
            }
            String key = r.requestId() + "\n" + b.grp() + "\n" + b.stream();
            Boolean ok = invocationMatches.get(key);
            if (ok == null) {
              invCheck.setLong(1, RowKeys.request(r.requestId()));
              invCheck.setString(2, r.requestId());
              invCheck.setLong(3, b.grp());
              invCheck.setLong(4, b.stream());
              for (int k = 0; k < invArgs.size(); k++) {
                bindOne(invCheck, k + 5, invArgs.get(k));
              }
              try (ResultSet rs = invCheck.executeQuery()) {
                ok = rs.next();
              }
              invocationMatches.put(key, ok);
            }
            if (!ok) {
              continue;
            }
          }
          found.add(new Object[] {r.ts(), b.id(), i, line(c, b, r)});
        }
      }
      found.sort(newestFirst);
      List<LogLine> out = new ArrayList<>();
      for (int i = 0; i < Math.min(found.size(), query.limit()); i++) {
        out.add((LogLine) found.get(i)[3]);
      }
      return out;
    });
  }

  /** Appends " AND ..." conditions on alias {@code i}; returns false when the query can match nothing. */
  private boolean invocationFilters(Connection c, InvocationQuery q, StringBuilder sql, List<Object> args)
      throws SQLException {
    if (!q.functions().isEmpty()) {
      List<Long> ids = functionIds(c, q);
      if (ids.isEmpty()) {
        return false;
      }
      sql.append(" AND i.fn IN (").append(placeholders(ids.size())).append(')');
      args.addAll(ids);
    }
    if (q.from() != null) {
      sql.append(" AND i.start_ts >= ?");
      args.add(q.from().toEpochMilli());
    }
    if (q.to() != null) {
      sql.append(" AND i.start_ts < ?");
      args.add(q.to().toEpochMilli());
    }
    if (!q.statuses().isEmpty()) {
      sql.append(" AND i.status IN (").append(placeholders(q.statuses().size())).append(')');
      q.statuses().forEach(s -> args.add(s.name()));
    }
    if (q.errorsOnly()) {
      sql.append(" AND i.status NOT IN ('RUNNING', 'OK')");
    }
    if (q.timeoutsOnly()) {
      sql.append(" AND i.status = 'TIMEOUT'");
    }
    if (q.coldStart() != null) {
      sql.append(" AND i.cold = ?");
      args.add(q.coldStart() ? 1 : 0);
    }
    if (q.minDurationMs() != null) {
      sql.append(" AND i.dur >= ?");
      args.add(q.minDurationMs());
    }
    if (q.maxDurationMs() != null) {
      sql.append(" AND i.dur <= ?");
      args.add(q.maxDurationMs());
    }
    if (q.traceId() != null) {
      String id = TraceIds.normalize(q.traceId());
      if (id == null) {
        return false;
      }
      sql.append(" AND i.th = ? AND i.trace = ?");
      args.add(RowKeys.trace(id));
      args.add(id);
    }
    return true;
  }

  private List<Long> functionIds(Connection c, InvocationQuery q) throws SQLException {
    List<Long> ids = new ArrayList<>();
    for (String f : q.functions()) {
      Long id = names.id(c, Schema.FUNCTION, f);
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }

  // ---------------------------------------------------------------- functions, stats, checkpoints

  /** Every function the index has seen, by name, with its event count and newest event time. */
  public List<FunctionSummary> functions() {
    return read(c -> {
      List<FunctionSummary> out = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT n.name, f.grp, f.events, f.last_ts FROM functions f"
              + " JOIN names n ON n.id = f.id ORDER BY n.name")) {
        while (rs.next()) {
          long last = rs.getLong(4);
          out.add(new FunctionSummary(rs.getString(1), rs.getString(2), rs.getLong(3), rs.wasNull() ? null : last));
        }
      }
      return out;
    });
  }

  /**
   * Aggregates for one function over invocations started in {@code [from, to)}, with a series of {@code
   * buckets} equal time buckets. A function with no invocations there gets zero counts and null percentiles.
   */
  public FunctionStats stats(String function, Instant from, Instant to, int buckets) {
    requireNonNull(function, "function");
    List<FunctionStats> all = stats(List.of(function), from, to, buckets);
    return all.isEmpty() ? StatsCalculator.empty(function, from.toEpochMilli(), to.toEpochMilli(), buckets)
        : all.get(0);
  }

  /** Aggregates for every function with invocations started in {@code [from, to)}, by function name. */
  public List<FunctionStats> stats(Instant from, Instant to, int buckets) {
    return stats(List.of(), from, to, buckets);
  }

  private List<FunctionStats> stats(List<String> functions, Instant from, Instant to, int buckets) {
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("stats range is empty: " + from + " .. " + to);
    }
    if (buckets < 1) {
      throw new IllegalArgumentException("buckets must be at least 1: " + buckets);
    }
    return read(c -> {
      StringBuilder sql = new StringBuilder("SELECT i.fn, i.stream, i.start_ts, i.end_ts, i.status, i.cold,"
          + " i.init, i.dur, i.billed, i.cost, i.mem, i.maxmem FROM invocations i WHERE i.start_ts >= ?"
          + " AND i.start_ts < ?");
      List<Object> args = new ArrayList<>(List.of(from.toEpochMilli(), to.toEpochMilli()));
      if (!functions.isEmpty()) {
        Long id = names.id(c, Schema.FUNCTION, functions.get(0));
        if (id == null) {
          return List.<FunctionStats>of();
        }
        sql.append(" AND i.fn = ?");
        args.add(id);
      }
      Map<Long, StatsCalculator> perFunction = new LinkedHashMap<>();
      { PreparedStatement p = prepared(c, sql.toString());
        bind(p, args);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            long fn = rs.getLong(1);
            StatsCalculator calc = perFunction.computeIfAbsent(fn,
                k -> new StatsCalculator(from.toEpochMilli(), to.toEpochMilli(), buckets));
            calc.add(rs.getLong(2), rs.getLong(3), nullableLong(rs, 4), InvocationStatus.valueOf(rs.getString(5)),
                rs.getInt(6) != 0, nullableDouble(rs, 7), nullableDouble(rs, 8), nullableDouble(rs, 9),
                nullableDouble(rs, 10), nullableInt(rs, 11), nullableInt(rs, 12));
          }
        }
      }
      List<FunctionStats> out = new ArrayList<>();
      for (Map.Entry<Long, StatsCalculator> e : perFunction.entrySet()) {
        out.add(e.getValue().result(names.name(c, e.getKey())));
      }
      out.sort(java.util.Comparator.comparing(FunctionStats::function));
      return out;
    });
  }

  /** The range of this log group that {@code taillight pull} already fetched, if any. */
  public Optional<PullCheckpoint> checkpoint(String logGroup) {
    requireNonNull(logGroup, "logGroup");
    return read(c -> {
      { PreparedStatement p = prepared(c, 
          "SELECT from_ts, to_ts, updated FROM checkpoints WHERE grp = ?");
        p.setString(1, logGroup);
        try (ResultSet rs = p.executeQuery()) {
          return rs.next()
              ? Optional.of(new PullCheckpoint(logGroup, rs.getLong(1), rs.getLong(2), rs.getLong(3)))
              : Optional.<PullCheckpoint>empty();
        }
      }
    });
  }

  /** Bytes of the database's used pages (the file may be larger by its free pages and WAL). */
  public long sizeBytes() {
    return read(c -> {
      try (Statement s = c.createStatement()) {
        return RetentionPass.usedBytes(s);
      }
    });
  }

  /** Log lines stored. */
  public long lineCount() {
    return read(c -> {
      try (Statement s = c.createStatement()) {
        return Database.longQuery(s, "SELECT coalesce(sum(n), 0) FROM blocks");
      }
    });
  }

  // ---------------------------------------------------------------- close

  /** Writes everything recorded, stops the writer and closes the file. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    CompletableFuture<Void> flushed = new CompletableFuture<>();
    StoreException failure = null;
    try {
      queue.put(new StoreWriter.Flush(flushed));
      queue.put(new StoreWriter.Stop());
      closed = true;
      writerThread.join();
      flushed.getNow(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure = e.getCause() instanceof StoreException se ? se : new StoreException(e.getMessage(), e);
    } finally {
      closed = true;
      writer.closeStatements();
      checkpointer.close();
      synchronized (readConn) {
        for (PreparedStatement p : statements.values()) {
          try {
            p.close();
          } catch (SQLException ignored) {
            // closing
          }
        }
        statements.clear();
        Database.closeQuietly(readConn);
      }
      try (Statement s = writeConn.createStatement()) {
        s.execute("PRAGMA optimize");
      } catch (SQLException ignored) {
        // only a hint to the query planner
      }
      Database.closeQuietly(writeConn);
    }
    if (failure != null) {
      throw failure;
    }
  }

  // ---------------------------------------------------------------- row mapping

  /** Prepared statements of the read connection, by SQL; used and closed under the read lock. */
  private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
      if (size() <= 64) {
        return false;
      }
      try {
        eldest.getValue().close();
      } catch (SQLException ignored) {
        // evicted; nothing to keep
      }
      return true;
    }
  };

  private PreparedStatement prepared(Connection c, String sql) throws SQLException {
    PreparedStatement p = statements.get(sql);
    if (p == null) {
      p = c.prepareStatement(sql);
      statements.put(sql, p);
    }
    return p;
  }

  private interface Read<T> {
    T apply(Connection c) throws SQLException;
  }

  private <T> T read(Read<T> r) {
    if (closed) {
      throw new IllegalStateException("the Taillight index " + path + " is closed");
    }
    synchronized (readConn) {
      try {
        return r.apply(readConn);
      } catch (SQLException e) {
        throw Database.unreadable(path, e);
      }
    }
  }

  private List<Invocation> invocationRows(Connection c, PreparedStatement p, boolean details) throws SQLException {
    Map<String, Invocation> rows = new LinkedHashMap<>();
    Map<String, long[]> keys = new LinkedHashMap<>();
    invocationRows(c, p, details, rows, keys);
    return new ArrayList<>(rows.values());
  }

  /** Reads invocation rows into {@code rows} (keyed by request id, group and stream; first one wins). */
  private void invocationRows(Connection c, PreparedStatement p, boolean details, Map<String, Invocation> rows,
      Map<String, long[]> keys) throws SQLException {
    List<Invocation> found = new ArrayList<>();
    List<long[]> foundKeys = new ArrayList<>();
    try (ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        found.add(invocationRow(c, rs));
        foundKeys.add(new long[] {rs.getLong(2), rs.getLong(3)});
      }
    }
    for (int i = 0; i < found.size(); i++) {
      long[] k = foundKeys.get(i);
      String key = found.get(i).requestId() + "\n" + k[0] + "\n" + k[1];
      if (!rows.containsKey(key)) {
        rows.put(key, details ? withDetails(c, found.get(i), k) : found.get(i));
        keys.put(key, k);
      }
    }
  }

  private Invocation invocationRow(Connection c, ResultSet rs) throws SQLException {
    return new Invocation(
        names.name(c, rs.getLong(4)),
        names.name(c, rs.getLong(2)),
        names.name(c, rs.getLong(3)),
        rs.getString(1),
        rs.getLong(5),
        nullableLong(rs, 6),
        rs.getInt(7) != 0,
        nullableDouble(rs, 8),
        nullableDouble(rs, 9),
        nullableDouble(rs, 10),
        nullableDouble(rs, 11),
        nullableInt(rs, 12),
        nullableInt(rs, 13),
        InvocationStatus.valueOf(rs.getString(14)),
        rs.getString(15),
        rs.getString(16),
        rs.getString(17),
        nullableDouble(rs, 18),
        List.of(),
        List.of());
  }

  private Invocation withDetails(Connection c, Invocation inv, long[] groupAndStream) throws SQLException {
    return new Invocation(inv.function(), inv.logGroup(), inv.logStream(), inv.requestId(), inv.startTime(),
        inv.endTime(), inv.coldStart(), inv.initDurationMs(), inv.restoreDurationMs(), inv.durationMs(),
        inv.billedDurationMs(), inv.memorySizeMb(), inv.maxMemoryUsedMb(), inv.status(), inv.errorType(),
        inv.errorMessage(), inv.traceId(), inv.costUsd(), linesOf(c, inv, groupAndStream),
        spansOf(c, inv.requestId()));
  }

  private List<LogLine> linesOf(Connection c, Invocation inv, long[] groupAndStream) throws SQLException {
    String requestId = inv.requestId();
    List<LogLine> out = new ArrayList<>();
    for (long id : blocksOf(c, groupAndStream[0], groupAndStream[1], List.of(inv))) {
      Block b = block(c, id);
      for (BlockCodec.Row r : b.rows()) {
        if (requestId.equals(r.requestId())) {
          out.add(line(c, b, r));
        }
      }
    }
    out.sort(java.util.Comparator.comparingLong(LogLine::timestamp)); // stable: block, then position
    return out;
  }

  /**
   * Ids (ascending) of the blocks of one log stream that may hold lines of these invocations of that stream: the
   * blocks within the time their lines can have (from {@link #LINE_CLOCK_SLACK_MS} before the first start to the
   * slack after the last end, or after {@link #MAX_INVOCATION_MS} from the start of one still running) whose
   * request-id hashes ({@code reqs}) name one of the invocations. The blocks are found through their stream and time index, which the writer appends to,
   * rather than through a request-id index, which every commit had to rewrite pages of all over.
   */
  private List<Long> blocksOf(Connection c, long grp, long stream, List<Invocation> invocations)
      throws SQLException {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    java.util.Set<Long> hashes = new java.util.HashSet<>();
    for (Invocation inv : invocations) {
      first = Math.min(first, inv.startTime());
      // a finished invocation's lines end with it (a minute's slack for clocks); a running or lost one's can come
      // as long as an invocation may last
      last = Math.max(last, inv.endTime() == null ? inv.startTime() + MAX_INVOCATION_MS
          : Math.max(inv.startTime(), inv.endTime()));
      hashes.add(Codec.requestHash(inv.requestId()));
    }
    PreparedStatement p = prepared(c, BLOCKS_OF_STREAM);
    p.setLong(1, grp);
    p.setLong(2, stream);
    p.setLong(3, first - LINE_CLOCK_SLACK_MS);
    p.setLong(4, last + LINE_CLOCK_SLACK_MS);
    List<Long> ids = new ArrayList<>();
    try (ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        byte[] reqs = rs.getBytes(2);
        if (reqs == null || namesAny(reqs, hashes)) {
          ids.add(rs.getLong(1));
        }
      }
    }
    return ids;
  }

  /** Whether a block's request-id hashes (8 bytes each) include one of {@code hashes}. */
  private static boolean namesAny(byte[] reqs, java.util.Set<Long> hashes) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(reqs);
    while (b.remaining() >= 8) {
      if (hashes.contains(b.getLong())) {
        return true;
      }
    }
    return false;
  }

  /**
   * A decoded block with the ids of its group, stream and function; {@code full} false when only what text
   * search needs was decoded (see {@link BlockCodec#decode}).
   */
  private record Block(long id, long grp, long stream, long fn, List<BlockCodec.Row> rows, boolean full) {}

  /** Decoded blocks recently read (a block id always means the same lines); used under the read lock. */
  private final Map<Long, Block> blockCache = new LinkedHashMap<>(64, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Block> eldest) {
      return size() > 64;
    }
  };

  private final BlockCodec readCodec = new BlockCodec();

  /** A block with every field of its lines. */
  private Block block(Connection c, long id) throws SQLException {
    Block b = blockCache.get(id);
    if (b != null && b.full()) {
      return b;
    }
    PreparedStatement p = prepared(c, "SELECT grp, stream, fn, data, more FROM blocks WHERE id = ?");
    p.setLong(1, id);
    try (ResultSet rs = p.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("log block " + id + " vanished while reading");
      }
      byte[] more = rs.getBytes(5);
      b = new Block(id, rs.getLong(1), rs.getLong(2), rs.getLong(3),
          readCodec.decode(rs.getBytes(4), more == null ? new byte[0] : more), true);
    }
    blockCache.put(id, b);
    return b;
  }

  /** A block with what text search needs (time, kind, request id, searchable messages); reads less. */
  private Block searchable(Connection c, long id) throws SQLException {
    Block b = blockCache.get(id);
    if (b != null) {
      return b;
    }
    PreparedStatement p = prepared(c, "SELECT grp, stream, fn, data FROM blocks WHERE id = ?");
    p.setLong(1, id);
    try (ResultSet rs = p.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("log block " + id + " vanished while reading");
      }
      return new Block(id, rs.getLong(1), rs.getLong(2), rs.getLong(3), readCodec.decode(rs.getBytes(4), null),
          false);
    }
  }

  private LogLine line(Connection c, Block b, BlockCodec.Row r) throws SQLException {
    RawEvent event = new RawEvent(names.name(c, b.grp()), names.name(c, b.stream()), r.ts(), r.ingest(),
        r.eventId(), r.message());
    return new LogLine(event, names.name(c, b.fn()), Codec.kind(r.kind()), r.level(), r.requestId(), r.text());
  }

  private List<SpanData> spansOf(Connection c, String requestId) throws SQLException {
    { PreparedStatement p = prepared(c, SPANS_BY_INVOCATION);
      p.setLong(1, RowKeys.request(requestId));
      p.setString(2, requestId);
      List<SpanData> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(span(c, rs));
        }
      }
      return out;
    }
  }

  private SpanData span(Connection c, ResultSet rs) throws SQLException {
    Long grp = nullableLong(rs, 14);
    Long stream = nullableLong(rs, 15);
    return new SpanData(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getString(9), rs.getString(10),
        Codec.attrs(rs.getString(11)), Codec.events(rs.getString(12)), Codec.links(rs.getString(13)),
        grp == null ? null : names.name(c, grp), stream == null ? null : names.name(c, stream));
  }

  private static Long nullableLong(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : v;
  }

  private static Integer nullableInt(ResultSet rs, int i) throws SQLException {
    int v = rs.getInt(i);
    return rs.wasNull() ? null : v;
  }

  private static Double nullableDouble(ResultSet rs, int i) throws SQLException {
    double v = rs.getDouble(i);
    return rs.wasNull() ? null : v;
  }

  static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  private static void bind(PreparedStatement p, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      bindOne(p, i + 1, args.get(i));
    }
  }

  private static void bindOne(PreparedStatement p, int i, Object a) throws SQLException {
    if (a instanceof Long l) {
      p.setLong(i, l);
    } else if (a instanceof Integer n) {
      p.setInt(i, n);
    } else if (a instanceof Double d) {
      p.setDouble(i, d);
    } else {
      p.setString(i, (String) a);
    }
  }

  /** Configures and opens a {@link Store}. */
  public static final class Builder {
    private Path path;
    private Clock clock = Clock.systemUTC();
    private Duration flushInterval = Duration.ofMillis(200);
    private Duration busyTimeout = Duration.ofSeconds(10);
    private int queueCapacity = 65_536;
    private RetentionPolicy retention = RetentionPolicy.NONE;
    private Consumer<Throwable> errorHandler = e -> System.err.println("taillight: " + e.getMessage());

    private Builder() {}

    /** The index file (required; see {@link Store#defaultPath}). */
    public Builder path(Path path) {
      this.path = requireNonNull(path, "path");
      return this;
    }

    /** The clock retention measures age against. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Longest time a recorded item waits before its batch is committed (default 200 ms). */
    public Builder flushInterval(Duration interval) {
      this.flushInterval = requireNonNull(interval, "interval");
      return this;
    }

    /** How long to wait for another process's write to finish (default 10 s). */
    public Builder busyTimeout(Duration timeout) {
      this.busyTimeout = requireNonNull(timeout, "timeout");
      return this;
    }

    /** Items the recording queue holds before recording blocks (default 65536). */
    public Builder queueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("queue capacity must be positive: " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    /** A retention policy applied in the background right after opening (default {@link RetentionPolicy#NONE}). */
    public Builder retention(RetentionPolicy policy) {
      this.retention = requireNonNull(policy, "policy");
      return this;
    }

    /** Receives write failures from the writer thread (default: one line on stderr). */
    public Builder errorHandler(Consumer<Throwable> handler) {
      this.errorHandler = requireNonNull(handler, "handler");
      return this;
    }

    /** Opens the index, creating the file and its directories when missing. */
    public Store build() {
      requireNonNull(path, "path");
      return new Store(this);
    }
  }
}
