package dev.taillight.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taillight.collector.parse.ParseFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CollectorTest {
  static final long T0 = 1_716_222_584_833L;
  final TestClock clock = new TestClock(1_000);
  final RecordingListener listener = new RecordingListener();

  static String id(int stream, int n) {
    return String.format("%08x-0000-4000-8000-%012x", stream, n);
  }

  @Test
  void events_accepted_from_many_threads_at_once_all_end_up_in_their_invocations() throws Exception {
    Collector collector = Collector.builder().clock(clock).listener(listener).build();
    int threads = 4;
    int perThread = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int stream = t;
      done.add(pool.submit(() -> {
        // each thread is one source reading one stream, in order
        for (int n = 0; n < perThread; n++) {
          long ts = T0 + n * 10L;
          String id = id(stream, n);
          collector.accept(RawEvent.of("/aws/lambda/f" + stream, "s" + stream, ts, "START RequestId: " + id
              + " Version: $LATEST"));
          collector.accept(RawEvent.of("/aws/lambda/f" + stream, "s" + stream, ts + 1, "line " + n));
          collector.accept(RawEvent.of("/aws/lambda/f" + stream, "s" + stream, ts + 2, "REPORT RequestId: " + id
              + "\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB"));
        }
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    collector.flush();
    assertThat(listener.finished).hasSize(threads * perThread);
    assertThat(listener.finished).allSatisfy(inv -> {
      assertThat(inv.status()).isEqualTo(InvocationStatus.OK);
      assertThat(inv.lines()).hasSize(3);
      assertThat(inv.function()).isEqualTo("f" + inv.logStream().substring(1));
    });
    CollectorStats stats = collector.stats();
    assertThat(stats.events()).isEqualTo(3L * threads * perThread);
    assertThat(stats.platformLines()).isEqualTo(2L * threads * perThread);
    assertThat(stats.appLines()).isEqualTo((long) threads * perThread);
    assertThat(stats.invocationsFinished()).isEqualTo((long) threads * perThread);
  }

  @Test
  void malformed_lines_are_kept_as_app_lines_and_counted_per_reason() {
    Collector collector = Collector.builder().clock(clock).listener(listener).build();
    String id = id(1, 1);
    collector.accept(RawEvent.of("/aws/lambda/f", "s", T0, "START RequestId: " + id + " Version: $LATEST"));
    collector.accept(RawEvent.of("/aws/lambda/f", "s", T0 + 1, "{\"level\":\"INFO\",\"message\":\"cut at 256 K"));
    collector.accept(RawEvent.of("/aws/lambda/f", "s", T0 + 2, "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":"
        + "[{\"traceId\":\"5759e988bd862e3fe1be46a994272793\",\"spanId\":\"53995c3f42cd8ad8\",\"startTimeUnixNano\":"
        + "\"soon\"}]}]}]}"));
    collector.accept(RawEvent.of("/aws/lambda/f", "s", T0 + 3, "{\"__otel_otlp_stdout\":\"0.1.0\",\"content-type\":"
        + "\"application/x-protobuf\",\"content-encoding\":\"gzip\",\"payload\":\"bm90IGd6aXA=\",\"base64\":true}"));
    collector.accept(RawEvent.of("/aws/lambda/f", "s", T0 + 4, "END RequestId: " + id));
    collector.flush();
    assertThat(collector.stats().parseFailures()).containsEntry(ParseFailure.MALFORMED_JSON, 1L)
        .containsEntry(ParseFailure.BAD_SPAN_LINE, 1L).containsEntry(ParseFailure.BAD_ENVELOPE, 1L);
    assertThat(collector.stats().parseFailureCount()).isEqualTo(3);
    Invocation inv = listener.last(id);
    assertThat(inv.lines()).hasSize(5);
    assertThat(inv.lines()).filteredOn(l -> l.kind() == LineKind.APP).extracting(LogLine::text)
        .allMatch(t -> t.startsWith("{"));
  }

  @Test
  void json_format_timeout_and_runtime_exit_give_timeout_and_crash() {
    Collector collector = Collector.builder().clock(clock).listener(listener).build();
    String a = id(2, 1);
    String b = id(2, 2);
    collector.accept(RawEvent.of("/aws/lambda/f", "s", T0, "{\"time\":\"t\",\"type\":\"platform.start\",\"record\":"
        + "{\"requestId\":\"" + a + "\",\"version\":\"$LATEST\"}}"));
    collector.accept(RawEvent.of("/aws/lambda/f", "s", T0 + 3000, "{\"time\":\"t\",\"type\":\"platform.report\","
        + "\"record\":{\"requestId\":\"" + a + "\",\"status\":\"timeout\",\"metrics\":{\"durationMs\":3000.0,"
        + "\"billedDurationMs\":3000,\"memorySizeMB\":128,\"maxMemoryUsedMB\":70}}}"));
    collector.accept(RawEvent.of("/aws/lambda/f", "s", T0 + 3100, "{\"time\":\"t\",\"type\":\"platform.start\","
        + "\"record\":{\"requestId\":\"" + b + "\",\"version\":\"$LATEST\"}}"));
    collector.accept(RawEvent.of("/aws/lambda/f", "s", T0 + 3200, "{\"time\":\"t\",\"type\":\"platform.runtimeDone\","
        + "\"record\":{\"requestId\":\"" + b + "\",\"status\":\"failure\",\"errorType\":\"Runtime.ExitError\"}}"));
    collector.accept(RawEvent.of("/aws/lambda/f", "s", T0 + 3201, "{\"time\":\"t\",\"type\":\"platform.report\","
        + "\"record\":{\"requestId\":\"" + b + "\",\"status\":\"failure\",\"errorType\":\"Runtime.ExitError\","
        + "\"metrics\":{\"durationMs\":100.0,\"billedDurationMs\":100,\"memorySizeMB\":128,\"maxMemoryUsedMB\":70}}}"));
    collector.flush();
    assertThat(listener.last(a).status()).isEqualTo(InvocationStatus.TIMEOUT);
    assertThat(listener.last(a).errorType()).isEqualTo("Sandbox.Timedout");
    assertThat(listener.last(b).status()).isEqualTo(InvocationStatus.CRASH);
    assertThat(listener.last(b).errorType()).isEqualTo("Runtime.ExitError");
  }

  @Test
  void a_closed_collector_rejects_events_and_close_is_idempotent() {
    Collector collector = Collector.builder().clock(clock).tickEvery(Duration.ofMillis(50)).build();
    collector.close();
    collector.close();
    assertThatThrownBy(() -> collector.accept(RawEvent.of("g", "s", 1, "x")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void builder_refuses_settings_that_cannot_work() {
    assertThatThrownBy(() -> Collector.builder().grace(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grace");
    assertThatThrownBy(() -> Collector.builder().maxRecentInvocations(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRecentInvocations");
    assertThatThrownBy(() -> Pricing.builder().defaultArchitecture("sparc"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x86_64 or arm64");
    assertThatThrownBy(() -> Pricing.builder().perRequest(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perRequest");
  }
}
