package dev.taillight.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.apache.logging.log4j.ThreadContext;

class LogCorrelationTest {
  @Test
  void slf4j_and_log4j_on_the_classpath_are_both_detected() {
    assertThat(LogCorrelation.detect(getClass().getClassLoader())).isInstanceOf(LogCorrelation.Both.class);
  }

  @Test
  void nothing_on_the_classpath_gives_none() {
    ClassLoader empty = new ClassLoader(null) {};
    assertThat(LogCorrelation.detect(empty)).isNull();
  }

  @Test
  void ids_are_in_the_log4j_thread_context_during_the_invocation_and_removed_after() {
    Tracers t = new Tracers();
    t.logs = new Log4jThreadContext();
    Tracer tracer = t.build();
    Map<String, String> seen = new HashMap<>();
    Taillight.wrap((in, c) -> {
      seen.putAll(ThreadContext.getContext());
      return "ok";
    }, tracer).handleRequest(Map.of(), FakeLambdaContext.create("req-mdc"));

    SpanLine line = SpanLine.parse(t.writer.only());
    assertThat(seen).containsEntry("AWSRequestId", "req-mdc")
        .containsEntry("trace_id", line.invocation().path("traceId").asText())
        .containsEntry("span_id", line.invocation().path("spanId").asText());
    assertThat(ThreadContext.getContext()).doesNotContainKeys("AWSRequestId", "trace_id", "span_id");
  }
}
