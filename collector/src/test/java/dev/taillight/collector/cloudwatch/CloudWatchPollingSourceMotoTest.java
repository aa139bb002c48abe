package dev.taillight.collector.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.LogSink;
import dev.taillight.collector.RawEvent;
import dev.taillight.testing.MotoServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/** The polling source against moto_server through the real SDK client, with and without injected faults. */
class CloudWatchPollingSourceMotoTest {
  private static final MotoServer MOTO = MotoServer.shared();

  private final CloudWatchLogsClient writer = MOTO.logsClient();
  private final ConcurrentLinkedQueue<RawEvent> got = new ConcurrentLinkedQueue<>();
  private final LogSink sink = got::add;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Random random = new Random(42);

  record Put(String group, String stream, long timestamp, String message) {}

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    writer.close();
  }

  private void createGroup(String group, String... streams) {
    writer.createLogGroup(b -> b.logGroupName(group));
    for (String s : streams) {
      writer.createLogStream(b -> b.logGroupName(group).logStreamName(s));
    }
  }

  /** Puts events; each call's events go in time order (CloudWatch requires it), calls themselves in any order. */
  private List<Put> put(String group, String stream, long... timestamps) {
    List<Put> puts = new ArrayList<>();
    for (long ts : timestamps) {
      puts.add(new Put(group, stream, ts, "msg " + group + " " + stream + " " + ts + " " + random.nextInt(1_000_000)));
    }
    puts.sort(Comparator.comparingLong(Put::timestamp));
    writer.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(puts.stream()
        .map(p -> InputLogEvent.builder().timestamp(p.timestamp()).message(p.message()).build()).toList()));
    return puts;
  }

  private CloudWatchPollingSource.Builder source(CloudWatchLogsClient client, String... groups) {
    return CloudWatchPollingSource.builder(client)
        .logGroups(List.of(groups))
        .since(Instant.now().minus(Duration.ofMinutes(15)))
        .pollInterval(Duration.ofMillis(20))
        // generous: on a loaded machine, with faults, the late events below may be put a minute or more after
        // their timestamps; an event later than the look-back is outside the guarantee (the unit test shows that)
        .lookback(Duration.ofMinutes(10))
        .groupWaitInterval(Duration.ofMillis(100))
        .maxRequestsPerSecond(200)
        .backoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(200)))
        .pageSize(4);
  }

  private CloudWatchPollingSource started(CloudWatchPollingSource s) {
    closeables.add(s);
    s.start(sink);
    return s;
  }

  private static List<Put> asPuts(Iterable<RawEvent> events) {
    List<Put> l = new ArrayList<>();
    events.forEach(e -> l.add(new Put(e.logGroup(), e.logStream(), e.timestamp(), e.message())));
    return l;
  }

  private void awaitDelivered(List<Put> expected, CloudWatchPollingSource s) {
    Await.until(() -> got.size() >= expected.size(), () -> got.size() + "/" + expected.size() + " " + s.status());
  }

  /** Lets the source re-read its window several more times, so a repeat would show up. */
  private static void awaitMorePasses(CloudWatchPollingSource s, int passes) {
    long target = s.completedPasses() + passes;
    Await.until(() -> s.completedPasses() >= target, () -> s.status().toString());
  }

  private CloudWatchPollingSource scenario(CloudWatchLogsClient client, boolean withLateGroup) {
    String a = MotoServer.unique("/aws/lambda/poll-a");
    String b = MotoServer.unique("/aws/lambda/poll-b");
    String later = MotoServer.unique("/aws/lambda/poll-later");
    createGroup(a, "2026/01/01/[$LATEST]a1", "2026/01/01/[$LATEST]a2", "2026/01/01/[$LATEST]a3");
    createGroup(b, "2026/01/01/[$LATEST]b1", "2026/01/01/[$LATEST]b2");
    long now = System.currentTimeMillis();
    List<Put> expected = new ArrayList<>();
    // out of order across streams and calls: a3's events are older than a1's, b2's interleave with b1's
    expected.addAll(put(a, "2026/01/01/[$LATEST]a1", now - 3_000, now - 2_500, now - 2_000, now - 2_000));
    expected.addAll(put(a, "2026/01/01/[$LATEST]a3", now - 6_000, now - 5_999, now - 2_000));
    expected.addAll(put(b, "2026/01/01/[$LATEST]b1", now - 4_000, now - 1_000, now - 1_000, now - 900));
    expected.addAll(put(b, "2026/01/01/[$LATEST]b2", now - 4_500, now - 950, now - 800));
    expected.addAll(put(a, "2026/01/01/[$LATEST]a2", now - 7_000, now - 1_500));
    List<String> groups = withLateGroup ? List.of(a, b, later) : List.of(a, b);
    CloudWatchPollingSource s = started(source(client, groups.toArray(String[]::new)).build());

    awaitDelivered(expected, s);
    if (withLateGroup) {
      assertThat(s.status().groups()).filteredOn(g -> g.logGroup().equals(later))
          .singleElement().satisfies(g -> assertThat(g.state()).isEqualTo("waiting for group"));
    }
    awaitMorePasses(s, 4);

    // late ingestion: older timestamps than events already delivered, in streams old and new
    expected.addAll(put(a, "2026/01/01/[$LATEST]a1", now - 4_000, now - 2_000));
    writer.createLogStream(r -> r.logGroupName(b).logStreamName("2026/01/01/[$LATEST]b3"));
    expected.addAll(put(b, "2026/01/01/[$LATEST]b3", now - 5_000, now - 3_000, now - 3_000, now - 1_000));
    if (withLateGroup) {
      createGroup(later, "2026/01/01/[$LATEST]l1");
      expected.addAll(put(later, "2026/01/01/[$LATEST]l1", now - 8_000, now - 10));
    }

    awaitDelivered(expected, s);
    awaitMorePasses(s, 6);

    assertThat(asPuts(got)).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(got).extracting(RawEvent::eventId).doesNotHaveDuplicates();
    assertThat(s.status().duplicatesDropped()).isPositive();
    assertThat(s.status().groups()).allSatisfy(g -> assertThat(g.lagMillis()).isNotNegative());
    return s;
  }

  @Test
  void every_event_is_delivered_once_across_groups_streams_late_arrivals_and_a_group_created_later() {
    CloudWatchLogsClient client = MOTO.logsClient();
    closeables.add(client);
    CloudWatchPollingSource s = scenario(client, true);
    assertThat(s.status().groups()).allSatisfy(g -> assertThat(g.state()).isIn("following", "catching up"));
  }

  @Test
  void throttling_5xx_dropped_connections_and_slow_answers_lose_and_repeat_nothing() throws Exception {
    FaultProxy proxy = new FaultProxy(MOTO.endpoint(), (op, n) -> !op.equals("FilterLogEvents")
        ? FaultProxy.Fault.NONE
        : switch (n % 10) {
          case 1 -> FaultProxy.Fault.THROTTLE;
          case 4 -> FaultProxy.Fault.SERVER_ERROR;
          case 6 -> FaultProxy.Fault.DROP;
          case 8 -> FaultProxy.Fault.SLOW;
          default -> FaultProxy.Fault.NONE;
        });
    proxy.slowMillis = 700;
    closeables.add(proxy);
    // no SDK retries: every fault reaches the source, which must handle it itself
    CloudWatchLogsClient client = CloudWatchLogsClient.builder()
        .endpointOverride(proxy.uri())
        .region(MotoServer.REGION)
        .credentialsProvider(MotoServer.credentials())
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallAttemptTimeout(Duration.ofMillis(400)))
        .build();
    closeables.add(client);

    CloudWatchPollingSource s = scenario(client, false);

    assertThat(proxy.injected(FaultProxy.Fault.THROTTLE)).isPositive();
    assertThat(proxy.injected(FaultProxy.Fault.SERVER_ERROR)).isPositive();
    assertThat(proxy.injected(FaultProxy.Fault.DROP)).isPositive();
    assertThat(proxy.injected(FaultProxy.Fault.SLOW)).isPositive();
    assertThat(s.status().groups()).allSatisfy(g -> assertThat(g.state()).isNotEqualTo("waiting for group"));
  }

  @Test
  void a_finite_range_is_read_once_and_the_source_finishes() {
    String g = MotoServer.unique("/aws/lambda/poll-range");
    createGroup(g, "s1", "s2");
    long now = System.currentTimeMillis();
    List<Put> inRange = new ArrayList<>(put(g, "s1", now - 50_000, now - 40_000));
    inRange.addAll(put(g, "s2", now - 45_000, now - 30_000));
    put(g, "s1", now - 10_000); // after --until
    CloudWatchLogsClient client = MOTO.logsClient();
    closeables.add(client);

    CloudWatchPollingSource s = started(source(client, g)
        .since(Instant.ofEpochMilli(now - 55_000)).until(Instant.ofEpochMilli(now - 20_000)).build());
    Await.until(s::isFinished, () -> s.status().toString());

    assertThat(asPuts(got)).containsExactlyInAnyOrderElementsOf(inRange);
  }

  @Test
  void filter_pattern_selects_events_on_the_server() {
    String g = MotoServer.unique("/aws/lambda/poll-filter");
    createGroup(g, "s");
    long now = System.currentTimeMillis();
    writer.putLogEvents(r -> r.logGroupName(g).logStreamName("s").logEvents(
        InputLogEvent.builder().timestamp(now - 3_000).message("START RequestId: 1").build(),
        InputLogEvent.builder().timestamp(now - 2_000).message("ERROR boom").build(),
        InputLogEvent.builder().timestamp(now - 1_000).message("END RequestId: 1").build()));
    CloudWatchLogsClient client = MOTO.logsClient();
    closeables.add(client);

    CloudWatchPollingSource s = started(source(client, g).filterPattern("ERROR")
        .until(Instant.ofEpochMilli(now)).build());
    Await.until(s::isFinished, () -> s.status().toString());

    assertThat(got).extracting(RawEvent::message).containsExactly("ERROR boom");
  }
}
