package dev.taillight.collector.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taillight.collector.Collector;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationStatus;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.RecordingListener;
import dev.taillight.collector.cloudwatch.RequestRateLimiter;
import dev.taillight.collector.cloudwatch.Sleeper;
import dev.taillight.testing.MotoServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/**
 * Logs Insights queries and invocation fetches against moto_server with the real SDK client. moto runs a query
 * at once and ignores its {@code filter} (it honours fields, sort and limit), so these tests check what reaches
 * CloudWatch and what comes back, not Logs Insights' matching: the query text is checked in
 * {@link InsightsQueriesTest}.
 */
class InsightsMotoTest {
  static final long T0 = (System.currentTimeMillis() / 1000 - 3600) * 1000; // an hour ago, whole second
  static CloudWatchLogsClient logs;
  static String group;
  static final String STREAM = "2026/11/28/[$LATEST]0123456789abcdef0123456789abcdef";

  /** Three invocations in one stream: a cold one (r1), a warm one (r2) and another warm one (r3). */
  static final List<String[]> LINES = List.of(
      line(0, "INIT_START Runtime Version: java:17.v20\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc"),
      line(400, "START RequestId: 11111111-1111-1111-1111-111111111111 Version: $LATEST"),
      line(450, "Processing order 42"),
      line(500, "END RequestId: 11111111-1111-1111-1111-111111111111"),
      line(501, "REPORT RequestId: 11111111-1111-1111-1111-111111111111\tDuration: 100.00 ms\tBilled Duration: "
          + "100 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\tInit Duration: 400.00 ms\t"),
      line(2000, "START RequestId: 22222222-2222-2222-2222-222222222222 Version: $LATEST"),
      line(2100, "payment declined for order 43"),
      line(2200, "END RequestId: 22222222-2222-2222-2222-222222222222"),
      line(2201, "REPORT RequestId: 22222222-2222-2222-2222-222222222222\tDuration: 200.00 ms\tBilled Duration: "
          + "200 ms\tMemory Size: 512 MB\tMax Memory Used: 91 MB\t"),
      line(5000, "START RequestId: 33333333-3333-3333-3333-333333333333 Version: $LATEST"),
      line(5100, "order 44 shipped"),
      line(5200, "END RequestId: 33333333-3333-3333-3333-333333333333"),
      line(5201, "REPORT RequestId: 33333333-3333-3333-3333-333333333333\tDuration: 200.00 ms\tBilled Duration: "
          + "200 ms\tMemory Size: 512 MB\tMax Memory Used: 92 MB\t"));

  static String[] line(long offset, String message) {
    return new String[] {Long.toString(offset), message};
  }

  static final Sleeper NO_WAIT = d -> { };

  @BeforeAll
  static void putEvents() {
    logs = MotoServer.shared().logsClient();
    group = "/aws/lambda/" + MotoServer.unique("insights");
    logs.createLogGroup(b -> b.logGroupName(group));
    logs.createLogStream(b -> b.logGroupName(group).logStreamName(STREAM));
    List<InputLogEvent> events = new ArrayList<>();
    for (String[] l : LINES) {
      events.add(InputLogEvent.builder().timestamp(T0 + Long.parseLong(l[0])).message(l[1]).build());
    }
    logs.putLogEvents(b -> b.logGroupName(group).logStreamName(STREAM).logEvents(events));
  }

  @AfterAll
  static void close() {
    logs.close();
  }

  static QueryRunner runner() {
    return QueryRunner.builder(logs).sleeper(NO_WAIT).pollInterval(Duration.ZERO).build();
  }

  static InvocationFetcher fetcher() {
    return InvocationFetcher.create(logs, RequestRateLimiter.create(1000, Clock.systemUTC(), NO_WAIT), NO_WAIT);
  }

