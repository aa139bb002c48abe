package dev.taillight.collector.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.LogSink;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.SourceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The polling algorithm on a fake clock and an in-memory CloudWatch: deterministic, no sleeps. */
class CloudWatchPollingSourceTest {
  private static final long T0 = Instant.parse("2026-01-01T10:00:00Z").toEpochMilli();

  private final TestClock clock = new TestClock(T0);
  private final FakeLogsClient logs = new FakeLogsClient(clock, 4);
  private final List<RawEvent> got = new ArrayList<>();
  private final LogSink sink = got::add;

  private CloudWatchPollingSource.Builder source(String... groups) {
    return CloudWatchPollingSource.builder(logs)
        .logGroups(List.of(groups))
        .clock(clock)
        .sleeper(clock.sleeper())
        .since(Instant.ofEpochMilli(T0))
        .pollInterval(Duration.ofSeconds(1))
        .lookback(Duration.ofSeconds(20))
        .groupWaitInterval(Duration.ofSeconds(5))
        .backoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2)));
  }

  private void runUntil(CloudWatchPollingSource s, long untilMillis) throws InterruptedException {
    while (clock.millis() < untilMillis && s.step(sink)) {
      // each step is one request
    }
  }

  /** Events spread over two minutes on three streams of two groups, visible 0-15 s after their timestamp. */
  private List<FakeLogsClient.Stored> lateAndOutOfOrderEvents(int count, long maxDelayMillis, long seed) {
    Random r = new Random(seed);
    List<FakeLogsClient.Stored> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String group = i % 3 == 0 ? "/aws/lambda/b" : "/aws/lambda/a";
      long ts = T0 + 1_000 + r.nextInt(120_000);
      if (i % 10 == 0 && !events.isEmpty()) {
        ts = events.get(events.size() - 1).timestamp(); // same millisecond as another event
      }
      long delay = r.nextInt((int) maxDelayMillis + 1);
      events.add(new FakeLogsClient.Stored(group, "2026/01/01/[$LATEST]s" + (i % 3), ts, ts + delay,
          String.format("%056d", i), "line " + i));
    }
    events.forEach(logs::put);
    return events;
  }

  private static Set<String> ids(List<?> events) {
    Set<String> ids = new HashSet<>();
    for (Object o : events) {
      ids.add(o instanceof RawEvent e ? e.eventId() : ((FakeLogsClient.Stored) o).id());
    }
    return ids;
  }

  @Test
  void late_and_out_of_order_events_are_delivered_exactly_once() throws Exception {
    List<FakeLogsClient.Stored> events = lateAndOutOfOrderEvents(600, 15_000, 1);
    CloudWatchPollingSource s = source("/aws/lambda/a", "/aws/lambda/b").maxRequestsPerSecond(4).build();

    runUntil(s, T0 + 200_000);

    assertThat(got).hasSize(events.size());
    assertThat(ids(got)).isEqualTo(ids(events));
    assertThat(got).allSatisfy(e -> assertThat(e.logGroup()).isIn("/aws/lambda/a", "/aws/lambda/b"));
    assertThat(s.status().duplicatesDropped()).isPositive(); // the window was re-read
    assertThat(s.status().eventsDelivered()).isEqualTo(600);
  }

  @Test
  void a_lookback_shorter_than_ingestion_delay_misses_events() throws Exception {
    // the control for the test above: the window is what makes late events arrive
    List<FakeLogsClient.Stored> events = lateAndOutOfOrderEvents(600, 15_000, 1);
    CloudWatchPollingSource s = source("/aws/lambda/a", "/aws/lambda/b").lookback(Duration.ZERO).build();

    runUntil(s, T0 + 200_000);

    assertThat(got.size()).isLessThan(events.size());
    assertThat(ids(got)).doesNotHaveDuplicates();
  }

  @Test
  void an_event_in_the_same_millisecond_as_the_newest_arriving_later_is_delivered() throws Exception {
    logs.put(new FakeLogsClient.Stored("/g", "s1", T0 + 5_000, T0 + 5_000, "1", "first"));
    // same timestamp, another stream, visible a minute later: far outside any look-back window
    logs.put(new FakeLogsClient.Stored("/g", "s2", T0 + 5_000, T0 + 65_000, "2", "second"));
    CloudWatchPollingSource s = source("/g").lookback(Duration.ZERO).build();

    runUntil(s, T0 + 70_000);

    assertThat(got).extracting(RawEvent::message).containsExactly("first", "second");
  }

  @Test
  void empty_pages_with_a_token_are_followed() throws Exception {
    logs.emptyPageEvery = 2;
    for (int i = 0; i < 40; i++) {
      logs.put(new FakeLogsClient.Stored("/g", "s", T0 + 1000 + i, T0 + 1000 + i, "id" + i, "m" + i));
    }
    CloudWatchPollingSource s = source("/g").until(Instant.ofEpochMilli(T0 + 2_000)).build();
    clock.advance(3_000);

    runUntil(s, Long.MAX_VALUE);

    assertThat(s.isFinished()).isTrue();
    assertThat(got).extracting(RawEvent::message).containsExactlyElementsOf(
        java.util.stream.IntStream.range(0, 40).mapToObj(i -> "m" + i).toList());
    assertThat(logs.requests).anySatisfy(r -> assertThat(r.nextToken()).endsWith(":1"));
    assertThat(logs.requests).allSatisfy(r -> assertThat(r.endTime()).isEqualTo(T0 + 2_000));
  }

  @Test
  void throttling_5xx_and_network_errors_are_retried_without_loss_or_repeats() throws Exception {
    List<FakeLogsClient.Stored> events = lateAndOutOfOrderEvents(300, 10_000, 7);
    logs.faults = n -> switch (n % 6) {
      case 1 -> FakeLogsClient.error(400, "ThrottlingException");
      case 3 -> FakeLogsClient.error(503, "ServiceUnavailableException");
      case 4 -> software.amazon.awssdk.core.exception.SdkClientException.create("Connection reset",
          new java.net.SocketException("Connection reset"));
      default -> null;
    };
    CloudWatchPollingSource s = source("/aws/lambda/a", "/aws/lambda/b").build();
    List<String> states = new ArrayList<>();

    while (clock.millis() < T0 + 260_000 && s.step(sink)) {
      s.status().groups().forEach(g -> states.add(g.state()));
    }

    assertThat(ids(got)).isEqualTo(ids(events));
    assertThat(got).hasSize(events.size());
    assertThat(states).contains("throttled").anySatisfy(st -> assertThat(st).startsWith("retrying:"));
    assertThat(s.status().message()).isNotNull();
  }

  @Test
  void throttling_slows_every_group_down() throws Exception {
    logs.createGroup("/a");
    logs.createGroup("/b");
    logs.faults = n -> n <= 3 ? FakeLogsClient.error(400, "ThrottlingException") : null;
    CloudWatchPollingSource s = source("/a", "/b").maxRequestsPerSecond(100).build();

    for (int i = 0; i < 4; i++) {
      s.step(sink);
    }

    // three throttles back off 100, 200, 400 ms on the shared limiter: the 4th call waits for all of them
    assertThat(clock.millis() - T0).isGreaterThanOrEqualTo(700);
    assertThat(s.status().message()).startsWith("throttled by CloudWatch Logs; slowing down (3 times");
  }

  @Test
  void requests_stay_within_the_shared_rate() throws Exception {
    for (String g : List.of("/a", "/b", "/c", "/d", "/e", "/f")) {
      logs.createGroup(g);
    }
    logs.latencyMillis = 0;
    CloudWatchPollingSource s = source("/a", "/b", "/c", "/d", "/e", "/f")
        .pollInterval(Duration.ofMillis(100)).maxRequestsPerSecond(4).build();

    runUntil(s, T0 + 30_000);

    // 6 groups want 10 polls/s each; the limiter allows 4/s in total
    assertThat(logs.calls()).isBetween(118, 122);
    assertThat(s.status().requestsPerSecond()).isBetween(3.5, 4.5);
    assertThat(s.status().groups()).allSatisfy(g -> assertThat(g.requestsPerSecond()).isBetween(0.5, 0.8));
  }

  @Test
  void a_group_that_appears_later_is_waited_for_and_then_read_from_since() throws Exception {
    CloudWatchPollingSource s = source("/aws/lambda/later").build();
    runUntil(s, T0 + 12_000);
    SourceStatus waiting = s.status();
    assertThat(waiting.groups()).singleElement().satisfies(g -> {
      assertThat(g.state()).isEqualTo("waiting for group");
      assertThat(g.lagMillis()).isEqualTo(-1);
    });
    assertThat(waiting.message()).isEqualTo("log group /aws/lambda/later does not exist (yet); waiting for it");
    assertThat(logs.calls()).isBetween(2, 4); // asked every 5 s, not in a tight loop

    logs.put(new FakeLogsClient.Stored("/aws/lambda/later", "s", T0 + 1_000, T0 + 13_000, "x", "early event"));
    runUntil(s, T0 + 25_000);

    assertThat(got).extracting(RawEvent::message).containsExactly("early event");
    assertThat(s.status().groups().get(0).state()).isEqualTo("following");
    assertThat(s.status().groups().get(0).lagMillis()).isEqualTo(clock.millis() - (T0 + 1_000));
  }

  @Test
  void until_makes_a_finite_source_that_finishes() throws Exception {
    logs.put(new FakeLogsClient.Stored("/g", "s", T0 + 1_000, T0 + 1_100, "1", "in range"));
    logs.put(new FakeLogsClient.Stored("/g", "s", T0 + 9_000, T0 + 9_100, "2", "after until"));
    clock.advance(60_000);
    CloudWatchPollingSource s = source("/g").until(Instant.ofEpochMilli(T0 + 5_000)).build();

    runUntil(s, Long.MAX_VALUE);

    assertThat(s.isFinished()).isTrue();
    assertThat(got).extracting(RawEvent::message).containsExactly("in range");
    assertThat(s.status().groups().get(0).state()).isEqualTo("done");
  }

  @Test
  void filter_pattern_is_passed_to_filter_log_events() throws Exception {
    logs.createGroup("/g");
    CloudWatchPollingSource s = source("/g").filterPattern("?ERROR ?REPORT").build();
    s.step(sink);
    assertThat(logs.requests).singleElement().satisfies(r -> {
      assertThat(r.filterPattern()).isEqualTo("?ERROR ?REPORT");
      assertThat(r.logGroupName()).isEqualTo("/g");
      assertThat(r.startTime()).isEqualTo(T0);
    });
  }

  @Test
  void remembered_ids_stay_bounded_by_the_window() throws Exception {
    for (int i = 0; i < 3_000; i++) {
      long ts = T0 + i * 100L; // 10 events/s for 5 minutes
      logs.put(new FakeLogsClient.Stored("/g", "s", ts, ts + 500, "id" + i, "m" + i));
    }
    CloudWatchPollingSource s = source("/g").pageSize(1000).maxRequestsPerSecond(50).build();

    runUntil(s, T0 + 200_000);

    assertThat(got).hasSizeGreaterThan(1_900);
    // a 20 s window + one poll interval at 10 events/s: about 210 ids, never the whole history
    assertThat(s.rememberedIds("/g")).isBetween(150, 260);
    runUntil(s, T0 + 310_000);
    assertThat(got).hasSize(3_000);
    assertThat(s.rememberedIds("/g")).isEqualTo(100); // the group went quiet: the last 10 s before the window
  }

  @Test
  void a_rejected_next_token_restarts_the_pass() throws Exception {
    for (int i = 0; i < 10; i++) {
      logs.put(new FakeLogsClient.Stored("/g", "s", T0 + 1000 + i, T0 + 1000 + i, "id" + i, "m" + i));
    }
    clock.advance(2_000);
    logs.faults = n -> n == 2 ? FakeLogsClient.error(400, "InvalidParameterException") : null;
    // the fake's message is "InvalidParameterException from fake": no "token" in it, so make one that says so
    logs.faults = n -> n == 2 ? software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException
        .builder().statusCode(400).awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails
            .builder().errorCode("InvalidParameterException").errorMessage("The specified nextToken is expired")
            .build()).build() : null;
    CloudWatchPollingSource s = source("/g").build();

    runUntil(s, T0 + 10_000);

    assertThat(got).extracting(RawEvent::eventId).containsExactlyElementsOf(
        java.util.stream.IntStream.range(0, 10).mapToObj(i -> "id" + i).toList());
    assertThat(logs.requests.get(2).nextToken()).isNull(); // the third request started over
  }

  @Test
  void status_reports_lag_per_group() throws Exception {
    logs.put(new FakeLogsClient.Stored("/a", "s", T0 + 1_000, T0 + 1_000, "1", "x"));
    logs.createGroup("/b");
    clock.advance(4_000);
    CloudWatchPollingSource s = source("/a", "/b").build();
    s.step(sink);
    s.step(sink);

    Map<String, SourceStatus.GroupStatus> byGroup = new HashMap<>();
    s.status().groups().forEach(g -> byGroup.put(g.logGroup(), g));
    assertThat(byGroup.get("/a").lagMillis()).isEqualTo(clock.millis() - (T0 + 1_000));
    assertThat(byGroup.get("/b").lagMillis()).isEqualTo(-1);
    assertThat(s.status().mode()).isEqualTo("polling");
  }
}
