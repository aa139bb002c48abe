package dev.taillight.collector.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;

/**
 * Deletes what a {@link RetentionPolicy} no longer keeps.
 *
 * <p>By age: every line, invocation and span older than {@code now - maxAge}. By size: while the used pages
 * exceed {@code maxBytes}, estimate how many of the oldest lines hold the excess (bytes per line times the
 * excess, plus a margin), delete everything up to that line's timestamp, compact the full-text index and give
 * the free pages back ({@code PRAGMA incremental_vacuum}). Runs on the writer thread, inside one write
 * transaction per step, so other readers and processes see either before or after.
 */
final class RetentionPass implements StoreWriter.RetentionRunner {
  private final Clock clock;

  RetentionPass(Clock clock) {
    this.clock = clock;
  }

  @Override
  public RetentionResult run(Connection conn, RetentionPolicy policy) throws SQLException {
    long[] deleted = new long[3];
    long before;
    try (Statement s = conn.createStatement()) {
      before = usedBytes(s);
      if (policy.maxAge() != null) {
        long cutoff = clock.millis() - policy.maxAge().toMillis();
        deleteBefore(conn, cutoff, deleted);
      }
      boolean changed = deleted[0] + deleted[1] + deleted[2] > 0;
      if (changed) {
        compact(s);
      }
      for (int round = 0; policy.maxBytes() > 0 && round < 30; round++) {
        long used = usedBytes(s);
        if (used <= policy.maxBytes()) {
          break;
        }
        long lines = Database.longQuery(s, "SELECT count(*) FROM lines");
        long cutoff;
        if (lines == 0) {
          cutoff = Long.MAX_VALUE; // only invocations/spans left: drop them all
        } else {
          double perLine = (double) used / lines;
          long excessLines = (long) Math.ceil((used - policy.maxBytes()) / perLine * 1.1) + 1;
          long k = Math.min(lines, excessLines);
          try (ResultSet rs = s.executeQuery("SELECT ts FROM lines ORDER BY ts LIMIT 1 OFFSET " + (k - 1))) {
            cutoff = rs.next() ? rs.getLong(1) + 1 : Long.MAX_VALUE;
          }
        }
        long[] step = new long[3];
        deleteBefore(conn, cutoff, step);
        for (int i = 0; i < 3; i++) {
          deleted[i] += step[i];
        }
        compact(s);
        if (step[0] + step[1] + step[2] == 0) {
          break;
        }
      }
      return new RetentionResult(deleted[0], deleted[1], deleted[2], before, usedBytes(s));
    }
  }

  private static void deleteBefore(Connection conn, long cutoffMillis, long[] deleted) throws SQLException {
    try (Statement s = conn.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      boolean ok = false;
      try {
        try (PreparedStatement counts = conn.prepareStatement(
                "SELECT fn, count(*) FROM lines WHERE ts < ? GROUP BY fn");
            PreparedStatement dec = conn.prepareStatement(
                "UPDATE functions SET events = max(0, events - ?) WHERE id = ?")) {
          counts.setLong(1, cutoffMillis);
          try (ResultSet rs = counts.executeQuery()) {
            while (rs.next()) {
              dec.setLong(1, rs.getLong(2));
              dec.setLong(2, rs.getLong(1));
              dec.addBatch();
            }
          }
          dec.executeBatch();
        }
        deleted[0] += delete(conn, "DELETE FROM lines WHERE ts < ?", cutoffMillis);
        deleted[1] += delete(conn, "DELETE FROM invocations WHERE start_ts < ?", cutoffMillis);
        long nanos = cutoffMillis > Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : cutoffMillis * 1_000_000;
        deleted[2] += delete(conn, "DELETE FROM spans WHERE start_ns < ?", nanos);
        s.execute("COMMIT");
        ok = true;
      } finally {
        if (!ok) {
          s.execute("ROLLBACK");
        }
      }
    }
  }

  private static long delete(Connection conn, String sql, long arg) throws SQLException {
    try (PreparedStatement p = conn.prepareStatement(sql)) {
      p.setLong(1, arg);
      return p.executeUpdate();
    }
  }

  /** Merges the full-text index (dropping deleted entries) and returns free pages to the file system. */
  private static void compact(Statement s) throws SQLException {
    s.execute("INSERT INTO lines_fts (lines_fts) VALUES ('optimize')");
    s.executeUpdate("PRAGMA incremental_vacuum"); // executeUpdate steps until done; execute frees one page
  }

  static long usedBytes(Statement s) throws SQLException {
    long pageSize = Database.longQuery(s, "PRAGMA page_size");
    long pages = Database.longQuery(s, "PRAGMA page_count");
    long free = Database.longQuery(s, "PRAGMA freelist_count");
    return (pages - free) * pageSize;
  }
}