  @Test
  void query_returns_the_lines_of_the_range_newest_first_with_group_stream_and_time() throws Exception {
    InsightsQuery q = InsightsQueries.queries(SearchCriteria.all(), List.of(group), T0, T0 + 3000).get(0);
    List<QueryProgress> progress = new ArrayList<>();
    QueryResult r = runner().run(q, progress::add);
    assertThat(progress).isNotEmpty().last().extracting(QueryProgress::status).isEqualTo("Complete");
    assertThat(r.capped()).isFalse();
    assertThat(r.lines()).hasSize(9).allSatisfy(l -> {
      assertThat(l.logGroup()).isEqualTo(group);
      assertThat(l.logStream()).isEqualTo(STREAM);
      assertThat(l.ptr()).isNotBlank();
    });
    assertThat(r.lines().get(0).timestamp()).isEqualTo(T0 + 2201);
    assertThat(r.lines().get(0).message()).startsWith("REPORT RequestId: 2222");
    assertThat(r.lines()).extracting(MatchedLine::timestamp).isSortedAccordingTo((a, b) -> Long.compare(b, a));
  }

  @Test
  void a_query_naming_a_missing_log_group_says_which_one() {
    String missing = "/aws/lambda/" + MotoServer.unique("nope");
    InsightsQuery q = InsightsQueries.queries(SearchCriteria.all(), List.of(group, missing), T0, T0 + 3000).get(0);
    assertThatThrownBy(() -> runner().run(q, p -> { }))
        .isInstanceOfSatisfying(InsightsException.class, e -> {
          assertThat(e.kind()).isEqualTo(InsightsException.Kind.MISSING_LOG_GROUPS);
          assertThat(e.missingGroups()).containsExactly(missing);
          assertThat(e.getMessage()).isEqualTo("log group " + missing + " does not exist");
        });
  }

  @Test
  void search_drops_missing_groups_and_queries_the_others() throws Exception {
    String missing = "/aws/lambda/" + MotoServer.unique("nope");
    InsightsSearch s = InsightsSearch.create(runner(),
        InsightsQueries.queries(SearchCriteria.all(), List.of(missing, group), T0, T0 + 3000), 5);
    InsightsSearch.Round round = s.next(p -> { });
    assertThat(s.droppedGroups()).containsExactly(missing);
    assertThat(round.lines()).hasSize(9);
    assertThat(s.hasMore()).isFalse();
  }

  @Test
  void a_plain_line_brings_its_whole_invocation_and_nothing_of_its_neighbours() throws Exception {
    MatchedLine declined = new MatchedLine(group, STREAM, T0 + 2100, null, "payment declined for order 43", "p");
    List<RawEvent> got = new ArrayList<>();
    InvocationFetcher.Result r = fetcher().fetch(List.of(declined), got::add, n -> { });
    assertThat(got).extracting(RawEvent::timestamp).containsExactly(T0 + 2000, T0 + 2100, T0 + 2200, T0 + 2201);
    assertThat(r.invocations()).isEqualTo(1);
    assertThat(r.events()).isEqualTo(4);
    assertThat(got).allSatisfy(e -> assertThat(e.eventId()).isNotBlank());
  }

  @Test
  void a_report_line_brings_its_invocation_from_init_start_without_looking_for_boundaries() throws Exception {
    String report = LINES.get(4)[1];
    MatchedLine m = new MatchedLine(group, STREAM, T0 + 501, "11111111-1111-1111-1111-111111111111", report, "p");
    RecordingListener listener = new RecordingListener();
    Collector collector = Collector.builder().listener(listener).build();
    InvocationFetcher.Result r = fetcher().fetch(List.of(m), collector, n -> { });
    collector.close();
    assertThat(r.requests()).as("one read, no boundary look-up").isEqualTo(1);
    assertThat(r.events()).isEqualTo(5);
    assertThat(listener.finished).extracting(Invocation::requestId)
        .containsExactly("11111111-1111-1111-1111-111111111111");
    Invocation inv = listener.finished.get(0);
    assertThat(inv.coldStart()).isTrue();
    assertThat(inv.status()).isEqualTo(InvocationStatus.OK);
    assertThat(inv.lines()).extracting(l -> l.event().message()).contains("Processing order 42");
  }

