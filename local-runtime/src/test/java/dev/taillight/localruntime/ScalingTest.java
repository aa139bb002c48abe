package dev.taillight.localruntime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.localruntime.InvocationResult.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Environments come and go like Lambda's: scale-out, throttling, idle shutdown, provisioned concurrency. */
@Timeout(60)
class ScalingTest {

  final InMemorySink sink = new InMemorySink();
  final List<String> notes = new CopyOnWriteArrayList<>();
  final RuntimeListener listener = new RuntimeListener() {
    @Override
    public void environmentStopped(String logStream, String reason) {
      notes.add("stopped " + logStream + " " + reason);
    }

    @Override
    public void throttled(InvocationResult result) {
      notes.add("throttled " + result.requestId());
    }
  };

  LocalRuntime.Builder runtime() {
    return LocalRuntime.builder()
        .function(FunctionConfig.builder(LocalRuntimeTest.HANDLER).name("scaling").classpath(LocalRuntimeTest.CODE)
            .timeout(Duration.ofSeconds(20)).build())
        .sink(sink).listener(listener).random(new Random(3)).reapIdleInBackground(false);
  }

  private static void awaitBusy(LocalRuntime rt, int n) throws InterruptedException {
    while (rt.environments().stream().filter(LocalRuntime.EnvironmentInfo::busy).count() < n) {
      Thread.sleep(20);
    }
  }

  @Test
  void concurrent_invocations_scale_out_to_separate_streams_and_beyond_the_limit_are_throttled() throws Exception {
    try (LocalRuntime rt = runtime().maxConcurrency(2).build()) {
      CompletableFuture<InvocationResult> a = rt.invokeAsync(InvokeRequest.of("{\"action\":\"sleep\",\"ms\":3000}"));
      CompletableFuture<InvocationResult> b = rt.invokeAsync(InvokeRequest.of("{\"action\":\"sleep\",\"ms\":3000}"));
      awaitBusy(rt, 2);
      InvocationResult throttled = rt.invoke("{\"action\":\"none\"}");

      assertThat(throttled.status()).isEqualTo(Status.THROTTLED);
      assertThat(throttled.errorType()).isEqualTo("TooManyRequestsException");
      assertThat(throttled.logStream()).isEmpty();
      assertThat(notes).contains("throttled " + throttled.requestId());
      assertThat(rt.throttleCount()).isEqualTo(1);
      InvocationResult ra = a.join();
      InvocationResult rb = b.join();
      assertThat(ra.status()).isEqualTo(Status.SUCCESS);
      assertThat(rb.status()).isEqualTo(Status.SUCCESS);
      assertThat(ra.coldStart()).isTrue();
      assertThat(rb.coldStart()).isTrue();
      assertThat(ra.logStream()).isNotEqualTo(rb.logStream());
      assertThat(sink.streams()).containsExactlyInAnyOrder(ra.logStream(), rb.logStream());
      assertThat(sink.events()).noneMatch(e -> e.message().contains(throttled.requestId()));

      InvocationResult warm = rt.invoke("{\"action\":\"none\"}");
      assertThat(warm.coldStart()).isFalse();
      assertThat(warm.logStream()).isIn(ra.logStream(), rb.logStream());
    }
  }

  @Test
  void idle_environments_are_shut_down_and_later_traffic_meets_a_cold_start() {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    try (LocalRuntime rt = runtime().clock(clock).idleTimeout(Duration.ofMinutes(5)).build()) {
      InvocationResult first = rt.invoke("{\"action\":\"none\"}");
      clock.advance(Duration.ofMinutes(4));
      assertThat(rt.shutdownIdleEnvironments()).isZero();
      InvocationResult warm = rt.invoke("{\"action\":\"none\"}");
      clock.advance(Duration.ofMinutes(5));
      assertThat(rt.shutdownIdleEnvironments()).isEqualTo(1);
      assertThat(rt.environments()).isEmpty();
      assertThat(notes).contains("stopped " + first.logStream() + " idle");
      InvocationResult later = rt.invoke("{\"action\":\"none\"}");

      assertThat(warm.coldStart()).isFalse();
      assertThat(warm.logStream()).isEqualTo(first.logStream());
      assertThat(later.coldStart()).isTrue();
      assertThat(later.logStream()).isNotEqualTo(first.logStream()).startsWith("2026/03/01/[$LATEST]");
      assertThat(sink.messages(later.logStream()).get(0)).startsWith("INIT_START ");
      assertThat(sink.events()).allSatisfy(e -> assertThat(e.timestamp()).isGreaterThanOrEqualTo(
          Instant.parse("2026-03-01T10:00:00Z").toEpochMilli()));
    }
  }

  @Test
  void provisioned_environments_initialise_before_traffic_and_report_no_init_duration() throws Exception {
    try (LocalRuntime rt = runtime().provisioned(1).build()) {
      assertThat(rt.environments()).singleElement().satisfies(e -> {
        assertThat(e.warm()).isTrue();
        assertThat(e.initializationType()).isEqualTo("provisioned-concurrency");
      });
      String stream = rt.environments().get(0).logStream();
      assertThat(sink.messages(stream)).anySatisfy(l -> assertThat(l).startsWith("INIT_START "));
      InvocationResult r = rt.invoke("{\"action\":\"none\"}");

      assertThat(r.coldStart()).isFalse();
      assertThat(r.initDurationMs()).isEqualTo(-1);
      assertThat(r.logStream()).isEqualTo(stream);
      assertThat(LocalRuntimeTest.json(r.payload()).get("initType").asText()).isEqualTo("provisioned-concurrency");
      String report = sink.messages(stream).stream().filter(l -> l.startsWith("REPORT")).findFirst().orElseThrow();
      assertThat(report).doesNotContain("Init Duration");
    }
  }
}
