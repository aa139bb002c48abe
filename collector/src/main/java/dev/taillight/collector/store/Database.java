package dev.taillight.collector.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import org.sqlite.SQLiteConfig;

/**
 * Opens connections to the index file, checks that it is a Taillight index this version can read, and brings
 * its schema up to date.
 *
 * <p>Safe when several processes open the same file: the schema is created or migrated inside an {@code
 * BEGIN IMMEDIATE} transaction that re-reads the version, the journal is WAL (readers never block the
 * writer), and every connection waits up to the busy timeout for another process's write to finish.
 */
final class Database {
  private Database() {}

  /** WAL pages (4 KB) after which a commit checkpoints: 64 MB. */
  static final int WAL_AUTOCHECKPOINT_PAGES = 16_384;

  private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  /** Opens the writing connection: checks the file, sets pragmas, migrates. */
  static Connection openWriter(Path path, Duration busyTimeout) {
    checkFile(path);
    Connection c = connect(path, busyTimeout);
    try {
      try (Statement s = c.createStatement()) {
        int version = intPragma(s, "user_version");
        int appId = intPragma(s, "application_id");
        checkVersion(path, version, appId, s);
        if (version == 0) {
          s.execute("PRAGMA auto_vacuum = INCREMENTAL"); // only takes effect before the first table exists
        }
        String mode = string(s, "PRAGMA journal_mode = WAL");
        if (!"wal".equalsIgnoreCase(mode)) {
          throw new StoreException("Cannot switch the Taillight index at " + path
              + " to WAL mode (journal mode is " + mode + "); is it on a network file system?");
        }
        s.execute("PRAGMA synchronous = NORMAL");
        s.execute("PRAGMA cache_size = -65536"); // 64 MB: random-order index pages (request ids, trace ids)
        s.execute("PRAGMA temp_store = MEMORY");
        // checkpoints (copying the WAL into the file) run on a thread of their own (see Checkpointer); the
        // automatic one in the writer's commit only bounds the WAL, at 64 MB instead of SQLite's 4 MB
        s.execute("PRAGMA wal_autocheckpoint = " + WAL_AUTOCHECKPOINT_PAGES);
        // when the log starts over (see Checkpointer), its file is cut back to 64 MB if it grew beyond
        s.execute("PRAGMA journal_size_limit = " + (WAL_AUTOCHECKPOINT_PAGES * 4096L));
        migrate(path, s);
      }
      return c;
    } catch (SQLException e) {
      closeQuietly(c);
      throw unreadable(path, e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** Opens a reading connection to an index that {@link #openWriter} has already checked. */
  static Connection openReader(Path path, Duration busyTimeout) {
    Connection c = connect(path, busyTimeout);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA cache_size = -16384");
      s.execute("PRAGMA temp_store = MEMORY");
      return c;
    } catch (SQLException e) {
      closeQuietly(c);
      throw unreadable(path, e);
    }
  }

  private static Connection connect(Path path, Duration busyTimeout) {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
    try {
      return config.createConnection("jdbc:sqlite:" + path.toAbsolutePath());
    } catch (SQLException e) {
      throw unreadable(path, e);
    }
  }

  /** Rejects, before SQLite sees it, a file that is not an SQLite database at all. */
  private static void checkFile(Path path) {
    Path dir = path.toAbsolutePath().getParent();
    try {
      if (dir != null) {
        Files.createDirectories(dir);
      }
    } catch (IOException e) {
      throw new StoreException("Cannot create the directory " + dir + " for the Taillight index: " + e
          + ". Set TAILLIGHT_HOME to a writable directory.", e);
    }
    if (!Files.exists(path)) {
      return;
    }
    if (Files.isDirectory(path)) {
      throw new StoreException("The Taillight index path " + path + " is a directory, not a file.");
    }
    byte[] head = new byte[MAGIC.length];
    int n;
    try (InputStream in = Files.newInputStream(path)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new StoreException("Cannot read the Taillight index " + path + ": " + e, e);
    }
    if (n == 0) {
      return; // an empty file becomes a new index
    }
    if (n < MAGIC.length || !Arrays.equals(head, MAGIC)) {
      throw notOurs(path, "it is not an SQLite database (damaged, or some other file)");
    }
  }

  private static void checkVersion(Path path, int version, int appId, Statement s) throws SQLException {
    if (appId != 0 && appId != Schema.APPLICATION_ID) {
      throw notOurs(path, "it is an SQLite database of another application (application_id " + appId + ")");
    }
    if (appId == 0 && version == 0) {
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
        if (rs.next() && rs.getInt(1) > 0) {
          throw notOurs(path, "it is an SQLite database of another application (it has tables Taillight did not"
              + " create)");
        }
      }
    }
    if (version > Schema.currentVersion()) {
      throw new StoreException("The Taillight index " + path + " was written by a newer version of Taillight"
          + " (schema version " + version + "; this version reads up to " + Schema.currentVersion()
          + "). Upgrade taillight, or set TAILLIGHT_HOME to another directory to keep a separate index.");
    }
  }

  private static void migrate(Path path, Statement s) throws SQLException {
    if (intPragma(s, "user_version") == Schema.currentVersion()) {
      return;
    }
    s.execute("BEGIN IMMEDIATE");
    boolean done = false;
    try {
      int version = intPragma(s, "user_version"); // another process may have migrated meanwhile
      if (version > Schema.currentVersion()) {
        checkVersion(path, version, Schema.APPLICATION_ID, s);
      }
      for (int v = version; v < Schema.currentVersion(); v++) {
        Schema.MIGRATIONS.get(v).apply(s.getConnection(), s);
      }
      s.execute("PRAGMA user_version = " + Schema.currentVersion());
      s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
      s.execute("COMMIT");
      done = true;
      if (version > 0) {
        s.executeUpdate("PRAGMA incremental_vacuum"); // give back the pages of what the migration dropped
      }
    } finally {
      if (!done) {
        s.execute("ROLLBACK");
      }
    }
  }

  static StoreException unreadable(Path path, SQLException e) {
    String msg = String.valueOf(e.getMessage());
    if (msg.contains("SQLITE_NOTADB") || msg.contains("SQLITE_CORRUPT") || msg.contains("malformed")) {
      return notOurs(path, "SQLite reports it as damaged (" + msg + ")");
    }
    if (msg.contains("SQLITE_CANTOPEN") || msg.contains("SQLITE_READONLY") || msg.contains("SQLITE_PERM")) {
      return new StoreException("Cannot open the Taillight index " + path + " for writing (" + msg
          + "). Check the file's permissions, or set TAILLIGHT_HOME to a writable directory.", e);
    }
    if (msg.contains("SQLITE_BUSY") || msg.contains("SQLITE_LOCKED")) {
      return new StoreException("The Taillight index " + path + " stayed locked by another process (" + msg
          + "). Another taillight may be running a long operation; try again.", e);
    }
    return new StoreException("Cannot use the Taillight index " + path + ": " + msg, e);
  }

  private static StoreException notOurs(Path path, String why) {
    return new StoreException("The file " + path + " is not a usable Taillight index: " + why
        + ". Move it aside (e.g. mv '" + path + "' '" + path + ".bad') and taillight will create a new one,"
        + " or set TAILLIGHT_HOME to use another directory.");
  }

  static int intPragma(Statement s, String name) throws SQLException {
    try (ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  static long longQuery(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static String string(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing after a failure; the first error is the one reported
    }
  }
}
