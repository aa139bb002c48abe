package dev.taillight.collector.store;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.SpanData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the invocation snapshots and spans of a {@link Batch} (inside the writer's transaction): a new one is inserted, a stored one
 * updated. The tables have no unique index on their text ids (see {@link Schema}, version 4): the keys of a whole
 * batch are looked up with one query per 256 ({@link RowKeys}), the ids compared exactly, then new rows are
 * inserted and stored ones updated, each as one JDBC batch. Correct across processes because the caller holds
 * the write lock ({@code BEGIN IMMEDIATE}) from the lookup to the commit.
 */
final class Upserts implements AutoCloseable {
  /** Most keys looked up by one query; a lookup of n keys uses the statement for the next power of two. */
  private static final int MAX_KEYS = 256;

  private static final String INVOCATION_VALUES = "fn, start_ts, end_ts, cold, init, restore, dur, billed, mem,"
      + " maxmem, status, etype, emsg, th, trace, cost";
  private static final String SPAN_VALUES = "parent, name, kind, start_ns, end_ns, status_code, status_msg, service,"
      + " attrs, events, links, grp, stream, ih, inv, warn";

  private final Connection conn;
  private final Names names;
  private final PreparedStatement insertInvocation;
  private final PreparedStatement updateInvocation;
  private final PreparedStatement insertSpan;
  private final PreparedStatement updateSpan;
  private final Map<Integer, PreparedStatement> findInvocations = new HashMap<>();
  private final Map<Integer, PreparedStatement> findSpans = new HashMap<>();

  Upserts(Connection conn, Names names) throws SQLException {
    this.conn = conn;
    this.names = names;
    insertInvocation = conn.prepareStatement("INSERT INTO invocations (rh, req, grp, stream, " + INVOCATION_VALUES
        + ") VALUES (" + Store.placeholders(20) + ")");
    updateInvocation = conn.prepareStatement("UPDATE invocations SET " + assignments(INVOCATION_VALUES)
        + " WHERE id = ?");
    insertSpan = conn.prepareStatement("INSERT INTO spans (th, trace, span, " + SPAN_VALUES + ") VALUES ("
        + Store.placeholders(19) + ")");
    updateSpan = conn.prepareStatement("UPDATE spans SET " + assignments(SPAN_VALUES) + " WHERE id = ?");
  }

  private static String assignments(String columns) {
    return String.join(", ", java.util.Arrays.stream(columns.split(", ")).map(c -> c + " = ?").toList());
  }

  /** A stored row: its id and whether it is final (a finished invocation; a span that is not a warning). */
  private record Stored(long id, boolean isFinal) {}

  /**
   * Writes invocation snapshots, at most one per invocation (request id, log group, stream), as {@link Batch}
   * picks them; {@code traces} holds each one's normalised trace id. A stored snapshot is replaced, except that a
   * running one never replaces a finished one.
   */
  void invocations(List<Invocation> invocations, List<String> traces) throws SQLException {
    int n = invocations.size();
    if (n == 0) {
      return;
    }
    long[] keys = new long[n];
    long[] groups = new long[n];
    long[] streams = new long[n];
    for (int i = 0; i < n; i++) {
      Invocation inv = invocations.get(i);
      keys[i] = RowKeys.request(inv.requestId());
      groups[i] = names.idOrCreate(conn, Schema.GROUP, inv.logGroup());
      streams[i] = names.idOrCreate(conn, Schema.STREAM, inv.logStream());
    }
    Map<String, Stored> stored = find(findInvocations, "SELECT id, status <> 'RUNNING', req, grp, stream FROM"
        + " invocations WHERE rh IN ", keys, rs -> rs.getString(3) + '\n' + rs.getLong(4) + '\n' + rs.getLong(5));
    for (int i = 0; i < n; i++) {
      Invocation inv = invocations.get(i);
      long fn = names.idOrCreate(conn, Schema.FUNCTION, inv.function());
      Stored s = stored.isEmpty() ? null : stored.get(inv.requestId() + '\n' + groups[i] + '\n' + streams[i]);
      if (s == null) {
        PreparedStatement p = insertInvocation;
        p.setLong(1, keys[i]);
        p.setString(2, inv.requestId());
        p.setLong(3, groups[i]);
        p.setLong(4, streams[i]);
        bindInvocation(p, 5, inv, fn, traces.get(i));
        p.addBatch();
      } else if (!(s.isFinal() && !inv.status().finished())) {
        bindInvocation(updateInvocation, 1, inv, fn, traces.get(i));
        updateInvocation.setLong(17, s.id());
        updateInvocation.addBatch();
      }
    }
    insertInvocation.executeBatch();
    updateInvocation.executeBatch();
  }

  /** Binds the value columns; {@code trace} is the normalised trace id (or the id as given when not normalisable). */
  private static void bindInvocation(PreparedStatement p, int at, Invocation inv, long fn, String trace)
      throws SQLException {
    p.setLong(at, fn);
    p.setLong(at + 1, inv.startTime());
    setLong(p, at + 2, inv.endTime());
    p.setInt(at + 3, inv.coldStart() ? 1 : 0);
    setDouble(p, at + 4, inv.initDurationMs());
    setDouble(p, at + 5, inv.restoreDurationMs());
    setDouble(p, at + 6, inv.durationMs());
    setDouble(p, at + 7, inv.billedDurationMs());
    setLong(p, at + 8, inv.memorySizeMb() == null ? null : inv.memorySizeMb().longValue());
    setLong(p, at + 9, inv.maxMemoryUsedMb() == null ? null : inv.maxMemoryUsedMb().longValue());
    p.setString(at + 10, inv.status().name());
    p.setString(at + 11, inv.errorType());
    p.setString(at + 12, inv.errorMessage());
    setLong(p, at + 13, trace == null ? null : RowKeys.trace(trace));
    p.setString(at + 14, trace);
    setDouble(p, at + 15, inv.costUsd());
  }

  /**
   * Writes spans. A stored span is replaced, except that a timeout-warning line never replaces a final one; of
   * several lines of one span (trace id, span id) the same rule picks one.
   */
  void spans(List<Batch.Span> spans) throws SQLException {
    if (spans.isEmpty()) {
      return;
    }
    Map<String, Batch.Span> byKey = new LinkedHashMap<>();
    for (Batch.Span row : spans) {
      byKey.merge(row.trace() + '\n' + row.span().spanId(), row,
          (old, neu) -> neu.warning() && !old.warning() ? old : neu);
    }
    List<String> all = new ArrayList<>(byKey.keySet());
    long[] keys = new long[all.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = RowKeys.trace(byKey.get(all.get(i)).trace());
    }
    Map<String, Stored> stored = find(findSpans, "SELECT id, warn = 0, trace, span FROM spans WHERE th IN ", keys,
        rs -> rs.getString(3) + '\n' + rs.getString(4));
    for (int i = 0; i < keys.length; i++) {
      String key = all.get(i);
      Batch.Span row = byKey.get(key);
      Stored s = stored.isEmpty() ? null : stored.get(key);
      if (s == null) {
        PreparedStatement p = insertSpan;
        p.setLong(1, keys[i]);
        p.setString(2, row.trace());
        p.setString(3, String.valueOf(row.span().spanId()));
        bindSpan(p, 4, row);
        p.addBatch();
      } else if (!(s.isFinal() && row.warning())) {
        bindSpan(updateSpan, 1, row);
        updateSpan.setLong(17, s.id());
        updateSpan.addBatch();
      }
    }
    insertSpan.executeBatch();
    updateSpan.executeBatch();
  }

  private void bindSpan(PreparedStatement p, int at, Batch.Span row) throws SQLException {
    SpanData span = row.span();
    p.setString(at, span.parentSpanId());
    p.setString(at + 1, String.valueOf(span.name()));
    p.setString(at + 2, span.kind());
    p.setLong(at + 3, span.startEpochNanos());
    p.setLong(at + 4, span.endEpochNanos());
    p.setString(at + 5, span.statusCode());
    p.setString(at + 6, span.statusMessage());
    p.setString(at + 7, span.serviceName());
    p.setString(at + 8, row.attrs());
    p.setString(at + 9, row.events());
    p.setString(at + 10, row.links());
    setLong(p, at + 11, span.logGroup() == null ? null : names.idOrCreate(conn, Schema.GROUP, span.logGroup()));
    setLong(p, at + 12, span.logStream() == null ? null : names.idOrCreate(conn, Schema.STREAM, span.logStream()));
    String inv = span.invocationId();
    setLong(p, at + 13, inv == null ? null : RowKeys.request(inv));
    p.setString(at + 14, inv);
    p.setInt(at + 15, row.warning() ? 1 : 0);
  }

  private interface RowKey {
    String of(ResultSet rs) throws SQLException;
  }

  /**
   * Stored rows whose key is one of {@code keys}, by their exact identity ({@code key}); the query's first column
   * is the row id, the second whether the row is final.
   */
  private Map<String, Stored> find(Map<Integer, PreparedStatement> statements, String sql, long[] keys, RowKey key)
      throws SQLException {
    Map<String, Stored> out = new HashMap<>();
    for (int from = 0; from < keys.length; from += MAX_KEYS) {
      int n = Math.min(MAX_KEYS, keys.length - from);
      int size = Integer.highestOneBit(n) == n ? n : Integer.highestOneBit(n) << 1;
      PreparedStatement p = statements.get(size);
      if (p == null) {
        p = conn.prepareStatement(sql + "(" + Store.placeholders(size) + ")");
        statements.put(size, p);
      }
      for (int i = 0; i < size; i++) {
        p.setLong(i + 1, keys[from + Math.min(i, n - 1)]); // the rest repeats the last key
      }
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.put(key.of(rs), new Stored(rs.getLong(1), rs.getInt(2) != 0));
        }
      }
    }
    return out;
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

  void clearBatches() {
    for (PreparedStatement p : List.of(insertInvocation, updateInvocation, insertSpan, updateSpan)) {
      try {
        p.clearBatch();
      } catch (SQLException ignored) {
        // best effort after a failure
      }
    }
  }

  @Override
  public void close() {
    List<PreparedStatement> all = new ArrayList<>(List.of(insertInvocation, updateInvocation, insertSpan,
        updateSpan));
    all.addAll(findInvocations.values());
    all.addAll(findSpans.values());
    for (PreparedStatement p : all) {
      try {
        p.close();
      } catch (SQLException ignored) {
        // closing
      }
    }
  }
}
