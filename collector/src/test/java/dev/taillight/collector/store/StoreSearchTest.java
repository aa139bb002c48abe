package dev.taillight.collector.store;

import static dev.taillight.collector.store.Fixtures.T0;
import static dev.taillight.collector.store.Fixtures.invocation;
import static dev.taillight.collector.store.Fixtures.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationStatus;
import dev.taillight.collector.LogLine;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every filter against one data set in which each invocation differs from the others in exactly the ways the
 * filters look at, so a filter that ignores its criterion, inverts it or is off by one returns other ids.
 */
class StoreSearchTest {
  @TempDir static Path dir;
  static Store store;

  @BeforeAll
  static void fill() {
    store = Store.open(dir.resolve("search.db"));
    store.textSearchPlan(0, Integer.MAX_VALUE, Integer.MAX_VALUE); // matching lines first; the subclass checks the other plan
    record(invocation("orders-api", "ok-warm").start(T0).finished(100), "order 1234 accepted");
    record(invocation("orders-api", "ok-cold").start(T0 + 1000).cold(800).finished(300),
        "cold path loaded config");
    record(invocation("orders-api", "err").start(T0 + 2000).finished(50).status(InvocationStatus.ERROR)
        .error("CardDeclined", "card declined"), "ERROR payment declined for order-1234");
    record(invocation("payments", "timeout").stream(2).start(T0 + 3000).finished(3000)
        .status(InvocationStatus.TIMEOUT), "WARN slow downstream; payment pending");
    record(invocation("payments", "crash").stream(2).start(T0 + 4000).finished(10).status(InvocationStatus.CRASH),
        "Runtime exited: OutOfMemoryError");
    record(invocation("shipping", "running").stream(3).start(T0 + 5000), "shipping label printing");
    // a line outside any invocation
    store.onLine(line("shipping", 3, T0 + 6000, null, "payment reconciliation idle"));
    store.flush();
  }

  private static void record(Fixtures.InvocationBuilder b, String text) {
    Invocation inv = b.build();
    store.onLine(line(inv.function(), stream(inv), inv.startTime() + 1, inv.requestId(), text));
    if (inv.status().finished()) {
      store.onInvocationFinished(inv);
    } else {
      store.onInvocationStarted(inv);
    }
  }

  private static int stream(Invocation inv) {
    return Integer.parseInt(inv.logStream().substring(inv.logStream().length() - 8), 16);
  }

  @AfterAll
  static void close() {
    store.close();
  }

  private static List<String> ids(UnaryOperator<InvocationQuery.Builder> q) {
    return store.search(q.apply(InvocationQuery.builder()).build()).stream().map(Invocation::requestId).toList();
  }

  @Test
  void everything_newest_first() {
    assertThat(ids(q -> q)).containsExactly("running", "crash", "timeout", "err", "ok-cold", "ok-warm");
  }

  @Test
  void limit_keeps_the_newest() {
    assertThat(ids(q -> q.limit(2))).containsExactly("running", "crash");
  }

  @Test
  void by_functions() {
    assertThat(ids(q -> q.functions("payments"))).containsExactly("crash", "timeout");
    assertThat(ids(q -> q.functions("payments", "shipping"))).containsExactly("running", "crash", "timeout");
    assertThat(ids(q -> q.functions("nope"))).isEmpty();
  }

  @Test
  void by_time_range_from_inclusive_to_exclusive() {
    assertThat(ids(q -> q.from(Instant.ofEpochMilli(T0 + 1000)).to(Instant.ofEpochMilli(T0 + 3000))))
        .containsExactly("err", "ok-cold");
  }

  @Test
  void by_status() {
    assertThat(ids(q -> q.statuses(InvocationStatus.OK))).containsExactly("ok-cold", "ok-warm");
    assertThat(ids(q -> q.statuses(InvocationStatus.RUNNING, InvocationStatus.CRASH)))
        .containsExactly("running", "crash");
  }

  @Test
  void errors_only_includes_timeouts_and_crashes_but_not_running() {
    assertThat(ids(q -> q.errorsOnly())).containsExactly("crash", "timeout", "err");
  }

  @Test
  void timeouts_only() {
    assertThat(ids(q -> q.timeoutsOnly())).containsExactly("timeout");
  }

  @Test
  void cold_and_warm() {
    assertThat(ids(q -> q.coldStart(true))).containsExactly("ok-cold");
    assertThat(ids(q -> q.coldStart(false))).containsExactly("running", "crash", "timeout", "err", "ok-warm");
  }

