package dev.taillight.collector.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.taillight.collector.store.BlockCodec.Row;

/**
 * Deletes what a {@link RetentionPolicy} no longer keeps.
 *
 * <p>By age: every line, invocation and span older than {@code now - maxAge} (a block of lines that straddles
 * the cutoff is rewritten with its younger lines). By size: while the used pages exceed {@code maxBytes},
 * estimate how many of the oldest lines hold the excess (bytes per line times the excess, plus a margin) and
 * the time before which about that many lines lie, delete everything before it, compact the full-text index and
 * give the free pages back ({@code PRAGMA incremental_vacuum}). Runs on the writer thread, inside one write
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
        long lines = Database.longQuery(s, "SELECT coalesce(sum(n), 0) FROM blocks");
        long cutoff;
        if (lines == 0) {
          cutoff = Long.MAX_VALUE; // only invocations/spans left: drop them all
        } else {
          double perLine = (double) used / lines;
          long excessLines = (long) Math.ceil((used - policy.maxBytes()) / perLine * 1.1) + 1;
          cutoff = excessLines >= lines ? Long.MAX_VALUE : timeBefore(conn, excessLines);
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

  /**
   * A time before which about {@code k} lines lie, assuming the lines of a block are spread evenly over its
   * time range (a block that straddles the time then loses a part); found by bisection over block ranges.
   */
  private static long timeBefore(Connection conn, long k) throws SQLException {
    long lo;
    long hi;
    try (Statement s = conn.createStatement()) {
      lo = Database.longQuery(s, "SELECT min(min_ts) FROM blocks");
      hi = Database.longQuery(s, "SELECT max(max_ts) FROM blocks") + 1;
    }
    try (PreparedStatement p = conn.prepareStatement("SELECT coalesce(sum(CASE WHEN max_ts < ?1 THEN n"
        + " WHEN min_ts >= ?1 THEN 0 ELSE n * (?1 - min_ts) * 1.0 / (max_ts - min_ts + 1) END), 0) FROM blocks")) {
      while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        p.setLong(1, mid);
        double before;
        try (ResultSet rs = p.executeQuery()) {
          before = rs.next() ? rs.getDouble(1) : 0;
        }
        if (before >= k) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
    }
    return lo;
  }

  private static void deleteBefore(Connection conn, long cutoffMillis, long[] deleted) throws SQLException {
    try (Statement s = conn.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      boolean ok = false;
      try (Blocks blocks = new Blocks(conn);
          PreparedStatement old = conn.prepareStatement("SELECT id, grp, stream, fn, max_ts, n FROM blocks"
              + " WHERE min_ts < ? ORDER BY id");
          PreparedStatement dec = conn.prepareStatement(
              "UPDATE functions SET events = max(0, events - ?) WHERE id = ?")) {
        Map<Long, Long> perFunction = new HashMap<>();
        List<Object[]> doomed = new ArrayList<>();
        old.setLong(1, cutoffMillis);
        try (ResultSet rs = old.executeQuery()) {
          while (rs.next()) {
            doomed.add(new Object[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                rs.getLong(6)});
          }
        }
        for (Object[] b : doomed) {
          long id = (Long) b[0];
          long fn = (Long) b[3];
          long n = (Long) b[5];
          long gone = n;
          if ((Long) b[4] >= cutoffMillis) {
            // straddles the cutoff: keep its younger lines as a new block
            List<Row> kept = new ArrayList<>();
            for (Row r : blocks.read(id)) {
              if (r.ts() >= cutoffMillis) {
                kept.add(r);
              }
            }
            gone = n - kept.size();
            if (gone == 0) {
              continue;
            }
            blocks.insert((Long) b[1], (Long) b[2], fn, kept);
          }
          blocks.delete(id);
          perFunction.merge(fn, gone, Long::sum);
          deleted[0] += gone;
        }
        blocks.writeDocuments();
        for (Map.Entry<Long, Long> e : perFunction.entrySet()) {
          dec.setLong(1, e.getValue());
          dec.setLong(2, e.getKey());
          dec.addBatch();
        }
        dec.executeBatch();
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
    s.execute("INSERT INTO blocks_fts (blocks_fts) VALUES ('optimize')");
    s.executeUpdate("PRAGMA incremental_vacuum"); // executeUpdate steps until done; execute frees one page
  }

  static long usedBytes(Statement s) throws SQLException {
    long pageSize = Database.longQuery(s, "PRAGMA page_size");
    long pages = Database.longQuery(s, "PRAGMA page_count");
    long free = Database.longQuery(s, "PRAGMA freelist_count");
    return (pages - free) * pageSize;
  }
}
