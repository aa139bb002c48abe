package dev.taillight.collector.store;

import static dev.taillight.collector.store.Fixtures.T0;
import static dev.taillight.collector.store.Fixtures.invocation;
import static dev.taillight.collector.store.Fixtures.line;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.LineKind;
import dev.taillight.collector.LogLine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines are stored packed in blocks (per log stream, per write batch): what a reader sees must not depend on
 * where block boundaries fall, and each event is stored once whichever session or process recorded it first.
 */
class StoreBlocksTest {
  @TempDir Path dir;

  private static List<LogLine> lines(String fn, int stream, String requestId, int from, int to) {
    List<LogLine> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(line(fn, stream, T0 + i, requestId, "line " + i + " of " + requestId));
    }
    return out;
  }

  private static long blockCount(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM blocks")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void an_invocation_longer_than_a_block_comes_back_whole_and_in_order() throws Exception {
    Path file = dir.resolve("long.db");
    List<LogLine> all = lines("f", 1, "r-long", 0, Blocks.MAX_LINES * 2 + 10);
    try (Store store = Store.open(file)) {
      List<LogLine> shuffled = new ArrayList<>(all);
      Collections.shuffle(shuffled, new java.util.Random(7));
      shuffled.forEach(store::onLine);
      store.onInvocationFinished(invocation("f", "r-long").finished(5000).build());
      store.flush();

      assertThat(blockCount(file)).isEqualTo(3);
      assertThat(store.lineCount()).isEqualTo(all.size());
      assertThat(store.invocation("r-long").orElseThrow().lines()).containsExactlyElementsOf(all);
      // newest first across the block boundary
      assertThat(store.searchLines(InvocationQuery.builder().limit(3).build()))
          .containsExactly(all.get(all.size() - 1), all.get(all.size() - 2), all.get(all.size() - 3));
      assertThat(store.searchLines(InvocationQuery.builder().text("\"line 1024\"").build()))
          .containsExactly(all.get(1024));
    }
  }

  @Test
  void lines_recorded_in_several_batches_join_in_time_order_and_repeats_across_batches_are_dropped() {
    try (Store store = Store.open(dir.resolve("batches.db"))) {
      List<LogLine> all = lines("f", 1, "r-1", 0, 30);
      // three batches that overlap in time: later events first, then earlier ones, then everything again
      all.subList(10, 30).forEach(store::onLine);
      store.flush();
      all.subList(0, 15).forEach(store::onLine);
      store.flush();
      all.forEach(store::onLine);
      store.onInvocationFinished(invocation("f", "r-1").finished(40).build());
      store.flush();

      assertThat(store.lineCount()).isEqualTo(30);
      assertThat(store.invocation("r-1").orElseThrow().lines()).containsExactlyElementsOf(all);
      assertThat(store.functions()).singleElement().extracting(FunctionSummary::events).isEqualTo(30L);
    }
  }

  @Test
  void a_new_event_with_the_timestamp_of_a_stored_one_is_kept_and_the_stored_one_is_not_repeated() {
    try (Store store = Store.open(dir.resolve("same-ms.db"))) {
      LogLine first = line("f", 1, T0, "r-1", "first");
      store.onLine(first);
      store.flush();
      LogLine second = line("f", 1, T0, "r-1", "second in the same millisecond");
      store.onLine(first);
      store.onLine(second);
      store.flush();

      assertThat(store.searchLines(InvocationQuery.all())).extracting(LogLine::text)
          .containsExactlyInAnyOrder("first", "second in the same millisecond");
      assertThat(store.lineCount()).isEqualTo(2);
    }
  }

  @Test
  void two_stores_on_one_file_recording_overlapping_events_store_each_once() throws Exception {
    Path file = dir.resolve("two.db");
    List<LogLine> all = lines("f", 3, "r-1", 0, 3000);
    try (Store a = Store.open(file); Store b = Store.open(file)) {
      Thread ta = new Thread(() -> {
        for (int i = 0; i < 2000; i++) {
          a.onLine(all.get(i));
          if (i % 250 == 0) {
            a.flush();
          }
        }
        a.flush();
      });
      Thread tb = new Thread(() -> {
        for (int i = 2999; i >= 1000; i--) {
          b.onLine(all.get(i));
          if (i % 250 == 0) {
            b.flush();
          }
        }
        b.flush();
      });
      ta.start();
      tb.start();
      ta.join();
      tb.join();
      a.onInvocationFinished(invocation("f", "r-1").stream(3).finished(3000).build());
      a.flush();

      assertThat(b.lineCount()).isEqualTo(3000);
      assertThat(b.invocation("r-1").orElseThrow().lines()).containsExactlyElementsOf(all);
      assertThat(b.functions()).singleElement().extracting(FunctionSummary::events).isEqualTo(3000L);
    }
    // a later session (nothing cached) recording the same events again stores nothing new
    try (Store c = Store.open(file)) {
      all.forEach(c::onLine);
      c.flush();
      assertThat(c.lineCount()).isEqualTo(3000);
    }
  }

  @Test
  void text_search_checks_each_line_not_the_whole_block() {
    try (Store store = Store.open(dir.resolve("per-line.db"))) {
      // one block holds all four lines; words that are only together in the block, not in one line, never match
      store.onLine(line("f", 1, T0, "r-1", "payment accepted"));
      store.onLine(line("f", 1, T0 + 1, "r-1", "retry scheduled"));
      store.onLine(line("f", 1, T0 + 2, "r-2", "declined by bank"));
      store.onLine(line("f", 1, T0 + 3, "r-2", LineKind.SPAN, "{\"payment\":\"declined\"}"));
      store.onInvocationFinished(invocation("f", "r-1").finished(1).build());
      store.onInvocationFinished(invocation("f", "r-2").start(T0 + 2).finished(1).build());
      store.flush();

      assertThat(ids(store, "payment -retry")).containsExactly("r-1");
      assertThat(ids(store, "payment retry")).isEmpty();
      assertThat(ids(store, "\"accepted retry\"")).isEmpty();
      assertThat(ids(store, "payment declined")).isEmpty(); // the span line is not searched
      assertThat(ids(store, "?bank ?scheduled")).containsExactly("r-2", "r-1");
      assertThat(store.searchLines(InvocationQuery.builder().text("retry -payment").build()))
          .extracting(LogLine::text).containsExactly("retry scheduled");
    }
  }

  @Test
  void words_match_regardless_of_case_and_latin_accents_like_the_full_text_index() {
    try (Store store = Store.open(dir.resolve("words.db"))) {
      store.onLine(line("f", 1, T0, "r-1", "Café RÉSUMÉ naïve_path=/tmp/x.log"));
      store.onInvocationFinished(invocation("f", "r-1").finished(1).build());
      store.flush();

      assertThat(ids(store, "cafe")).containsExactly("r-1");
      assertThat(ids(store, "résumé")).containsExactly("r-1");
      assertThat(ids(store, "\"naive path\"")).containsExactly("r-1");
      assertThat(ids(store, "x.log")).containsExactly("r-1");
      assertThat(ids(store, "log.x")).isEmpty();
    }
  }

  @Test
  void text_search_over_many_blocks_returns_exactly_the_newest_matches() {
    try (Store store = Store.open(dir.resolve("many.db"))) {
      store.textSearchPlan(0, Integer.MAX_VALUE, Integer.MAX_VALUE); // matching blocks first, newest first
      // 300 invocations in 3 streams, a block per stream per flush; invocation i starts 1 s after i - 1; its
      // matching line comes 0.5 s before its start (clock skew) and some match only minutes later
      for (int i = 0; i < 300; i++) {
        String id = "r-" + i;
        long start = T0 + i * 1000L;
        long at = i % 7 == 0 ? start + 5 * 60_000 : start - 500;
        store.onLine(line("f", i % 3, at, id, i % 2 == 0 ? "needle " + i : "hay " + i));
        store.onInvocationFinished(invocation("f", id).stream(i % 3).start(start).finished(1).build());
        if (i % 3 == 2) {
          store.flush();
        }
      }
      store.flush();

      List<String> expected = new ArrayList<>();
      for (int i = 298; i >= 0; i -= 2) {
        expected.add("r-" + i);
      }
      assertThat(ids(store, "needle")).containsExactlyElementsOf(expected.subList(0, 100));
      assertThat(store.search(InvocationQuery.builder().text("needle").limit(7).build()))
          .extracting(Invocation::requestId).containsExactlyElementsOf(expected.subList(0, 7));
      assertThat(store.search(InvocationQuery.builder().text("needle").limit(1000).build())).hasSize(150);
      assertThat(store.search(InvocationQuery.builder().text("needle").errorsOnly().build())).isEmpty();
    }
  }

  private static List<String> ids(Store store, String text) {
    return store.search(InvocationQuery.builder().text(text).build()).stream().map(Invocation::requestId).toList();
  }

  @Test
  void age_retention_cuts_inside_a_block_and_keeps_its_younger_lines() throws Exception {
    Path file = dir.resolve("cut.db");
    long day = Duration.ofDays(1).toMillis();
    Clock now = Clock.fixed(Instant.ofEpochMilli(T0 + 10 * day), ZoneOffset.UTC);
    try (Store store = Store.builder().path(file).clock(now).build()) {
      List<LogLine> all = new ArrayList<>();
      for (int d = 0; d < 10; d++) {
        all.add(line("f", 1, T0 + d * day + 5, "r-" + d, "needle on day " + d));
        all.add(line("g", 2, T0 + d * day + 6, "g-" + d, "other needle on day " + d));
      }
      all.forEach(store::onLine);
      store.flush();
      assertThat(blockCount(file)).isEqualTo(2); // one per stream, each holding all ten days

      RetentionResult r = store.applyRetention(new RetentionPolicy(Duration.ofDays(4), 0));

      assertThat(r.linesDeleted()).isEqualTo(12);
      assertThat(store.lineCount()).isEqualTo(8);
      assertThat(store.searchLines(InvocationQuery.builder().text("needle").functions("f").build()))
          .extracting(LogLine::text)
          .containsExactly("needle on day 9", "needle on day 8", "needle on day 7", "needle on day 6");
      assertThat(store.functions()).extracting(FunctionSummary::events).containsExactly(4L, 4L);
      // a line deleted by retention that is read again is stored again (as an event never seen)
      store.onLine(all.get(0));
      store.flush();
      assertThat(store.lineCount()).isEqualTo(9);

      RetentionResult all10 = store.applyRetention(new RetentionPolicy(Duration.ofMillis(1), 0));
      assertThat(all10.linesDeleted()).isEqualTo(9);
      assertThat(blockCount(file)).isZero();
      assertThat(store.searchLines(InvocationQuery.builder().text("needle").build())).isEmpty();
    }
  }
}
