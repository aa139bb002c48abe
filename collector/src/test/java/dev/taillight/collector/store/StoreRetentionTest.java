package dev.taillight.collector.store;

import static dev.taillight.collector.store.Fixtures.T0;
import static dev.taillight.collector.store.Fixtures.invocation;
import static dev.taillight.collector.store.Fixtures.line;
import static dev.taillight.collector.store.Fixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.LogLine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreRetentionTest {
  @TempDir Path dir;

  private static final long DAY = Duration.ofDays(1).toMillis();

  @Test
  void age_limit_deletes_older_lines_invocations_and_spans_and_keeps_the_rest() {
    Clock now = Clock.fixed(Instant.ofEpochMilli(T0 + 10 * DAY), ZoneOffset.UTC);
    try (Store store = Store.builder().path(dir.resolve("age.db")).clock(now).build()) {
      for (int day = 0; day < 10; day++) {
        long t = T0 + day * DAY;
        store.onLine(line("f", 1, t, "r-" + day, "payment on day " + day));
        store.onInvocationFinished(invocation("f", "r-" + day).start(t).finished(5).build());
        store.onSpan(span(String.format("%032x", day + 1), "000000000000000" + day, null, "r-" + day, t, t + 5,
            Map.of()));
      }
      store.flush();

      RetentionResult r = store.applyRetention(new RetentionPolicy(Duration.ofDays(3), 0));

      assertThat(r.linesDeleted()).isEqualTo(7);
      assertThat(r.invocationsDeleted()).isEqualTo(7);
      assertThat(r.spansDeleted()).isEqualTo(7);
      assertThat(store.search(InvocationQuery.all())).extracting(i -> i.requestId())
          .containsExactly("r-9", "r-8", "r-7");
      assertThat(store.searchLines(InvocationQuery.builder().text("payment").build())).extracting(LogLine::text)
          .containsExactly("payment on day 9", "payment on day 8", "payment on day 7");
      assertThat(store.trace(String.format("%032x", 1))).isEmpty();
      assertThat(store.trace(String.format("%032x", 10))).isPresent();
      assertThat(store.functions()).singleElement().extracting(FunctionSummary::events).isEqualTo(3L);
    }
  }

  @Test
  void size_limit_deletes_the_oldest_until_the_file_fits_and_gives_the_space_back() {
    Path file = dir.resolve("size.db");
    long limit;
    try (Store store = Store.open(file)) {
      // lines are stored compressed: random padding keeps the data, not the fixed tables, the bulk of the file
      java.util.Random random = new java.util.Random(42);
      for (int i = 0; i < 6_000; i++) {
        String padding = random.ints(200, 'a', 'z' + 1)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        store.onLine(line("f", i % 7, T0 + i, "r-" + i, "event " + i + " word" + (i % 100) + " " + padding));
      }
      store.flush();
      long before = store.sizeBytes();
      limit = before / 3;

      RetentionResult r = store.applyRetention(new RetentionPolicy(null, limit));

      assertThat(r.bytesBefore()).isEqualTo(before);
      assertThat(r.bytesAfter()).isLessThanOrEqualTo(limit);
      assertThat(store.sizeBytes()).isLessThanOrEqualTo(limit);
      long kept = store.lineCount();
      assertThat(kept).isBetween(300L, 6_000L * 2 / 3);
      assertThat(r.linesDeleted()).isEqualTo(6_000 - kept);
      // the newest survive, the oldest are gone
      assertThat(store.searchLines(InvocationQuery.builder().limit(1).build()).get(0).text())
          .startsWith("event 5999 ");
      assertThat(store.searchLines(InvocationQuery.builder().text("\"event 0\"").build())).isEmpty();
    }
    // returned to the file system, not just marked free (closing folds the WAL back into the file)
    assertThat(file.toFile().length()).isLessThanOrEqualTo(limit);
  }

  @Test
  void no_policy_deletes_nothing() {
    try (Store store = Store.open(dir.resolve("none.db"))) {
      store.onLine(line("f", 1, 1, "r", "ancient"));
      store.flush();
      assertThat(store.applyRetention(RetentionPolicy.NONE).linesDeleted()).isZero();
      assertThat(store.lineCount()).isEqualTo(1);
    }
  }

  @Test
  void policy_given_when_opening_is_applied() {
    Path file = dir.resolve("open.db");
    try (Store store = Store.open(file)) {
      store.onLine(line("f", 1, T0, "r", "old"));
      store.onLine(line("f", 1, T0 + 5 * DAY, "r2", "new"));
    }
    Clock now = Clock.fixed(Instant.ofEpochMilli(T0 + 6 * DAY), ZoneOffset.UTC);
    try (Store store = Store.builder().path(file).clock(now)
        .retention(new RetentionPolicy(Duration.ofDays(2), 0)).build()) {
      store.flush(); // queued behind the retention pass
      assertThat(store.searchLines(InvocationQuery.all())).extracting(LogLine::text).containsExactly("new");
    }
  }
}