  @Test
  void lines_of_two_invocations_fetch_both_in_one_pass_per_stream() throws Exception {
    List<MatchedLine> lines = List.of(
        new MatchedLine(group, STREAM, T0 + 5100, null, "order 44 shipped", "a"),
        new MatchedLine(group, STREAM, T0 + 2100, null, "payment declined for order 43", "b"));
    List<RawEvent> got = new ArrayList<>();
    InvocationFetcher.Result r = fetcher().fetch(lines, got::add, n -> { });
    assertThat(r.invocations()).isEqualTo(2);
    assertThat(got).extracting(RawEvent::timestamp).containsExactly(T0 + 2000, T0 + 2100, T0 + 2200, T0 + 2201,
        T0 + 5000, T0 + 5100, T0 + 5200, T0 + 5201);
  }

  @Test
  void lines_of_two_streams_close_in_time_share_one_boundary_lookup() throws Exception {
    String other = "2026/11/28/[$LATEST]fedcba9876543210fedcba9876543210";
    logs.createLogStream(b -> b.logGroupName(group).logStreamName(other));
    logs.putLogEvents(b -> b.logGroupName(group).logStreamName(other).logEvents(
        InputLogEvent.builder().timestamp(T0 + 2050).message("START RequestId: 44444444-4444-4444-4444-444444444444 "
            + "Version: $LATEST").build(),
        InputLogEvent.builder().timestamp(T0 + 2060).message("payment declined for order 45").build(),
        InputLogEvent.builder().timestamp(T0 + 2070).message("END RequestId: 44444444-4444-4444-4444-444444444444")
            .build(),
        InputLogEvent.builder().timestamp(T0 + 2071).message("REPORT RequestId: 44444444-4444-4444-4444-444444444444"
            + "\tDuration: 20.00 ms\tBilled Duration: 20 ms\tMemory Size: 512 MB\tMax Memory Used: 93 MB\t")
            .build()));
    List<MatchedLine> lines = List.of(
        new MatchedLine(group, STREAM, T0 + 2100, null, "payment declined for order 43", "a"),
        new MatchedLine(group, other, T0 + 2060, null, "payment declined for order 45", "b"));
    List<RawEvent> got = new ArrayList<>();
    InvocationFetcher.Result r = fetcher().fetch(lines, got::add, n -> { });
    assertThat(r.requests()).as("one boundary look-up for both streams, one read per stream").isEqualTo(3);
    assertThat(r.invocations()).isEqualTo(2);
    assertThat(got).filteredOn(e -> e.logStream().equals(other)).hasSize(4);
    assertThat(got).filteredOn(e -> e.logStream().equals(STREAM)).extracting(RawEvent::timestamp)
        .containsExactly(T0 + 2000, T0 + 2100, T0 + 2200, T0 + 2201);
  }