  @Test
  void duration_bounds_are_inclusive_and_skip_invocations_without_duration() {
    assertThat(ids(q -> q.minDurationMs(300))).containsExactly("timeout", "ok-cold");
    assertThat(ids(q -> q.maxDurationMs(50))).containsExactly("crash", "err");
    assertThat(ids(q -> q.minDurationMs(50).maxDurationMs(100))).containsExactly("err", "ok-warm");
  }

  @Test
  void text_terms_are_all_required() {
    assertThat(ids(q -> q.text("payment declined"))).containsExactly("err");
    assertThat(ids(q -> q.text("payment"))).containsExactly("timeout", "err");
  }

  @Test
  void quoted_phrase_needs_words_in_order() {
    assertThat(ids(q -> q.text("\"payment declined\""))).containsExactly("err");
    assertThat(ids(q -> q.text("\"declined payment\""))).isEmpty();
  }

  @Test
  void excluded_and_optional_terms() {
    assertThat(ids(q -> q.text("payment -declined"))).containsExactly("timeout");
    assertThat(ids(q -> q.text("?ERROR ?WARN"))).containsExactly("timeout", "err");
    assertThat(ids(q -> q.text("payment ?WARN ?nothing"))).containsExactly("timeout");
  }

  @Test
  void terms_match_whole_words_case_insensitively_and_prefix_with_star() {
    assertThat(ids(q -> q.text("error"))).containsExactly("err");
    assertThat(ids(q -> q.text("pay"))).isEmpty();
    assertThat(ids(q -> q.text("pay*"))).containsExactly("timeout", "err");
    assertThat(ids(q -> q.text("OutOfMemoryError"))).containsExactly("crash");
  }

  @Test
  void punctuated_term_matches_its_words_in_sequence() {
    assertThat(ids(q -> q.text("order-1234"))).containsExactly("err", "ok-warm");
    assertThat(ids(q -> q.text("\"order-1234\" declined"))).containsExactly("err");
  }

  @Test
  void text_combines_with_other_filters() {
    assertThat(ids(q -> q.text("payment").timeoutsOnly())).containsExactly("timeout");
    assertThat(ids(q -> q.text("payment").functions("orders-api"))).containsExactly("err");
    assertThat(ids(q -> q.text("payment").from(Instant.ofEpochMilli(T0 + 2500)))).containsExactly("timeout");
    assertThat(ids(q -> q.text("payment").to(Instant.ofEpochMilli(T0 + 2500)))).containsExactly("err");
    assertThat(ids(q -> q.text("payment").from(Instant.ofEpochMilli(T0 + 2001)))).containsExactly("timeout");
  }

  @Test
  void search_lines_includes_lines_outside_invocations_unless_invocation_filters_are_set() {
    List<String> all = store.searchLines(InvocationQuery.builder().text("payment").build()).stream()
        .map(LogLine::text).toList();
    assertThat(all).containsExactly("payment reconciliation idle", "WARN slow downstream; payment pending",
        "ERROR payment declined for order-1234");
    List<String> errors = store.searchLines(InvocationQuery.builder().text("payment").errorsOnly().build())
        .stream().map(LogLine::text).toList();
    assertThat(errors).containsExactly("WARN slow downstream; payment pending",
        "ERROR payment declined for order-1234");
  }

  @Test
  void with_details_loads_lines() {
    List<Invocation> found = store.search(InvocationQuery.builder().text("accepted").withDetails(true).build());
    assertThat(found).singleElement().satisfies(i ->
        assertThat(i.lines()).extracting(LogLine::text).containsExactly("order 1234 accepted"));
    assertThat(store.search(InvocationQuery.builder().text("accepted").build()).get(0).lines()).isEmpty();
  }

  @Test
  void bad_patterns_are_rejected_with_the_reason() {
    assertThatThrownBy(() -> InvocationQuery.builder().text("-declined").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not excluded");
    assertThatThrownBy(() -> InvocationQuery.builder().text("\"open phrase").build())
        .hasMessageContaining("unclosed quote");
    assertThatThrownBy(() -> InvocationQuery.builder().text("{ $.level = \"ERROR\" }").build())
        .hasMessageContaining("not supported");
  }

  @Test
  void fts_keywords_and_quotes_in_terms_are_literal() {
    assertThat(ids(q -> q.text("NOT"))).isEmpty();
    assertThat(ids(q -> q.text("AND OR"))).isEmpty();
    assertThat(ids(q -> q.text("declined\""))).containsExactly("err");
  }
}
