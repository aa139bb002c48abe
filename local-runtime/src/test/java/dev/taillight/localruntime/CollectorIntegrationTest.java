package dev.taillight.localruntime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.Collector;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationStatus;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The local runtime feeding Taillight's collector in-process: the collector reads its lines as Lambda's. */
@Timeout(60)
class CollectorIntegrationTest {

  @Test
  void collector_folds_local_invocations_into_the_same_outcomes_the_runtime_reports() {
    Collector collector = Collector.builder().grace(Duration.ZERO).build();
    InvocationResult ok;
    InvocationResult failed;
    InvocationResult crashed;
    InvocationResult slow;
    try (LocalRuntime rt = LocalRuntime.builder()
        .function(FunctionConfig.builder(LocalRuntimeTest.HANDLER).name("folded").classpath(LocalRuntimeTest.CODE)
            .timeout(Duration.ofMillis(1200)).activeTracing(true).build())
        .sink(collector).random(new Random(9)).reapIdleInBackground(false).build()) {
      ok = rt.invoke("{\"action\":\"hello\"}");
      failed = rt.invoke("{\"action\":\"throw\"}");
      crashed = rt.invoke("{\"action\":\"exit\"}");
      slow = rt.invoke("{\"action\":\"sleep\",\"ms\":20000}");
    }
    collector.flush();

    Invocation a = collector.invocation(ok.requestId()).orElseThrow();
    assertThat(a.status()).isEqualTo(InvocationStatus.OK);
    assertThat(a.function()).isEqualTo("folded");
    assertThat(a.logStream()).isEqualTo(ok.logStream());
    assertThat(a.coldStart()).isTrue();
    assertThat(a.durationMs()).isCloseTo(ok.durationMs(), org.assertj.core.data.Offset.offset(0.006));
    assertThat(a.billedDurationMs()).isEqualTo((double) ok.billedDurationMs());
    assertThat(a.memorySizeMb()).isEqualTo(512);
    String root = ok.traceHeader().split(";")[0].substring("Root=1-".length()).replace("-", "");
    assertThat(a.traceId()).isEqualTo(root);
    assertThat(a.lines()).extracting(l -> l.event().message()).contains("hello from stdout " + ok.requestId());

    // a handler exception leaves no status in a TEXT REPORT (as on Lambda): the collector finds the invocation and
    // its error report line, the status needs a span or the JSON format
    assertThat(collector.invocation(failed.requestId()).orElseThrow().lines()).extracting(l -> l.event().message())
        .anySatisfy(m -> assertThat(m).startsWith("boom from the handler: java.lang.IllegalStateException"));
    Invocation c = collector.invocation(crashed.requestId()).orElseThrow();
    assertThat(c.status()).isEqualTo(InvocationStatus.CRASH);
    assertThat(c.errorType()).isEqualTo("Runtime.ExitError");
    assertThat(collector.invocation(slow.requestId()).orElseThrow().status()).isEqualTo(InvocationStatus.TIMEOUT);
  }
}
