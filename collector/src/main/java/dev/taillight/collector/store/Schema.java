package dev.taillight.collector.store;

import dev.taillight.collector.store.BlockCodec.Row;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The index's schema as an ordered list of migrations; {@code PRAGMA user_version} records how many have been
 * applied. A migration is only ever appended, never edited, once it has shipped.
 *
 * <p>Layout (version 1):
 *
 * <ul>
 *   <li>{@code names}: dictionary of log group, log stream and function names (lines refer to them by id, so
 *       a 60-byte stream name is stored once, not per line).
 *   <li>{@code lines}: one row per log event, de-duplicated by {@code (ts, dk)} where {@code dk} is a 64-bit
 *       hash of (log group, event id); {@code rh} is a 64-bit hash of the request id for the per-invocation
 *       lookup (the row also keeps the request id itself, compared exactly).
 *   <li>{@code lines_fts}: contentless FTS5 index over the raw message of application and platform lines
 *       except span lines and START/END/REPORT lines ({@code lines.kind} 1 and 3, see {@link
 *       Codec#kindCode}), kept in step by triggers; automerge 8 (fewer, larger merges while ingesting).
 *   <li>{@code invocations}: one row per (request id, group, stream); upserted as snapshots arrive.
 *   <li>{@code spans}: one row per (trace id, span id); a later line for the same span replaces it.
 *   <li>{@code functions}: per function, events stored and the last event time.
 *   <li>{@code checkpoints}: per log group, the time range {@code taillight pull} has already fetched.
 * </ul>
 *
 * <p>Version 2 replaces the per-line rows with blocks (converting the lines of a version 1 file):
 *
 * <ul>
 *   <li>{@code blocks}: up to {@link Blocks#MAX_LINES} lines of one log stream and function, written together,
 *       packed and compressed by {@link BlockCodec}, with the block's time range ({@code min_ts}, {@code
 *       max_ts}), line count and the 64-bit hashes of its request ids ({@code reqs}); indexed by stream and
 *       end time (de-duplication, see {@link StoreWriter}) and by end time (newest first, retention).
 *   <li>{@code block_reqs}: request-id hash to block, for an invocation's lines.
 *   <li>{@code blocks_fts}: contentless FTS5 index, one document per block holding the messages of the lines
 *       that are searchable (not span lines, not START/END/REPORT); {@code detail=none}: it only says which
 *       blocks hold all words of a pattern, and the lines of those blocks are then checked one by one.
 * </ul>
 *
 * <p>Version 3 splits a block in two compressed parts, {@code data} (what text search reads) and {@code more}
 * (event ids, messages of span and START/END/REPORT lines), and makes {@code spans} a rowid table with a unique (trace id, span id) index (it was a {@code
 * WITHOUT ROWID} table keyed by them), so recording appends span rows rather than inserting them at random.
 *
 * <p>Version 4 finds invocations and spans by 64-bit integer keys ({@link RowKeys}) instead of text: {@code
 * invocations.rh} (request id), {@code invocations.th} and {@code spans.th} (trace id), {@code spans.ih} (the
 * span's invocation); each lookup compares the text id too. Neither table has a unique index any more: the
 * writer looks the keys of a batch up and inserts or updates (it holds the write lock, so no other process
 * writes in between). A span's log group and stream become name ids.
 *
 * <p>Version 5 drops {@code block_reqs}: an invocation's lines are found through {@code blocks_stream} (its
 * stream, the time its lines can have) and each block's {@code reqs}. Keyed by random hashes, {@code block_reqs}
 * made every commit rewrite pages all over its index.
 */
final class Schema {
  private Schema() {}

  /** {@code PRAGMA application_id} of a Taillight index: "TLIT". */
  static final int APPLICATION_ID = 0x544C4954;

  /** One schema step, applied inside the migrating write transaction. */
  interface Migration {
    void apply(Connection c, Statement s) throws SQLException;
  }

  private static Migration sql(String... statements) {
    return (c, s) -> {
      for (String sql : statements) {
        s.execute(sql);
      }
    };
  }

  static final List<Migration> MIGRATIONS = List.of(
      sql(
        "CREATE TABLE names (id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, name TEXT NOT NULL,"
            + " UNIQUE (kind, name))",
        "CREATE TABLE lines (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, dk INTEGER NOT NULL,"
            + " grp INTEGER NOT NULL, stream INTEGER NOT NULL, fn INTEGER NOT NULL, ingest INTEGER NOT NULL,"
            + " eid TEXT NOT NULL, kind INTEGER NOT NULL, level TEXT, rh INTEGER, req TEXT, msg TEXT NOT NULL,"
            + " txt TEXT)",
        "CREATE UNIQUE INDEX lines_dedup ON lines (ts, dk)",
        "CREATE INDEX lines_req ON lines (rh) WHERE rh IS NOT NULL",
        "CREATE VIRTUAL TABLE lines_fts USING fts5 (msg, content='', contentless_delete=1)",
        "INSERT INTO lines_fts (lines_fts, rank) VALUES ('automerge', 8)",
        "CREATE TRIGGER lines_fts_insert AFTER INSERT ON lines WHEN new.kind IN (0, 2) BEGIN"
            + " INSERT INTO lines_fts (rowid, msg) VALUES (new.id, new.msg); END",
        "CREATE TRIGGER lines_fts_delete AFTER DELETE ON lines WHEN old.kind IN (0, 2) BEGIN"
            + " DELETE FROM lines_fts WHERE rowid = old.id; END",
        "CREATE TABLE invocations (id INTEGER PRIMARY KEY, req TEXT NOT NULL, grp INTEGER NOT NULL,"
            + " stream INTEGER NOT NULL, fn INTEGER NOT NULL, start_ts INTEGER NOT NULL, end_ts INTEGER,"
            + " cold INTEGER NOT NULL, init REAL, restore REAL, dur REAL, billed REAL, mem INTEGER,"
            + " maxmem INTEGER, status TEXT NOT NULL, etype TEXT, emsg TEXT, trace TEXT, cost REAL,"
            + " UNIQUE (req, grp, stream))",
        "CREATE INDEX invocations_start ON invocations (start_ts)",
        "CREATE INDEX invocations_fn_start ON invocations (fn, start_ts)",
        "CREATE INDEX invocations_trace ON invocations (trace) WHERE trace IS NOT NULL",
        "CREATE TABLE spans (trace TEXT NOT NULL, span TEXT NOT NULL, parent TEXT, name TEXT NOT NULL,"
            + " kind TEXT, start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL, status_code TEXT,"
            + " status_msg TEXT, service TEXT, attrs TEXT NOT NULL, events TEXT NOT NULL, links TEXT NOT NULL,"
            + " grp TEXT, stream TEXT, inv TEXT, warn INTEGER NOT NULL, PRIMARY KEY (trace, span)) WITHOUT ROWID",
        "CREATE INDEX spans_inv ON spans (inv) WHERE inv IS NOT NULL",
        "CREATE INDEX spans_start ON spans (start_ns)",
        "CREATE TABLE functions (id INTEGER PRIMARY KEY, grp TEXT, events INTEGER NOT NULL DEFAULT 0,"
            + " last_ts INTEGER)",
        "CREATE TABLE checkpoints (grp TEXT PRIMARY KEY, from_ts INTEGER NOT NULL, to_ts INTEGER NOT NULL,"
            + " updated INTEGER NOT NULL)"),
      (c, s) -> {
        s.execute("CREATE TABLE blocks (id INTEGER PRIMARY KEY AUTOINCREMENT, grp INTEGER NOT NULL,"
            + " stream INTEGER NOT NULL, fn INTEGER NOT NULL, min_ts INTEGER NOT NULL, max_ts INTEGER NOT NULL,"
            + " n INTEGER NOT NULL, reqs BLOB, data BLOB NOT NULL)");
        s.execute("CREATE INDEX blocks_stream ON blocks (grp, stream, max_ts)");
        s.execute("CREATE INDEX blocks_time ON blocks (max_ts)");
        s.execute("CREATE TABLE block_reqs (rh INTEGER NOT NULL, blk INTEGER NOT NULL, PRIMARY KEY (rh, blk))"
            + " WITHOUT ROWID");
        s.execute("CREATE VIRTUAL TABLE blocks_fts USING fts5 (msg, content='', contentless_delete=1,"
            + " detail=none)");
        s.execute("INSERT INTO blocks_fts (blocks_fts, rank) VALUES ('automerge', 8)");
        s.execute("ALTER TABLE blocks ADD COLUMN more BLOB"); // version 3's column: the conversion writes it
        convertLines(c, s);
        s.execute("DROP TRIGGER lines_fts_insert");
        s.execute("DROP TRIGGER lines_fts_delete");
        s.execute("DROP TABLE lines_fts");
        s.execute("DROP TABLE lines");
      },
      (c, s) -> {
        if (!hasColumn(s, "blocks", "more")) {
          s.execute("ALTER TABLE blocks ADD COLUMN more BLOB"); // the part of a block text search does not read
        }
        for (String sql : Schema.SPANS_V3) {
          s.execute(sql);
        }
      },
      (c, s) -> {
        RowKeys.register(c);
        try {
          for (String sql : Schema.KEYS_V4) {
            s.execute(sql);
          }
        } finally {
          RowKeys.unregister(c);
        }
      },
      sql("DROP TABLE IF EXISTS block_reqs"));

  private static boolean hasColumn(Statement s, String table, String column) throws SQLException {
    try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (rs.next()) {
        if (column.equals(rs.getString("name"))) {
          return true;
        }
      }
    }
    return false;
  }

  private static final String[] SPANS_V3 = {
        // spans become a rowid table: rows are appended in arrival order instead of inserted at random places of
        // a tree ordered by trace id, and the secondary indexes point at an 8-byte rowid instead of the key
        "CREATE TABLE spans_v3 (id INTEGER PRIMARY KEY, trace TEXT NOT NULL, span TEXT NOT NULL, parent TEXT,"
            + " name TEXT NOT NULL, kind TEXT, start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL, status_code TEXT,"
            + " status_msg TEXT, service TEXT, attrs TEXT NOT NULL, events TEXT NOT NULL, links TEXT NOT NULL,"
            + " grp TEXT, stream TEXT, inv TEXT, warn INTEGER NOT NULL, UNIQUE (trace, span))",
        "INSERT INTO spans_v3 (trace, span, parent, name, kind, start_ns, end_ns, status_code, status_msg, service,"
            + " attrs, events, links, grp, stream, inv, warn) SELECT trace, span, parent, name, kind, start_ns, end_ns,"
            + " status_code, status_msg, service, attrs, events, links, grp, stream, inv, warn FROM spans"
            + " ORDER BY start_ns",
        "DROP TABLE spans",
        "ALTER TABLE spans_v3 RENAME TO spans",
        "CREATE INDEX spans_inv ON spans (inv) WHERE inv IS NOT NULL",
        "CREATE INDEX spans_start ON spans (start_ns)"};

  private static final String[] KEYS_V4 = {
        // invocations and spans are found by 64-bit integer keys (RowKeys) instead of their text ids: the indexes
        // that grow in random order (request id, trace id, a span's invocation) become a third of the size
        "CREATE TABLE invocations_v4 (id INTEGER PRIMARY KEY, rh INTEGER NOT NULL, req TEXT NOT NULL,"
            + " grp INTEGER NOT NULL, stream INTEGER NOT NULL, fn INTEGER NOT NULL, start_ts INTEGER NOT NULL,"
            + " end_ts INTEGER, cold INTEGER NOT NULL, init REAL, restore REAL, dur REAL, billed REAL, mem INTEGER,"
            + " maxmem INTEGER, status TEXT NOT NULL, etype TEXT, emsg TEXT, th INTEGER, trace TEXT, cost REAL)",
        "INSERT INTO invocations_v4 (id, rh, req, grp, stream, fn, start_ts, end_ts, cold, init, restore, dur, billed,"
            + " mem, maxmem, status, etype, emsg, th, trace, cost) SELECT id, taillight_request_key(req), req, grp,"
            + " stream, fn, start_ts, end_ts, cold, init, restore, dur, billed, mem, maxmem, status, etype, emsg,"
            + " taillight_trace_key(trace), trace, cost FROM invocations ORDER BY id",
        "DROP TABLE invocations",
        "ALTER TABLE invocations_v4 RENAME TO invocations",
        "CREATE INDEX invocations_req ON invocations (rh)",
        "CREATE INDEX invocations_trace ON invocations (th) WHERE th IS NOT NULL",
        "CREATE INDEX invocations_start ON invocations (start_ts)",
        "CREATE INDEX invocations_fn_start ON invocations (fn, start_ts)",
        // a span's log group and stream become ids of the names dictionary (like a block's)
        "INSERT OR IGNORE INTO names (kind, name) SELECT DISTINCT " + Schema.GROUP + ", grp FROM spans"
            + " WHERE grp IS NOT NULL",
        "INSERT OR IGNORE INTO names (kind, name) SELECT DISTINCT " + Schema.STREAM + ", stream FROM spans"
            + " WHERE stream IS NOT NULL",
        "CREATE TABLE spans_v4 (id INTEGER PRIMARY KEY, th INTEGER NOT NULL, trace TEXT NOT NULL, span TEXT NOT NULL,"
            + " parent TEXT, name TEXT NOT NULL, kind TEXT, start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL,"
            + " status_code TEXT, status_msg TEXT, service TEXT, attrs TEXT NOT NULL, events TEXT NOT NULL,"
            + " links TEXT NOT NULL, grp INTEGER, stream INTEGER, ih INTEGER, inv TEXT, warn INTEGER NOT NULL)",
        "INSERT INTO spans_v4 (id, th, trace, span, parent, name, kind, start_ns, end_ns, status_code, status_msg,"
            + " service, attrs, events, links, grp, stream, ih, inv, warn) SELECT s.id, taillight_trace_key(s.trace),"
            + " s.trace, s.span, s.parent, s.name, s.kind, s.start_ns, s.end_ns, s.status_code, s.status_msg,"
            + " s.service, s.attrs, s.events, s.links,"
            + " (SELECT n.id FROM names n WHERE n.kind = " + Schema.GROUP + " AND n.name = s.grp),"
            + " (SELECT n.id FROM names n WHERE n.kind = " + Schema.STREAM + " AND n.name = s.stream),"
            + " taillight_request_key(s.inv), s.inv, s.warn FROM spans s ORDER BY s.id",
        "DROP TABLE spans",
        "ALTER TABLE spans_v4 RENAME TO spans",
        "CREATE INDEX spans_trace ON spans (th)",
        "CREATE INDEX spans_inv ON spans (ih) WHERE ih IS NOT NULL",
        "CREATE INDEX spans_start ON spans (start_ns)"};

  /** Lines of version 1 read per step of the conversion (like one batch of the writer). */
  private static final int CONVERT_STEP = 50_000;

  /**
   * Moves the version 1 line rows into blocks: in insertion order, a step at a time, each step's lines of one
   * stream (and function) becoming blocks, as the writer would have written them.
   */
  private static void convertLines(Connection c, Statement s) throws SQLException {
    try (Blocks blocks = new Blocks(c);
        java.sql.PreparedStatement read = c.prepareStatement("SELECT id, ts, grp, stream, fn, ingest, eid, kind,"
            + " level, req, msg, txt FROM lines WHERE id > ? ORDER BY id LIMIT " + CONVERT_STEP)) {
      long after = Long.MIN_VALUE;
      while (true) {
        Map<List<Long>, List<Row>> groups = new LinkedHashMap<>();
        read.setLong(1, after);
        int count = 0;
        try (ResultSet rs = read.executeQuery()) {
          while (rs.next()) {
            count++;
            after = rs.getLong(1);
            String msg = rs.getString(11);
            String txt = rs.getString(12);
            groups.computeIfAbsent(List.of(rs.getLong(3), rs.getLong(4), rs.getLong(5)), k -> new ArrayList<>())
                .add(new Row(rs.getLong(2), rs.getLong(6), rs.getString(7), rs.getInt(8), rs.getString(9),
                    rs.getString(10), msg, txt == null ? msg : txt));
          }
        }
        if (count == 0) {
          return;
        }
        for (Map.Entry<List<Long>, List<Row>> e : groups.entrySet()) {
          List<Row> rows = e.getValue();
          rows.sort(java.util.Comparator.comparingLong(Row::ts)); // stable: insertion order within a ms
          blocks.insert(e.getKey().get(0), e.getKey().get(1), e.getKey().get(2), rows);
        }
        blocks.writeDocuments();
      }
    }
  }

  /** The schema version this code writes and understands. */
  static int currentVersion() {
    return MIGRATIONS.size();
  }

  /** Name kinds in the {@code names} dictionary. */
  static final int GROUP = 0;
  static final int STREAM = 1;
  static final int FUNCTION = 2;
}
