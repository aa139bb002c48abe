package dev.taillight.collector.store;

import static dev.taillight.collector.store.Fixtures.T0;
import static dev.taillight.collector.store.Fixtures.invocation;
import static dev.taillight.collector.store.Fixtures.line;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.LineKind;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.RawEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An index written by a version with the schema version 1 (one row per line) is converted when opened. */
class StoreMigrationTest {
  @TempDir Path dir;

  /** Writes a schema-1 index the way that version did: its tables, one row per line, names by id. */
  private static void writeVersion1(Path file, List<LogLine> lines) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("PRAGMA auto_vacuum = INCREMENTAL");
      s.execute("PRAGMA journal_mode = WAL");
      s.execute("BEGIN");
      Schema.MIGRATIONS.get(0).apply(c, s);
      Map<String, Long> names = new HashMap<>();
      try (PreparedStatement name = c.prepareStatement("INSERT INTO names (kind, name) VALUES (?, ?)");
          PreparedStatement ins = c.prepareStatement("INSERT OR IGNORE INTO lines (ts, dk, grp, stream, fn, ingest,"
              + " eid, kind, level, rh, req, msg, txt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (LogLine l : lines) {
          RawEvent e = l.event();
          long[] ids = new long[3];
          String[] n = {e.logGroup(), e.logStream(), l.function()};
          for (int k = 0; k < 3; k++) {
            String key = k + n[k];
            if (!names.containsKey(key)) {
              name.setInt(1, k);
              name.setString(2, n[k]);
              name.executeUpdate();
              names.put(key, (long) names.size() + 1);
            }
            ids[k] = names.get(key);
          }
          ins.setLong(1, e.timestamp());
          ins.setLong(2, Codec.hash(e.logGroup(), e.eventId()));
          ins.setLong(3, ids[0]);
          ins.setLong(4, ids[1]);
          ins.setLong(5, ids[2]);
          ins.setLong(6, e.ingestionTime());
          ins.setString(7, e.eventId());
          ins.setInt(8, Codec.kindCode(l));
          ins.setString(9, l.level());
          if (l.requestId() == null) {
            ins.setNull(10, java.sql.Types.BIGINT);
            ins.setNull(11, java.sql.Types.VARCHAR);
          } else {
            ins.setLong(10, Codec.requestHash(l.requestId()));
            ins.setString(11, l.requestId());
          }
          ins.setString(12, e.message());
          ins.setString(13, l.text().equals(e.message()) ? null : l.text());
          ins.executeUpdate();
        }
      }
      s.execute("INSERT INTO functions (id, grp, events, last_ts) SELECT fn, NULL, count(*), max(ts) FROM lines"
          + " GROUP BY fn");
      s.execute("PRAGMA user_version = 1");
      s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
      s.execute("COMMIT");
    }
  }

  @Test
  void a_version_1_index_is_converted_with_every_line_searchable_and_deduplicated() throws Exception {
    Path file = dir.resolve("v1.db");
    List<LogLine> lines = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      String req = "r-" + (i / 10);
      int stream = i / 10 % 3;
      lines.add(line("orders", stream, T0 + i, req, "order " + i + (i == 1234 ? " needle" : " hay")));
    }
    LogLine json = new LogLine(new RawEvent("/aws/lambda/orders", Fixtures.stream(0), T0 + 5000, T0 + 5100,
        "37511023956011473048225475127232318462604218553766494208", "{\"level\":\"WARN\",\"message\":\"slow\"}"),
        "orders", LineKind.APP, "WARN", "r-json", "slow");
    LogLine outside = line("orders", 1, T0 + 6000, null, "init phase line");
    LogLine start = line("orders", 0, T0 + 5000, "r-json", LineKind.PLATFORM, "START RequestId: r-json");
    lines.add(json);
    lines.add(outside);
    lines.add(start);
    writeVersion1(file, lines);

    try (Store store = Store.open(file)) {
      store.onInvocationFinished(invocation("orders", "r-json").stream(0).start(T0 + 5000).finished(3).build());
      store.onInvocationFinished(invocation("orders", "r-123").stream(123 % 3).start(T0 + 1230).finished(3).build());
      store.flush();

      assertThat(store.lineCount()).isEqualTo(lines.size());
      assertThat(store.invocation("r-json").orElseThrow().lines()).containsExactly(json, start); // same ms: recorded order
      assertThat(store.invocation("r-123").orElseThrow().lines()).containsExactlyElementsOf(lines.subList(1230, 1240));
      assertThat(store.search(InvocationQuery.builder().text("needle").build())).extracting(Invocation::requestId)
          .containsExactly("r-123");
      assertThat(store.searchLines(InvocationQuery.builder().text("init").build())).containsExactly(outside);
      assertThat(store.searchLines(InvocationQuery.builder().text("RequestId").build())).isEmpty();
      assertThat(store.functions()).singleElement().extracting(FunctionSummary::events)
          .isEqualTo((long) lines.size());

      // the converted lines count as stored: reading them again adds nothing
      lines.forEach(store::onLine);
      store.flush();
      assertThat(store.lineCount()).isEqualTo(lines.size());
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
        assertThat(rs.getInt(1)).isEqualTo(Schema.currentVersion());
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name LIKE 'lines%'")) {
        assertThat(rs.getInt(1)).isZero();
      }
    }
  }
}
