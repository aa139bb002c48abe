package dev.taillight.collector.store;

import static dev.taillight.collector.store.Fixtures.T0;
import static dev.taillight.collector.store.Fixtures.invocation;
import static dev.taillight.collector.store.Fixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.SpanData;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lookups by request id, trace id and a span's invocation use the integer-key indexes of schema version 4; an
 * invocation's lines are found through the stream and time index of the blocks.
 */
class StoreQueryPlanTest {
  @TempDir Path dir;

  private static String plan(Connection c, String sql) throws Exception {
    List<String> steps = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
      while (rs.next()) {
        steps.add(rs.getString("detail"));
      }
    }
    return String.join("; ", steps);
  }

  /** An X-Ray-like trace id: start time in seconds, then random digits. */
  private static String trace(int i) {
    long r = (i + 1) * 0x9E3779B97F4A7C15L;
    return String.format("%08x%08x%016x", T0 / 1000 + i, (int) (r >>> 17), r ^ (r >>> 29));
  }

  @Test
  void lookups_search_the_key_indexes() throws Exception {
    Path file = dir.resolve("t.db");
    try (Store store = Store.open(file)) {
      for (int i = 0; i < 300; i++) { // enough rows for the planner's statistics (PRAGMA optimize on close)
        store.onInvocationFinished(invocation("orders", "r-" + i).start(T0 + i).finished(3)
            .trace(trace(i)).build());
        store.onSpan(span(trace(i), String.format("%016x", i + 1), null, "r-" + i, T0 + i,
            T0 + i + 2, Map.of()));
      }
      store.flush();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      assertThat(plan(c, Store.INVOCATIONS_BY_REQUEST)).contains("USING INDEX invocations_req (rh=?)");
      assertThat(plan(c, Store.invocationsByRequests(3))).contains("USING INDEX invocations_req (rh=?)");
      assertThat(plan(c, Store.INVOCATION_EXISTS)).contains("USING INDEX invocations_req (rh=?)");
      assertThat(plan(c, Store.INVOCATIONS_BY_TRACE)).contains("USING INDEX invocations_trace (th=?)");
      assertThat(plan(c, "SELECT i.req FROM invocations i WHERE 1 = 1 AND i.th = ? AND i.trace = ?"
          + " ORDER BY i.start_ts DESC LIMIT ?")).contains("USING INDEX invocations_trace (th=?)");
      assertThat(plan(c, Store.SPANS_BY_TRACE)).contains("USING INDEX spans_trace (th=?)");
      assertThat(plan(c, Store.SPANS_BY_INVOCATION)).contains("USING INDEX spans_inv (ih=?)");
      assertThat(plan(c, Store.BLOCKS_OF_STREAM)).contains("USING INDEX blocks_stream (grp=? AND stream=? AND max_ts>?)");
      assertThat(plan(c, "SELECT id FROM invocations WHERE rh IN (?, ?)")).contains("INDEX invocations_req (rh=?)");
      assertThat(plan(c, "SELECT id FROM spans WHERE th IN (?, ?)")).contains("INDEX spans_trace (th=?)");
    }
  }

  @Test
  void ids_that_share_a_key_stay_apart() {
    // these two trace ids share a key (the same bit flipped in both halves of the last 16 digits cancels out)
    String a = "5759e988bd862e3fe1be46a994272793";
    String b = "5759e988bd862e3fe1be46a894272792";
    assertThat(RowKeys.trace(a)).isEqualTo(RowKeys.trace(b));
    try (Store store = Store.open(dir.resolve("k.db"))) {
      Invocation ia = invocation("orders", "r-a").finished(3).trace(a).build();
      Invocation ib = invocation("orders", "r-b").finished(4).trace(b).build();
      SpanData sa = span(a, "53995c3f42cd8ad8", null, "r-a", T0, T0 + 3, Map.of());
      SpanData sb = span(b, "53995c3f42cd8ad8", null, "r-b", T0, T0 + 4, Map.of()); // same span id, other trace
      store.onInvocationFinished(ia);
      store.onSpan(sa);
      store.flush();
      store.onInvocationFinished(ib);
      store.onSpan(sb);
      store.flush();

      assertThat(store.trace(a).orElseThrow().spans()).containsExactly(sa);
      assertThat(store.trace(b).orElseThrow().spans()).containsExactly(sb);
      assertThat(store.trace(a).orElseThrow().invocations()).extracting(Invocation::requestId).containsExactly("r-a");
      assertThat(store.search(InvocationQuery.builder().traceId(b).build())).extracting(Invocation::requestId)
          .containsExactly("r-b");
    }
  }
}
