package dev.taillight.instrumentation;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Builds tracers with injected env, system properties, clock and writer. */
final class Tracers {
  static final Instant T0 = Instant.parse("2026-11-28T04:00:00Z");

  final Map<String, String> env = new HashMap<>();
  final Map<String, String> props = new HashMap<>();
  final TestClock clock = new TestClock(T0);
  final InMemorySpanWriter writer = new InMemorySpanWriter();
  long jvmStartNanos;
  LogCorrelation logs = LogCorrelation.noop();

  Tracers() {
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_LAMBDA_FUNCTION_NAME", "orders");
    env.put("TAILLIGHT_TIMEOUT_MARGIN_MS", "0");
    props.put("os.arch", "amd64");
    jvmStartNanos = clock.nanos() - Duration.ofMillis(850).toNanos();
  }

  Tracers env(String k, String v) {
    env.put(k, v);
    return this;
  }

  Tracer build() {
    return new Tracer(Config.from(env::get), env::get, props::get, clock, writer, logs, () -> jvmStartNanos);
  }
}
