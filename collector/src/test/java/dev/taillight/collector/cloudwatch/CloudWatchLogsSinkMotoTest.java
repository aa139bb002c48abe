package dev.taillight.collector.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taillight.collector.RawEvent;
import dev.taillight.testing.MotoServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/** PutLogEvents through the sink, read back with FilterLogEvents / GetLogEvents from moto_server. */
class CloudWatchLogsSinkMotoTest {
  private static final MotoServer MOTO = MotoServer.shared();

  private final CloudWatchLogsClient reader = MOTO.logsClient();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Random random = new Random(3);

  record Stored(String group, String stream, long timestamp, String message) {}

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    reader.close();
  }

  private List<Stored> readBack(String group) {
    List<Stored> all = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      FilterLogEventsResponse r = reader.filterLogEvents(b -> b.logGroupName(group).nextToken(t));
      for (FilteredLogEvent e : r.events()) {
        all.add(new Stored(group, e.logStreamName(), e.timestamp(), e.message()));
      }
      token = r.nextToken();
    } while (token != null);
    return all;
  }

  private List<String> streamInOrder(String group, String stream) {
    List<String> messages = new ArrayList<>();
    for (OutputLogEvent e : reader.getLogEvents(b -> b.logGroupName(group).logStreamName(stream).startFromHead(true))
        .events()) {
      messages.add(e.message());
    }
    return messages;
  }

  private List<RawEvent> events(String group, int streams, int count, long now) {
    List<RawEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long ts = now - 60_000 + random.nextInt(59_000);
      String message = "event " + i + " ünïcødé ✓ " + "x".repeat(random.nextInt(200));
      events.add(RawEvent.of(group, "2026/01/01/[$LATEST]s" + (i % streams), ts, message));
    }
    Collections.shuffle(events, random); // arrives out of time order
    return events;
  }

  private static List<Stored> stored(List<RawEvent> events) {
    return events.stream().map(e -> new Stored(e.logGroup(), e.logStream(), e.timestamp(), e.message())).toList();
  }

  private CloudWatchLogsSink.Builder sink(CloudWatchLogsClient client) {
    return CloudWatchLogsSink.builder(client)
        .linger(Duration.ofMillis(20))
        .backoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(200)));
  }

  @Test
  void round_trip_creates_groups_and_streams_and_stores_every_event_once_in_time_order() {
    long now = System.currentTimeMillis();
    String g1 = MotoServer.unique("/aws/lambda/sink-a");
    String g2 = MotoServer.unique("/aws/lambda/sink-b");
    List<RawEvent> events = new ArrayList<>(events(g1, 3, 1500, now));
    events.addAll(events(g2, 2, 700, now));
    CloudWatchLogsClient client = MOTO.logsClient();
    closeables.add(client);

    CloudWatchLogsSink sink = sink(client).maxBatchEvents(300).maxBatchBytes(40_000).build();
    events.forEach(sink::accept);
    sink.close();

    assertThat(sink.failed()).isZero();
    assertThat(sink.shipped()).isEqualTo(2200);
    assertThat(sink.batches()).isGreaterThanOrEqualTo(2200 / 300);
    List<Stored> back = new ArrayList<>(readBack(g1));
    back.addAll(readBack(g2));
    assertThat(back).containsExactlyInAnyOrderElementsOf(stored(events));
    List<String> s0 = events.stream().filter(e -> e.logGroup().equals(g1) && e.logStream().endsWith("s0"))
        .sorted(Comparator.comparingLong(RawEvent::timestamp)).map(RawEvent::message).toList();
    assertThat(streamInOrder(g1, "2026/01/01/[$LATEST]s0")).containsExactlyElementsOf(s0);
  }

  @Test
  void flush_waits_until_the_events_are_stored() {
    String g = MotoServer.unique("/aws/lambda/sink-flush");
    CloudWatchLogsClient client = MOTO.logsClient();
    closeables.add(client);
    CloudWatchLogsSink sink = sink(client).linger(Duration.ofSeconds(30)).build();
    closeables.add(sink);
    long now = System.currentTimeMillis();

    sink.accept(RawEvent.of(g, "s", now - 2, "one"));
    sink.accept(RawEvent.of(g, "s", now - 1, "two"));
    sink.flush(); // a 30 s linger: only flush makes them go now

    assertThat(readBack(g)).extracting(Stored::message).containsExactly("one", "two");
    assertThat(sink.pending()).isZero();
  }

  @Test
  void throttling_5xx_and_dropped_connections_are_retried_and_nothing_is_lost_or_repeated() throws Exception {
    FaultProxy proxy = new FaultProxy(MOTO.endpoint(), (op, n) -> !op.equals("PutLogEvents")
        ? FaultProxy.Fault.NONE
        : switch (n % 5) {
          case 1 -> FaultProxy.Fault.THROTTLE;
          case 2 -> FaultProxy.Fault.SERVER_ERROR;
          case 3 -> FaultProxy.Fault.DROP;
          default -> FaultProxy.Fault.NONE;
        });
    closeables.add(proxy);
    CloudWatchLogsClient client = CloudWatchLogsClient.builder().endpointOverride(proxy.uri())
        .region(MotoServer.REGION).credentialsProvider(MotoServer.credentials())
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    closeables.add(client);
    String g = MotoServer.unique("/aws/lambda/sink-faults");
    List<RawEvent> events = events(g, 2, 600, System.currentTimeMillis());

    CloudWatchLogsSink sink = sink(client).maxBatchEvents(50).build();
    events.forEach(sink::accept);
    sink.close();

    assertThat(readBack(g)).containsExactlyInAnyOrderElementsOf(stored(events));
    assertThat(sink.shipped()).isEqualTo(600);
    assertThat(sink.failed()).isZero();
    assertThat(proxy.injected(FaultProxy.Fault.THROTTLE)).isPositive();
    assertThat(proxy.injected(FaultProxy.Fault.DROP)).isPositive();
  }

  @Test
  void batches_never_span_more_than_24_hours_and_too_old_events_are_counted_as_failed() {
    String g = MotoServer.unique("/aws/lambda/sink-span");
    CloudWatchLogsClient client = MOTO.logsClient();
    closeables.add(client);
    long now = System.currentTimeMillis();
    long hour = 3_600_000L;
    List<RawEvent> ok = List.of(
        RawEvent.of(g, "s", now - 60 * hour, "60 h ago"),
        RawEvent.of(g, "s", now - 30 * hour, "30 h ago"),
        RawEvent.of(g, "s", now - 1_000, "now"));
    CloudWatchLogsSink sink = sink(client).build();
    ok.forEach(sink::accept);
    sink.accept(RawEvent.of(g, "s", now - 20 * 24 * hour, "20 days ago"));
    sink.close();

    assertThat(readBack(g)).extracting(Stored::message).containsExactly("60 h ago", "30 h ago", "now");
    assertThat(sink.batches()).isEqualTo(3); // 60 h, 30 h and now are each more than 24 h apart
    assertThat(sink.shipped()).isEqualTo(3);
    assertThat(sink.failed()).isEqualTo(1);
    assertThat(sink.lastError()).contains("1 events rejected by CloudWatch for " + g);
  }

  @Test
  void a_message_over_the_event_limit_is_cut_to_fit_and_an_empty_one_is_sent_as_a_space() {
    String g = MotoServer.unique("/aws/lambda/sink-big");
    CloudWatchLogsClient client = MOTO.logsClient();
    closeables.add(client);
    long now = System.currentTimeMillis();
    CloudWatchLogsSink sink = sink(client).build();
    sink.accept(RawEvent.of(g, "s", now - 2, "é".repeat(200_000))); // 400,000 bytes
    sink.accept(RawEvent.of(g, "s", now - 1, ""));
    sink.close();

    List<Stored> back = readBack(g);
    assertThat(back).hasSize(2);
    assertThat(back.get(0).message().getBytes(StandardCharsets.UTF_8)).hasSize(262_118);
    assertThat(back.get(1).message()).isEqualTo(" ");
    assertThat(sink.truncated()).isEqualTo(1);
  }

  @Test
  void access_denied_fails_the_batch_with_the_permission_to_grant_and_flush_returns() throws Exception {
    FaultProxy proxy = new FaultProxy(MOTO.endpoint(), (op, n) -> FaultProxy.Fault.DENY);
    closeables.add(proxy);
    CloudWatchLogsClient client = CloudWatchLogsClient.builder().endpointOverride(proxy.uri())
        .region(MotoServer.REGION).credentialsProvider(MotoServer.credentials()).build();
    closeables.add(client);
    CloudWatchLogsSink sink = sink(client).build();

    sink.accept(RawEvent.of("/aws/lambda/denied", "s", System.currentTimeMillis(), "x"));
    sink.flush();

    assertThat(sink.failed()).isEqualTo(1);
    assertThat(sink.lastError()).startsWith("not allowed to call logs:PutLogEvents on /aws/lambda/denied")
        .contains("grant logs:PutLogEvents on arn:aws:logs:REGION:ACCOUNT:log-group:/aws/lambda/denied:*");
    sink.close();
    assertThatThrownBy(() -> sink.accept(RawEvent.of("g", "s", 1, "late"))).isInstanceOf(IllegalStateException.class);
  }
}