  /**
   * Requests per fetch, a deterministic figure: matched app lines in 20 streams within one minute cost one shared
   * boundary look-up plus one read per stream (21 requests), where a look-up per stream would cost 40; matched
   * REPORT lines cost one read each and no look-up.
   */
  @Test
  void twenty_streams_matched_together_cost_twenty_one_requests_not_forty() throws Exception {
    String busy = "/aws/lambda/" + MotoServer.unique("fanout");
    logs.createLogGroup(b -> b.logGroupName(busy));
    List<MatchedLine> lines = new ArrayList<>();
    List<MatchedLine> reports = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String stream = "2026/11/28/[$LATEST]" + i;
      String id = String.format("%08d-0000-4000-8000-000000000000", i);
      long t = T0 + i * 1000L;
      String declined = "order " + i + " declined";
      String report = "REPORT RequestId: " + id + "\tDuration: 20.00 ms\tBilled Duration: 20 ms\tMemory Size: "
          + "512 MB\tMax Memory Used: 93 MB\t";
      logs.createLogStream(b -> b.logGroupName(busy).logStreamName(stream));
      logs.putLogEvents(b -> b.logGroupName(busy).logStreamName(stream).logEvents(
          InputLogEvent.builder().timestamp(t).message("START RequestId: " + id + " Version: $LATEST").build(),
          InputLogEvent.builder().timestamp(t + 5).message(declined).build(),
          InputLogEvent.builder().timestamp(t + 20).message("END RequestId: " + id).build(),
          InputLogEvent.builder().timestamp(t + 21).message(report).build()));
      lines.add(new MatchedLine(busy, stream, t + 5, null, declined, "l" + i));
      reports.add(new MatchedLine(busy, stream, t + 21, id, report, "r" + i));
    }
    List<RawEvent> got = new ArrayList<>();
    InvocationFetcher.Result r = fetcher().fetch(lines, got::add, n -> { });
    assertThat(r.invocations()).isEqualTo(20);
    assertThat(got).hasSize(80);
    assertThat(r.requests()).isEqualTo(21);
    InvocationFetcher.Result fromReports = fetcher().fetch(reports, e -> { }, n -> { });
    assertThat(fromReports.invocations()).isEqualTo(20);
    assertThat(fromReports.requests()).isEqualTo(20);
  }

  @Test
  void a_capped_range_is_paged_backwards_until_every_match_is_read() throws Exception {
    String big = "/aws/lambda/" + MotoServer.unique("busy");
    logs.createLogGroup(b -> b.logGroupName(big));
    logs.createLogStream(b -> b.logGroupName(big).logStreamName("s"));
    int total = 10_050;
    List<InputLogEvent> events = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      events.add(InputLogEvent.builder().timestamp(T0 + i * 10L).message("line " + i).build()); // 100 a second
    }
    logs.putLogEvents(b -> b.logGroupName(big).logStreamName("s").logEvents(events.subList(0, 5000)));
    logs.putLogEvents(b -> b.logGroupName(big).logStreamName("s").logEvents(events.subList(5000, total)));
    InsightsSearch s = InsightsSearch.create(runner(),
        InsightsQueries.queries(SearchCriteria.all(), List.of(big), T0, T0 + total * 10L), 5);
    InsightsSearch.Round first = s.next(p -> { });
    assertThat(first.results().get(0).capped()).isTrue();
    assertThat(first.lines()).hasSize(10_000);
    assertThat(s.hasMore()).isTrue();
    InsightsSearch.Round second = s.next(p -> { });
    assertThat(second.results().get(0).query().endSeconds())
        .isEqualTo((T0 + 50 * 10L) / 1000 + 1);
    assertThat(second.lines()).as("only lines not seen before").hasSize(50);
    assertThat(s.hasMore()).isFalse();
    assertThat(s.queries()).isEqualTo(2);
    assertThat(s.unread()).isEmpty();
  }

  @Test
  void a_spent_query_budget_reports_the_range_left_unread() throws Exception {
    String big = "/aws/lambda/" + MotoServer.unique("budget");
    logs.createLogGroup(b -> b.logGroupName(big));
    logs.createLogStream(b -> b.logGroupName(big).logStreamName("s"));
    List<InputLogEvent> events = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      events.add(InputLogEvent.builder().timestamp(T0 + i * 10L).message("line " + i).build());
    }
    logs.putLogEvents(b -> b.logGroupName(big).logStreamName("s").logEvents(events));
    InsightsSearch s = InsightsSearch.create(runner(),
        InsightsQueries.queries(SearchCriteria.all(), List.of(big), T0 - 60_000, T0 + 100_000), 1);
    s.next(p -> { });
    assertThat(s.hasMore()).isTrue();
    InsightsSearch.Round none = s.next(p -> { });
    assertThat(none.results()).isEmpty();
    assertThat(s.hasMore()).isFalse();
    assertThat(s.unread()).singleElement().satisfies(q -> {
      assertThat(q.startSeconds()).isEqualTo((T0 - 60_000) / 1000);
      assertThat(q.endSeconds()).isEqualTo(T0 / 1000 + 1);
    });
  }
}
