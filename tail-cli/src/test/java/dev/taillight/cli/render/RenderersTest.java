package dev.taillight.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.cli.Fixtures;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationStatus;
import dev.taillight.collector.LogLine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RenderersTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static Fixtures.Inv coldOrder() {
    return Fixtures.invocation("orders-api", "8f3c2a1e-1111-2222-3333-444455556666")
        .cold(412.3)
        .platformLine(0, "START RequestId: 8f3c2a1e-1111-2222-3333-444455556666 Version: $LATEST")
        .line(7, "INFO", "Processing order 42")
        .line(9, null, "plain println\nsecond line")
        .platformLine(121, "END RequestId: 8f3c2a1e-1111-2222-3333-444455556666")
        .report(InvocationStatus.OK, 120.5, 121, 512, 87, 0.0000022518)
        .trace("5759e988bd862e3fe1be46a994272793");
  }

  private static void feed(TailRenderer r, Fixtures.Inv b) {
    Invocation started = Fixtures.invocation(b.build().function(), b.build().requestId()).build();
    r.onInvocationStarted(started);
    for (LogLine l : b.lines()) {
      r.onLine(l);
    }
    r.onInvocationFinished(b.build());
  }

  @Test
  void plain_prints_an_invocation_block_with_header_facts_and_its_app_lines() {
    PlainRenderer r = new PlainRenderer(out, Ansi.off(), ZoneOffset.UTC, LineFilter.all(), false, true);
    feed(r, coldOrder());
    r.finish();
    assertThat(output()).isEqualTo(""
        + "orders-api 03:40:01.123 \u250c 8f3c2a1e-1111-2222-3333-444455556666 OK COLD init 412.3 ms  120.5 ms"
        + "  billed 121 ms  mem 87/512 MB  $0.00000225\n"
        + "orders-api 03:40:01.130 \u2502 INFO  Processing order 42\n"
        + "orders-api 03:40:01.132 \u2502 plain println\n"
        + "orders-api 03:40:01.132 \u2502 second line\n");
  }

  @Test
  void plain_marks_a_timeout_with_colour_and_shows_the_platform_timeout_line() {
    PlainRenderer r = new PlainRenderer(out, new Ansi(true), ZoneOffset.UTC, LineFilter.all(), false, false);
    Fixtures.Inv b = Fixtures.invocation("payments", "aaaa")
        .line(5, "INFO", "charging")
        .platformLine(3000, "2026-11-28T03:40:04.123Z aaaa Task timed out after 3.00 seconds")
        .report(InvocationStatus.TIMEOUT, 3000.0, 3000, 128, 60, 0.0000062)
        .error("Sandbox.Timedout", null);
    feed(r, b);
    r.finish();
    String magenta = "\u001b[" + FunctionColors.sgr(FunctionColors.index("payments")) + "m";
    assertThat(output()).isEqualTo(""
        + magenta + "payments\u001b[0m \u001b[2m03:40:01.123\u001b[0m " + magenta + "+\u001b[0m aaaa "
        + "\u001b[1;97;41m TIMEOUT \u001b[0m  3.00 s  billed 3.00 s  mem 60/128 MB  $0.0000062  "
        + "\u001b[1;31mSandbox.Timedout\u001b[0m\n"
        + magenta + "payments\u001b[0m \u001b[2m03:40:01.128\u001b[0m " + magenta + "|\u001b[0m INFO  charging\n"
        + magenta + "payments\u001b[0m \u001b[2m03:40:04.123\u001b[0m " + magenta + "|\u001b[0m "
        + "\u001b[1;31m2026-11-28T03:40:04.123Z aaaa Task timed out after 3.00 seconds\u001b[0m\n");
  }

  @Test
  void plain_pads_function_names_and_prints_unfinished_invocations_at_the_end() {
    PlainRenderer r = new PlainRenderer(out, Ansi.off(), ZoneOffset.UTC, LineFilter.all(), false, false);
    r.onLine(Fixtures.line("checkout-service", "s1", Fixtures.T0, null, null, "init: loading config"));
    Fixtures.Inv running = Fixtures.invocation("api", "r-1").line(1, "WARN", "slow downstream");
    r.onInvocationStarted(running.build());
    running.lines().forEach(r::onLine);
    r.finish();
    assertThat(output()).isEqualTo(""
        + "checkout-service 03:40:01.123   init: loading config\n"
        + "api              03:40:01.123 + r-1 RUNNING\n"
        + "api              03:40:01.124 | WARN  slow downstream\n");
  }

  @Test
  void grep_and_exclude_keep_only_invocations_with_a_matching_line() {
    LineFilter f = new LineFilter(List.of(Pattern.compile("order \\d+")), List.of(Pattern.compile("order 7")));
    PlainRenderer r = new PlainRenderer(out, Ansi.off(), ZoneOffset.UTC, f, false, false);
    feed(r, coldOrder());
    feed(r, Fixtures.invocation("orders-api", "other").line(1, null, "order 7 shipped")
        .report(InvocationStatus.OK, 2, 2, 512, 80, 0.0000001));
    r.finish();
    assertThat(output()).contains("8f3c2a1e-1111").doesNotContain("other");
  }

  @Test
  void json_prints_one_object_per_line_with_every_field() {
    JsonLinesRenderer r = new JsonLinesRenderer(out, LineFilter.all());
    r.onLine(Fixtures.line("orders-api", "s1", Fixtures.T0, "r-1", "INFO", "say \"hi\"\tnow"));
    r.finish();
    LogLine l = Fixtures.line("orders-api", "s1", Fixtures.T0, "r-1", "INFO", "say \"hi\"\tnow");
    assertThat(output()).isEqualTo("{\"time\":\"2026-11-28T03:40:01.123Z\",\"function\":\"orders-api\","
        + "\"logGroup\":\"/aws/lambda/orders-api\",\"logStream\":\"s1\",\"requestId\":\"r-1\",\"kind\":\"app\","
        + "\"level\":\"INFO\",\"message\":\"say \\\"hi\\\"\\tnow\",\"eventId\":\"" + l.event().eventId() + "\"}\n");
  }

  @Test
  void invocations_format_prints_the_documented_fields_of_finished_invocations_only() {
    InvocationsRenderer r = new InvocationsRenderer(out, LineFilter.all());
    r.onInvocationStarted(Fixtures.invocation("orders-api", "x").build());
    feed(r, coldOrder());
    r.finish();
    assertThat(output()).isEqualTo("{\"function\":\"orders-api\",\"logGroup\":\"/aws/lambda/orders-api\","
        + "\"logStream\":\"2026/11/28/[$LATEST]0123456789abcdef0123456789abcdef\","
        + "\"requestId\":\"8f3c2a1e-1111-2222-3333-444455556666\",\"startTime\":\"2026-11-28T03:40:01.123Z\","
        + "\"endTime\":\"2026-11-28T03:40:01.244Z\",\"coldStart\":true,\"initDurationMs\":412.3,"
        + "\"restoreDurationMs\":null,\"durationMs\":120.5,\"billedDurationMs\":121,\"memorySizeMb\":512,"
        + "\"maxMemoryUsedMb\":87,\"status\":\"ok\",\"errorType\":null,\"errorMessage\":null,"
        + "\"traceId\":\"5759e988bd862e3fe1be46a994272793\",\"costUsd\":0.0000022518,\"lineCount\":4}\n");
  }

  @Test
  void formats_durations_and_money_for_people() {
    assertThat(Format.ms(121.0)).isEqualTo("121 ms");
    assertThat(Format.ms(0.25)).isEqualTo("0.3 ms");
    assertThat(Format.ms(2345.0)).isEqualTo("2.35 s");
    assertThat(Format.ms(65_000.0)).isEqualTo("1m05s");
    assertThat(Format.ms(null)).isEqualTo("-");
    assertThat(Format.usd(0.0000022518)).isEqualTo("$0.00000225");
    assertThat(Format.usd(12.3456)).isEqualTo("$12.3456");
    assertThat(Format.usd(0.0)).isEqualTo("$0");
  }

  @Test
  void function_colours_are_stable_and_never_red() {
    assertThat(FunctionColors.index("orders-api")).isEqualTo(FunctionColors.index("orders-api"));
    for (int i = 0; i < FunctionColors.size(); i++) {
      assertThat(FunctionColors.sgr(i)).isNotIn(31, 91);
    }
  }
}
