package dev.taillight.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointerTest {
  @TempDir Path dir;

  /** Pages of log from which the writer ends it, in this test. */
  private static final long RESTART = 40;

  /**
   * A writer that commits about 10 pages at a time, each time after asking for a checkpoint of what it committed
   * before and waiting for it (so, as under steady ingest, every checkpoint runs while a transaction is open),
   * and, when {@code endLongLogs}, lets the checkpointer end a long log after each commit; returns the size of the
   * log file after {@code commits} commits.
   */
  private long logSizeAfter(int commits, boolean endLongLogs) throws Exception {
    Path file = dir.resolve("t" + endLongLogs + ".db");
    Connection writer = Database.openWriter(file, Duration.ofSeconds(5));
    try (Checkpointer checkpointer = new Checkpointer(Database.openReader(file, Duration.ofSeconds(5)),
        Duration.ZERO, RESTART);
        Statement s = writer.createStatement()) {
      s.execute("CREATE TABLE scratch (id INTEGER PRIMARY KEY, data BLOB)");
      try (PreparedStatement insert = writer.prepareStatement("INSERT INTO scratch (data) VALUES (?)")) {
        for (int i = 0; i < commits; i++) {
          s.execute("BEGIN IMMEDIATE");
          for (int k = 0; k < 10; k++) {
            insert.setBytes(1, new byte[3000]);
            insert.executeUpdate();
          }
          long before = checkpointer.checkpoints();
          checkpointer.request();
          awaitCheckpointAfter(checkpointer, before);
          s.execute("COMMIT");
          if (endLongLogs) {
            checkpointer.endLongLog(writer);
          }
        }
      }
      return Files.size(Path.of(file + "-wal"));
    } finally {
      Database.closeQuietly(writer);
    }
  }

  private static void awaitCheckpointAfter(Checkpointer checkpointer, long count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (checkpointer.checkpoints() <= count && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(checkpointer.checkpoints()).isGreaterThan(count);
  }

  @Test
  void a_writer_that_never_pauses_still_has_its_log_start_over() throws Exception {
    long pages = 4096 + 24;
    long withEnds = logSizeAfter(60, true);
    long without = logSizeAfter(60, false);

    // 60 commits of about 10 pages: without the writer's help the log never starts over (each checkpoint copies
    // it, but a transaction that began earlier is always open), so its file holds every page; ended from 40 pages
    // on by the writer, it starts over and stays small
    assertThat(without).isGreaterThan(500 * pages);
    assertThat(withEnds).isLessThan(120 * pages);
  }

  @Test
  void the_checkpoints_copy_the_log_into_the_file() throws Exception {
    logSizeAfter(20, false);
    try (Connection c = Database.openReader(dir.resolve("tfalse.db"), Duration.ofSeconds(5));
        Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("PRAGMA page_count")) {
      rs.next();
      // about 200 pages of rows were committed; the file (not only the log) holds them
      assertThat(Files.size(dir.resolve("tfalse.db"))).isGreaterThanOrEqualTo(200 * 4096L);
    }
  }
}
