package dev.taillight.collector.store;

import java.util.List;

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
 */
final class Schema {
  private Schema() {}

  /** {@code PRAGMA application_id} of a Taillight index: "TLIT". */
  static final int APPLICATION_ID = 0x544C4954;

  static final List<String[]> MIGRATIONS = List.<String[]>of(
      new String[] {
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
            + " updated INTEGER NOT NULL)"
      });

  /** The schema version this code writes and understands. */
  static int currentVersion() {
    return MIGRATIONS.size();
  }

  /** Name kinds in the {@code names} dictionary. */
  static final int GROUP = 0;
  static final int STREAM = 1;
  static final int FUNCTION = 2;
}
