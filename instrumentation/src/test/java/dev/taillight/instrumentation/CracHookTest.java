package dev.taillight.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.crac.Resource;
import org.junit.jupiter.api.Test;

class CracHookTest {
  @Test
  void after_restore_makes_the_next_invocation_report_a_snapstart_restore() throws Exception {
    Tracers t = new Tracers().env("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
    Tracer tracer = t.build();
    Resource hook = (Resource) CracHook.register(tracer); // the real org.crac global context accepts it
    hook.beforeCheckpoint(null);
    hook.afterRestore(null);
    t.clock.advance(java.time.Duration.ofMillis(12));

    Taillight.wrap((in, c) -> "ok", tracer).handleRequest(Map.of(), FakeLambdaContext.create("after-restore"));

    SpanLine line = SpanLine.parse(t.writer.only());
    assertThat(line.attr("aws.lambda.init_type")).isEqualTo("snap-start");
    assertThat(line.attr("aws.lambda.restore_duration_ms")).isEqualTo(12L);
    assertThat(line.child("restore")).isNotNull();
  }
}
