package dev.taillight.collector.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.RawEvent;
import dev.taillight.testing.MotoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/**
 * Live Tail through the real async SDK client (Netty, event stream over HTTP/1.1) against a scripted event-stream
 * server; ARN look-ups and gap fills go to moto_server.
 */
class LiveTailSourceTest {
  private static final MotoServer MOTO = MotoServer.shared();

  private final CloudWatchLogsClient logs = MOTO.logsClient();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final ConcurrentLinkedQueue<RawEvent> got = new ConcurrentLinkedQueue<>();
  private final Map<String, String> arnOf = new HashMap<>();

  record Line(String group, String stream, long timestamp, String message) {}

  @AfterEach
  void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    logs.close();
  }

  private String group(String name) {
    logs.createLogGroup(b -> b.logGroupName(name));
    logs.createLogStream(b -> b.logGroupName(name).logStreamName("s"));
    arnOf.put(name, logs.describeLogGroups(b -> b.logGroupNamePrefix(name)).logGroups().get(0).logGroupArn());
    return name;
  }

  /** Stores the line in moto too: everything Live Tail shows is also in CloudWatch. */
  private Line stored(Line l) {
    logs.putLogEvents(b -> b.logGroupName(l.group()).logStreamName(l.stream())
        .logEvents(InputLogEvent.builder().timestamp(l.timestamp()).message(l.message()).build()));
    return l;
  }

  private Object[] frame(Line l) {
    return new Object[] {arnOf.get(l.group()), l.stream(), l.timestamp(), l.message()};
  }

  private CloudWatchLogsAsyncClient asyncClient(FakeLiveTailServer server) {
    CloudWatchLogsAsyncClient c = CloudWatchLogsAsyncClient.builder()
        .endpointOverride(server.uri())
        .region(MotoServer.REGION)
        .credentialsProvider(MotoServer.credentials())
        .overrideConfiguration(o -> o.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
        .build();
    closeables.add(c);
    return c;
  }

  private List<Line> lines() {
    return got.stream().map(e -> new Line(e.logGroup(), e.logStream(), e.timestamp(), e.message())).toList();
  }

  @Test
  void sessions_of_ten_groups_reconnect_after_the_time_limit_fill_the_gap_and_deliver_each_event_once()
      throws Exception {
    String app = MotoServer.unique("live");
    List<String> groups = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      groups.add(group("/aws/lambda/" + app + "-f" + i));
    }
    long now = System.currentTimeMillis();
    Line a1 = stored(new Line(groups.get(0), "s", now - 2_000, "first session, group 0"));
    Line a2 = stored(new Line(groups.get(9), "s", now - 1_500, "first session, group 9"));
    Line f1 = stored(new Line(groups.get(10), "s", now - 1_000, "sampled session, group 10"));
    CountDownLatch endFirst = new CountDownLatch(1);
    List<Line> gapAndSecond = new ArrayList<>();
    FakeLiveTailServer server = new FakeLiveTailServer((ids, n) -> {
      if (ids.size() == 10 && n == 1) {
        return List.of(FakeLiveTailServer.sessionStart(),
            FakeLiveTailServer.update(false, List.of(frame(a1), frame(a2))),
            FakeLiveTailServer.await(endFirst),
            FakeLiveTailServer.timeout());
      }
      if (ids.size() == 10) {
        // the new session repeats one gap event (both paths overlap on purpose) and brings a new one
        return List.of(FakeLiveTailServer.sessionStart(),
            FakeLiveTailServer.update(false, List.of(frame(gapAndSecond.get(0)), frame(gapAndSecond.get(2)))),
            FakeLiveTailServer.hold());
      }
      return List.of(FakeLiveTailServer.sessionStart(),
          FakeLiveTailServer.update(true, List.<Object[]>of(frame(f1))),
          FakeLiveTailServer.hold());
    });
    closeables.add(server);

    LiveTailSource source = LiveTailSource.builder(asyncClient(server), logs)
        .logGroups(groups)
        .gapLookback(Duration.ofSeconds(10))
        .rateLimiter(RequestRateLimiter.create(500))
        .backoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)))
        .build();
    closeables.add(source);
    source.start(got::add);
    Await.until(() -> got.size() >= 3, () -> lines() + " " + source.status());

    // while the first session is still open, events land that it will never stream: the gap
    gapAndSecond.add(stored(new Line(groups.get(0), "s", now - 500, "during the gap, group 0")));
    gapAndSecond.add(stored(new Line(groups.get(5), "s", now - 400, "during the gap, group 5")));
    gapAndSecond.add(stored(new Line(groups.get(9), "s", now + 100, "second session, group 9")));
    endFirst.countDown();
    Await.until(() -> got.size() >= 6 && source.sessionsStarted() >= 3, () -> lines() + " " + source.status());
    Await.until(() -> source.status().duplicatesDropped() >= 4, () -> source.status().toString());

    assertThat(lines()).containsExactlyInAnyOrder(a1, a2, f1, gapAndSecond.get(0), gapAndSecond.get(1),
        gapAndSecond.get(2));
    assertThat(server.requests).filteredOn(r -> r.size() == 10).hasSize(2)
        .allSatisfy(r -> assertThat(r).containsExactlyElementsOf(groups.subList(0, 10).stream().map(arnOf::get)
            .toList()));
    assertThat(server.requests).filteredOn(r -> r.size() == 2).hasSize(1).singleElement()
        .isEqualTo(List.of(arnOf.get(groups.get(10)), arnOf.get(groups.get(11))));
    assertThat(server.errors).isEmpty();
    assertThat(source.status().groups()).filteredOn(g -> g.logGroup().equals(groups.get(10)))
        .singleElement().satisfies(g -> assertThat(g.state()).isEqualTo("sampled"));
    // the second session's gap fill may still be running for the later groups: wait for it to finish
    Await.until(() -> source.status().groups().stream().noneMatch(g -> g.state().equals("filling gap")),
        () -> source.status().toString());
    assertThat(source.status().groups()).filteredOn(g -> g.logGroup().equals(groups.get(0)))
        .singleElement().satisfies(g -> {
          assertThat(g.state()).isEqualTo("live");
          assertThat(g.lagMillis()).isNotNegative();
        });
    assertThat(source.status().mode()).isEqualTo("live tail");
  }

  @Test
  void sampled_sessions_are_reported_not_hidden() throws Exception {
    String g = group(MotoServer.unique("/aws/lambda/live-sampled"));
    long now = System.currentTimeMillis();
    Line l = stored(new Line(g, "s", now - 10, "busy"));
    FakeLiveTailServer server = new FakeLiveTailServer((ids, n) -> List.of(FakeLiveTailServer.sessionStart(),
        FakeLiveTailServer.update(true, List.<Object[]>of(frame(l))), FakeLiveTailServer.hold()));
    closeables.add(server);
    LiveTailSource source = LiveTailSource.builder(asyncClient(server), logs).logGroup(g)
        .rateLimiter(RequestRateLimiter.create(500)).build();
    closeables.add(source);

    source.start(got::add);
    Await.until(() -> source.status().groups().get(0).state().equals("sampled"), () -> source.status().toString());

    assertThat(source.status().message()).startsWith("Live Tail is sampling");
    assertThat(lines()).containsExactly(l);
  }

  @Test
  void a_group_that_does_not_exist_yet_is_waited_for() throws Exception {
    String g = MotoServer.unique("/aws/lambda/live-later");
    FakeLiveTailServer server = new FakeLiveTailServer((ids, n) -> List.of(FakeLiveTailServer.sessionStart(),
        FakeLiveTailServer.hold()));
    closeables.add(server);
    LiveTailSource source = LiveTailSource.builder(asyncClient(server), logs).logGroup(g)
        .groupWaitInterval(Duration.ofMillis(50)).rateLimiter(RequestRateLimiter.create(500)).build();
    closeables.add(source);

    source.start(got::add);
    Await.until(() -> source.status().groups().get(0).state().equals("waiting for group"),
        () -> source.status().toString());
    assertThat(server.requests).isEmpty();

    group(g);
    Await.until(() -> source.status().groups().get(0).state().equals("live"), () -> source.status().toString());
    assertThat(server.requests).containsExactly(List.of(arnOf.get(g)));
  }

  @Test
  void a_session_that_fails_is_reopened_after_a_back_off_and_the_failure_is_reported() throws Exception {
    String g = group(MotoServer.unique("/aws/lambda/live-error"));
    long now = System.currentTimeMillis();
    Line before = stored(new Line(g, "s", now - 50, "before the error"));
    Line after = new Line(g, "s", now + 20, "after the error");
    FakeLiveTailServer server = new FakeLiveTailServer((ids, n) -> n == 1
        ? List.of(FakeLiveTailServer.sessionStart(), FakeLiveTailServer.update(false, List.<Object[]>of(frame(before))),
            f -> f.exception("SessionStreamingException", "Internal streaming error"))
        : List.of(FakeLiveTailServer.sessionStart(), FakeLiveTailServer.update(false, List.<Object[]>of(frame(after))),
            FakeLiveTailServer.hold()));
    closeables.add(server);
    LiveTailSource source = LiveTailSource.builder(asyncClient(server), logs).logGroup(g)
        .rateLimiter(RequestRateLimiter.create(500))
        .backoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100))).build();
    closeables.add(source);

    source.start(got::add);
    Await.until(() -> got.size() >= 2, () -> lines() + " " + source.status());

    assertThat(lines()).containsExactly(before, after);
    assertThat(server.requests).hasSize(2);
    assertThat(source.sessionsStarted()).isEqualTo(2);
    assertThat(source.status().message()).startsWith("Live Tail: ").contains("Internal streaming error")
        .endsWith("(reconnecting)");
  }
}
