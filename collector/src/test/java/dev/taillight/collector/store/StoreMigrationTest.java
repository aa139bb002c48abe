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

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

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
      s.execute("INSERT INTO spans (trace, span, parent, name, kind, start_ns, end_ns, status_code, status_msg,"
          + " service, attrs, events, links, grp, stream, inv, warn) VALUES ('" + TRACE + "', '00f067aa0ba902b7',"
          + " NULL, 'orders', 'SERVER', " + T0 * 1_000_000 + ", " + (T0 + 3) * 1_000_000 + ", 'UNSET', NULL,"
          + " 'orders', '{\"faas.invocation_id\":\"r-json\"}', '[]', '[]', '/aws/lambda/orders', NULL, 'r-json', 0)");
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
      assertThat(store.trace(TRACE).orElseThrow().invocations()).singleElement().satisfies(i -> {
        assertThat(i.requestId()).isEqualTo("r-json");
        assertThat(i.spans()).extracting(dev.taillight.collector.SpanData::spanId).containsExactly("00f067aa0ba902b7");
        assertThat(i.lines()).containsExactly(json, start);
      });

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

  @Test
  void a_version_2_index_with_blocks_in_one_part_is_read_and_upgraded() throws Exception {
    Path file = dir.resolve("v2.db");
    List<LogLine> lines = List.of(
        line("orders", 1, T0, "r-1", LineKind.PLATFORM, "START RequestId: r-1"),
        new LogLine(new RawEvent("/aws/lambda/orders", Fixtures.stream(1), T0 + 1, T0 + 20, "e-json",
            "{\"level\":\"ERROR\",\"message\":\"card declined\"}"), "orders", LineKind.APP, "ERROR", "r-1",
            "card declined"),
        line("orders", 1, T0 + 2, null, "between invocations"));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("PRAGMA auto_vacuum = INCREMENTAL");
      s.execute("PRAGMA journal_mode = WAL");
      s.execute("BEGIN");
      Schema.MIGRATIONS.get(0).apply(c, s);
      // the tables of schema version 2 as first written: a block was one compressed part (format 1)
      s.execute("CREATE TABLE blocks (id INTEGER PRIMARY KEY AUTOINCREMENT, grp INTEGER NOT NULL,"
          + " stream INTEGER NOT NULL, fn INTEGER NOT NULL, min_ts INTEGER NOT NULL, max_ts INTEGER NOT NULL,"
          + " n INTEGER NOT NULL, reqs BLOB, data BLOB NOT NULL)");
      s.execute("CREATE INDEX blocks_stream ON blocks (grp, stream, max_ts)");
      s.execute("CREATE INDEX blocks_time ON blocks (max_ts)");
      s.execute("CREATE TABLE block_reqs (rh INTEGER NOT NULL, blk INTEGER NOT NULL, PRIMARY KEY (rh, blk))"
          + " WITHOUT ROWID");
      s.execute("CREATE VIRTUAL TABLE blocks_fts USING fts5 (msg, content='', contentless_delete=1, detail=none)");
      s.execute("DROP TABLE lines");
      s.execute("INSERT INTO names (id, kind, name) VALUES (1, 0, '/aws/lambda/orders'), (2, 1, '"
          + Fixtures.stream(1) + "'), (3, 2, 'orders')");
      try (PreparedStatement p = c.prepareStatement("INSERT INTO blocks (id, grp, stream, fn, min_ts, max_ts, n,"
          + " reqs, data) VALUES (1, 1, 2, 3, ?, ?, 3, ?, ?)")) {
        p.setLong(1, T0);
        p.setLong(2, T0 + 2);
        p.setBytes(3, java.nio.ByteBuffer.allocate(8).putLong(Codec.requestHash("r-1")).array());
        p.setBytes(4, format1(lines));
        p.executeUpdate();
      }
      s.execute("INSERT INTO block_reqs VALUES (" + Codec.requestHash("r-1") + ", 1)");
      s.execute("INSERT INTO blocks_fts (rowid, msg) VALUES (1, 'level error message card declined between"
          + " invocations')");
      s.execute("PRAGMA user_version = 2");
      s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
      s.execute("COMMIT");
    }

    try (Store store = Store.open(file)) {
      store.onInvocationFinished(invocation("orders", "r-1").finished(2).build());
      store.flush();
      assertThat(store.invocation("r-1").orElseThrow().lines()).containsExactlyElementsOf(lines.subList(0, 2));
      assertThat(store.searchLines(InvocationQuery.builder().text("declined").build())).containsExactly(lines.get(1));
      assertThat(store.search(InvocationQuery.builder().text("card").build())).extracting(Invocation::requestId)
          .containsExactly("r-1");
      lines.forEach(store::onLine); // already stored
      store.onLine(line("orders", 1, T0 + 3, null, "new after the upgrade"));
      store.flush();
      assertThat(store.lineCount()).isEqualTo(4);
      assertThat(store.searchLines(InvocationQuery.all())).extracting(LogLine::text)
          .containsExactly("new after the upgrade", "between invocations", "card declined", "START RequestId: r-1");
    }
  }

  /** A block in the first layout: one deflated part, columns in the order that version wrote them. */
  private static byte[] format1(List<LogLine> lines) {
    java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
    java.util.function.LongConsumer varint = v -> {
      while ((v & ~0x7FL) != 0) {
        raw.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      raw.write((int) v);
    };
    java.util.function.LongConsumer zigzag = v -> varint.accept((v << 1) ^ (v >> 63));
    java.util.function.Consumer<String> string = t -> {
      byte[] b = t.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      varint.accept(b.length);
      raw.writeBytes(b);
    };
    java.util.function.Consumer<String> nullable = t -> {
      if (t == null) {
        varint.accept(0);
      } else {
        byte[] b = t.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        varint.accept(b.length + 1L);
        raw.writeBytes(b);
      }
    };
    varint.accept(1);
    varint.accept(lines.size());
    long prev = lines.get(0).timestamp();
    zigzag.accept(prev);
    for (int i = 1; i < lines.size(); i++) {
      zigzag.accept(lines.get(i).timestamp() - prev);
      prev = lines.get(i).timestamp();
    }
    lines.forEach(l -> string.accept(l.event().eventId()));
    lines.forEach(l -> zigzag.accept(l.event().ingestionTime() - l.timestamp()));
    lines.forEach(l -> varint.accept(Codec.kindCode(l)));
    lines.forEach(l -> nullable.accept(l.level()));
    varint.accept(1);
    string.accept("r-1");
    lines.forEach(l -> varint.accept(l.requestId() == null ? 0 : 1));
    lines.forEach(l -> string.accept(l.event().message()));
    lines.forEach(l -> nullable.accept(l.text().equals(l.event().message()) ? null : l.text()));
    byte[] bytes = raw.toByteArray();
    java.util.zip.Deflater d = new java.util.zip.Deflater();
    d.setInput(bytes);
    d.finish();
    byte[] out = new byte[bytes.length + 64];
    int n = d.deflate(out);
    d.end();
    byte[] block = new byte[n + 4];
    java.nio.ByteBuffer.wrap(block).putInt(bytes.length);
    System.arraycopy(out, 0, block, 4, n);
    return block;
  }
}
