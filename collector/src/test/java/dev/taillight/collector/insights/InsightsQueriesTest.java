package dev.taillight.collector.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class InsightsQueriesTest {
  private static final String HEAD = "fields @timestamp, @message, @logStream, @log, @requestId\n| filter ";
  private static final String TAIL = "\n| sort @timestamp desc\n| limit 10000";

  private static String query(SearchCriteria c) {
    return InsightsQueries.queryString(c, InsightsQueries.MAX_ROWS);
  }

  private static SearchCriteria text(String t) {
    return new SearchCriteria(t, false, false, null, null, null);
  }

  @Test
  void no_criteria_selects_every_report_line_text_or_json() {
    assertThat(query(SearchCriteria.all())).isEqualTo(HEAD
        + "@message like /^REPORT RequestId:|\"type\":\"platform\\.report\"/" + TAIL);
  }

  @Test
  void words_and_phrases_become_case_insensitive_regexes_one_per_term() {
    assertThat(query(text("\"payment declined\" card-42 Order*"))).isEqualTo(HEAD
        + "@message like /(?i)payment[^a-z0-9]+declined/ and @message like /(?i)card[^a-z0-9]+42/"
        + " and @message like /(?i)order/" + TAIL);
  }

  @Test
  void optional_terms_share_one_alternation_and_excluded_terms_are_whole_words() {
    assertThat(query(text("?ERROR ?WARN -retry -\"dead letter\" -heart*"))).isEqualTo(HEAD
        + "@message like /(?i)error|warn/"
        + " and @message not like /(?i)(^|[^a-z0-9])retry([^a-z0-9]|$)/"
        + " and @message not like /(?i)(^|[^a-z0-9])dead[^a-z0-9]+letter([^a-z0-9]|$)/"
        + " and @message not like /(?i)(^|[^a-z0-9])heart/" + TAIL);
  }

  @Test
  void regex_special_characters_in_terms_never_reach_the_query() {
    String q = query(text("a/b (x|y) $1.50 ^z"));
    assertThat(q).isEqualTo(HEAD + "@message like /(?i)a[^a-z0-9]+b/ and @message like /(?i)x[^a-z0-9]+y/"
        + " and @message like /(?i)1[^a-z0-9]+50/ and @message like /(?i)z/" + TAIL);
  }

  @Test
  void text_regexes_accept_what_the_local_search_accepts() {
    // the query selects a superset: every line the index's word search matches must match the regex
    String q = query(text("\"payment declined\""));
    int from = q.indexOf("/(?i)") + 1;
    String regex = q.substring(from, q.indexOf('/', from));
    Pattern p = Pattern.compile(regex);
    assertThat(p.matcher("ERROR Payment   declined for order 7").find()).isTrue();
    assertThat(p.matcher("payment-declined").find()).isTrue();
    assertThat(p.matcher("payment was declined").find()).isFalse();
  }

  @Test
  void errors_select_every_kind_of_failure_line() {
    String q = query(new SearchCriteria(null, true, false, null, null, null));
    assertThat(q).isEqualTo(HEAD + "@message like /Status: (error|timeout|failure)|Task timed out after"
        + "|Runtime exited|\"errorType\"|\"status\":\"(error|timeout|failure)\"|\"code\":(2\\}|\"STATUS_CODE_ERROR\")/"
        + TAIL);
    Pattern p = Pattern.compile(InsightsQueries.FAILURE);
    for (String line : List.of(
        "REPORT RequestId: 1\tDuration: 3.00 ms\tBilled Duration: 3 ms\tStatus: timeout",
        "2026-11-28T10:00:00.000Z 1 Task timed out after 3.00 seconds",
        "{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.IllegalStateException\"}",
        "{\"time\":\"x\",\"type\":\"platform.report\",\"record\":{\"requestId\":\"1\",\"status\":\"error\"}}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"status\":{\"message\":\"x\",\"code\":2}}]}]}]}",
        "RequestId: 1 Error: Runtime exited with error: exit status 1",
        "{\"spans\":[{\"status\":{\"code\":\"STATUS_CODE_ERROR\"}}]}")) {
      assertThat(p.matcher(line).find()).as(line).isTrue();
    }
    assertThat(p.matcher("REPORT RequestId: 1\tDuration: 3.00 ms\tStatus: success").find()).isFalse();
    assertThat(p.matcher("{\"spans\":[{\"status\":{\"code\":1}}],\"x\":{\"code\":20}}").find()).isFalse();
  }

  @Test
  void timeouts_select_timeout_lines_only() {
    assertThat(query(new SearchCriteria(null, true, true, null, null, null))).isEqualTo(HEAD
        + "@message like /Status: timeout|Task timed out after|\"status\":\"timeout\"/" + TAIL);
  }

  @Test
  void cold_start_and_duration_narrow_the_report_lines() {
    assertThat(query(new SearchCriteria(null, false, false, true, 1000.0, 2500.5))).isEqualTo(HEAD
        + "(@message like /^REPORT RequestId:|\"type\":\"platform\\.report\"/)"
        + " and (@message like /^REPORT RequestId:.*(Init|Restore) Duration:"
        + "|\"type\":\"platform\\.report\".*\"(init|restore)DurationMs\"/)"
        + " and (@duration >= 1000 or record.metrics.durationMs >= 1000)"
        + " and (@duration <= 2500.5 or record.metrics.durationMs <= 2500.5)" + TAIL);
    assertThat(query(new SearchCriteria(null, false, false, false, null, null))).contains(
        " and (@message not like /^REPORT RequestId:.*(Init|Restore)");
  }

  @Test
  void cold_start_regex_tells_cold_report_lines_from_warm_ones() {
    Pattern p = Pattern.compile(InsightsQueries.COLD);
    assertThat(p.matcher("REPORT RequestId: 1\tDuration: 3.00 ms\tInit Duration: 412.30 ms").find()).isTrue();
    assertThat(p.matcher("REPORT RequestId: 1\tDuration: 3.00 ms\tRestore Duration: 312.30 ms").find()).isTrue();
    assertThat(p.matcher("{\"type\":\"platform.report\",\"record\":{\"metrics\":{\"initDurationMs\":3}}}").find())
        .isTrue();
    assertThat(p.matcher("REPORT RequestId: 1\tDuration: 3.00 ms\tMax Memory Used: 9 MB").find()).isFalse();
    assertThat(p.matcher("INIT_REPORT Init Duration: 412.30 ms").find()).isFalse();
  }

  @Test
  void text_wins_over_status_criteria_which_are_checked_on_the_fetched_invocations() {
    assertThat(query(new SearchCriteria("declined", true, false, true, 5.0, null))).isEqualTo(HEAD
        + "@message like /(?i)declined/" + TAIL);
  }

  @Test
  void a_text_without_words_falls_back_to_the_other_criteria() {
    assertThat(query(new SearchCriteria("--- ...", true, false, null, null, null)))
        .startsWith(HEAD + "@message like /Status: (error");
  }

  @Test
  void more_than_fifty_groups_are_split_into_queries_of_fifty() {
    List<String> groups = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      groups.add("/aws/lambda/fn-" + i);
    }
    List<InsightsQuery> qs = InsightsQueries.queries(SearchCriteria.all(), groups, 1_700_000_000_500L,
        1_700_000_600_000L);
    assertThat(qs).hasSize(3);
    assertThat(qs).extracting(q -> q.logGroups().size()).containsExactly(50, 50, 20);
    assertThat(qs.get(2).logGroups().get(19)).isEqualTo("/aws/lambda/fn-119");
    assertThat(qs).allSatisfy(q -> {
      assertThat(q.startSeconds()).isEqualTo(1_700_000_000L);
      assertThat(q.endSeconds()).as("end rounded up to a whole second").isEqualTo(1_700_000_600L);
    });
  }

  @Test
  void an_empty_range_or_too_many_groups_is_refused() {
    assertThatThrownBy(() -> InsightsQueries.queries(SearchCriteria.all(), List.of("/g"), 5, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InsightsQuery("q", java.util.Collections.nCopies(51, "/g"), 0, 1))
        .hasMessageContaining("1 to 50 log groups");
  }

  @Test
  void row_limit_never_exceeds_what_insights_returns() {
    assertThat(InsightsQueries.queryString(SearchCriteria.all(), 50_000)).endsWith("| limit 10000");
    assertThat(InsightsQueries.queryString(SearchCriteria.all(), 20)).endsWith("| limit 20");
  }
}
