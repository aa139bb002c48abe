package dev.taillight.collector.store;

import static dev.taillight.collector.store.Fixtures.T0;
import static dev.taillight.collector.store.Fixtures.invocation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.taillight.collector.InvocationStatus;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreStatsTest {
  @TempDir Path dir;
  Store store;

  @BeforeEach
  void open() {
    store = Store.open(dir.resolve("stats.db"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Instant at(long offsetMs) {
    return Instant.ofEpochMilli(T0 + offsetMs);
  }

  @Test
  void percentiles_use_nearest_rank_over_finished_durations() {
    // durations 1..100 ms, one environment after the other
    for (int i = 1; i <= 100; i++) {
      store.onInvocationFinished(invocation("f", "r-" + i).start(T0 + (i - 1) * 1000L).finished(i).build());
    }
    store.onInvocationStarted(invocation("f", "running").start(T0 + 200_000).build()); // no duration
    store.onInvocationFinished(invocation("other", "o").start(T0 + 1000).finished(5000).build());
    store.flush();

    FunctionStats s = store.stats("f", at(0), at(300_000), 3);

    assertThat(s.invocations()).isEqualTo(101);
    assertThat(s.p50DurationMs()).isEqualTo(50.0);
    assertThat(s.p95DurationMs()).isEqualTo(95.0);
    assertThat(s.p99DurationMs()).isEqualTo(99.0);
    assertThat(s.totalBilledMs()).isEqualTo(5050.0);
    assertThat(s.costUsd()).isCloseTo(5050 * 1e-6, within(1e-12));
    assertThat(s.peakConcurrency()).isEqualTo(1);
    assertThat(s.series()).extracting(FunctionStats.Bucket::invocations).containsExactly(100L, 0L, 1L);
    assertThat(s.series()).extracting(FunctionStats.Bucket::start)
        .containsExactly(T0, T0 + 100_000, T0 + 200_000);
  }

  @Test
  void errors_timeouts_cold_starts_memory_and_cold_cost() {
    store.onInvocationFinished(invocation("f", "cold").start(T0).cold(300).finished(100).billed(400.0)
        .cost(0.0004).memory(1024, 300).build());
    store.onInvocationFinished(invocation("f", "warm").start(T0 + 1000).finished(100).cost(0.0001)
        .memory(1024, 450).build());
    store.onInvocationFinished(invocation("f", "cold2").start(T0 + 2000).cold(100).finished(100)
        .billed(200.0).cost(0.0002).status(InvocationStatus.ERROR).build());
    store.onInvocationFinished(invocation("f", "slow").start(T0 + 3000).finished(3000)
        .status(InvocationStatus.TIMEOUT).build());
    store.onInvocationFinished(invocation("f", "outside").start(T0 + 10_000).cold(999).finished(1).build());
    store.flush();

    FunctionStats s = store.stats("f", at(0), at(10_000), 2);

    assertThat(s.invocations()).isEqualTo(4);
    assertThat(s.errors()).isEqualTo(2);
    assertThat(s.timeouts()).isEqualTo(1);
    assertThat(s.coldStarts()).isEqualTo(2);
    assertThat(s.coldStartPercent()).isEqualTo(50.0);
    assertThat(s.meanInitDurationMs()).isEqualTo(200.0);
    // cold: 0.0004 * 300/400, cold2: 0.0002 * 100/200
    assertThat(s.coldStartCostUsd()).isCloseTo(0.0003 + 0.0001, within(1e-12));
    assertThat(s.maxMemoryUsedMb()).isEqualTo(450);
    assertThat(s.memorySizeMb()).isEqualTo(1024);
    assertThat(s.series()).extracting(FunctionStats.Bucket::errors).containsExactly(2L, 0L);
  }

  @Test
  void peak_concurrency_counts_distinct_environments_running_at_once() {
    // streams 1 and 2 overlap; stream 3 starts exactly when stream 1 ends (no overlap with it) but overlaps 2
    store.onInvocationFinished(invocation("f", "a").stream(1).start(T0).finished(100).build());
    store.onInvocationFinished(invocation("f", "b").stream(2).start(T0 + 50).finished(100).build());
    store.onInvocationFinished(invocation("f", "c").stream(3).start(T0 + 100).finished(100).build());
    // back to back in stream 1: never two at once in one environment
    store.onInvocationFinished(invocation("f", "d").stream(1).start(T0 + 500).finished(100).build());
    store.onInvocationFinished(invocation("f", "e").stream(1).start(T0 + 600).finished(100).build());
    store.flush();

    assertThat(store.stats("f", at(0), at(1000), 1).peakConcurrency()).isEqualTo(2);

    store.onInvocationFinished(invocation("f", "g").stream(4).start(T0 + 120).finished(10).build());
    store.flush();
    assertThat(store.stats("f", at(0), at(1000), 1).peakConcurrency()).isEqualTo(3);
  }

  @Test
  void a_function_without_invocations_in_range_has_zero_counts() {
    FunctionStats s = store.stats("nothing", at(0), at(1000), 4);
    assertThat(s.invocations()).isZero();
    assertThat(s.p50DurationMs()).isNull();
    assertThat(s.series()).hasSize(4).allSatisfy(b -> assertThat(b.invocations()).isZero());
  }

  @Test
  void stats_for_all_functions_by_name() {
    store.onInvocationFinished(invocation("zeta", "z").finished(1).build());
    store.onInvocationFinished(invocation("alpha", "a").finished(2).build());
    store.onInvocationFinished(invocation("alpha", "b").start(T0 + 1).finished(4).build());
    store.flush();

    assertThat(store.stats(at(0), at(1000), 1)).extracting(FunctionStats::function, FunctionStats::invocations)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("alpha", 2L),
            org.assertj.core.groups.Tuple.tuple("zeta", 1L));
  }
}
