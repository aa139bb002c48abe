package dev.taillight.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;

class JvmStartTest {
  @Test
  void process_start_is_shortly_before_the_jvms_own_start_record() {
    long oursMs = Tracer.readProcessStart(Clock.systemUTC()) / 1_000_000;
    // the JVM records its start after the launcher has loaded it: the process started a little earlier
    long jvmMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    assertThat(oursMs).isBetween(jvmMs - 3_000, jvmMs + 20);
  }

  @Test
  void parses_field_22_after_a_command_name_with_spaces_and_parentheses() {
    String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 19 0 "
        + "12345 4000000000 30000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
    // started at 123.45 s after boot, now 125.45 s after boot: 2 s ago
    assertThat(Tracer.fromProc(stat, "125.45 400.10\n", 100_000_000_000L)).isEqualTo(98_000_000_000L);
  }

  @Test
  void garbage_gives_zero_so_the_caller_falls_back() {
    String stat = "1 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 999999999 0";
    assertThat(Tracer.fromProc(null, "1.00 1.00", 1)).isZero();
    assertThat(Tracer.fromProc("no parens here", "1.00 1.00", 1)).isZero();
    assertThat(Tracer.fromProc("1 (x) S 1 2", "1.00 1.00", 1)).isZero();
    assertThat(Tracer.fromProc(stat, "5.00 1.00", 1)).isZero(); // starts in the future
    assertThat(Tracer.fromProc(stat, "garbage", 1)).isZero();
  }
}
