package dev.taillight.collector.store;

import static dev.taillight.collector.store.Fixtures.T0;
import static dev.taillight.collector.store.Fixtures.invocation;
import static dev.taillight.collector.store.Fixtures.line;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.Invocation;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same searches as {@link StoreSearchTest}, with every text search taking the path meant for patterns
 * that match many lines (invocations newest first, the full-text index asked per page), which must give the
 * same answers ({@link StoreSearchTest} itself forces the other path, matching lines first).
 */
class StoreSearchInvocationFirstTest extends StoreSearchTest {
  @BeforeAll
  static void everyPatternIsCommon() {
    store.textSearchPlan(Integer.MAX_VALUE, 0, 1);
  }

  @Test
  void matches_spread_over_many_pages_come_newest_first_up_to_the_limit(@TempDir Path other) {
    try (Store s = Store.open(other.resolve("pages.db"))) {
      s.textSearchPlan(1, 0, 1);
      // recorded oldest last, so insertion order differs from start order
      for (int i = 1999; i >= 0; i--) {
        String id = "r-" + i;
        s.onLine(line("f", i % 5, T0 + i * 10L + 1, id, i % 300 == 0 ? "needle " + i : "hay " + i));
        s.onInvocationFinished(invocation("f", id).stream(i % 5).start(T0 + i * 10L).finished(1).build());
      }
      s.flush();

      assertThat(s.search(InvocationQuery.builder().text("needle").limit(4).build()))
          .extracting(Invocation::requestId).containsExactly("r-1800", "r-1500", "r-1200", "r-900");
      assertThat(s.search(InvocationQuery.builder().text("needle").build())).hasSize(7);

      s.textSearchPlan(1, 0, Integer.MAX_VALUE); // one page, then matching lines first: the same answer
      assertThat(s.search(InvocationQuery.builder().text("needle").limit(4).build()))
          .extracting(Invocation::requestId).containsExactly("r-1800", "r-1500", "r-1200", "r-900");
    }
  }
}
