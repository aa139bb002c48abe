package dev.taillight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** search, trace and stats over an index recorded by {@code tail --from}. */
class IndexCommandsTest {
  @TempDir static Path dir;
  static CliEnv env;

  @BeforeAll
  static void record() {
    env = CliEnv.builder().home(dir).clock(Clock.fixed(Instant.parse("2026-11-28T04:00:00Z"), ZoneOffset.UTC))
        .build();
    CliRun r = run("tail", "--from", TailCommandTest.sample("orders-trace.jsonl").toString(), "--format",
        "invocations");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
  }

  static CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--store";
    all[args.length + 1] = dir.resolve("index.db").toString();
    return CliRun.run(env, all);
  }

  @Test
  void search_lists_invocations_newest_first_as_a_table() {
    CliRun r = run("search");
    assertThat(r.exitCode()).isEqualTo(0);
    Goldens.assertMatches("search-all.txt", r.out());
  }

  @Test
  void search_by_text_and_errors_narrows_the_result() {
    CliRun r = run("search", "card declined", "--errors", "--format", "json");
    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out().lines()).hasSize(1);
    assertThat(r.out()).startsWith("{\"function\":\"payments\"").contains("\"status\":\"error\"");
  }

  @Test
  void search_filters_cold_timeouts_slow_and_functions() {
    assertThat(run("search", "--cold", "--format", "json").out()).contains("11111111-").doesNotContain("33333333-");
    assertThat(run("search", "--timeouts", "--format", "json").out().lines()).hasSize(1);
    assertThat(run("search", "--slower-than", "1s", "--format", "json").out()).contains("33333333-")
        .doesNotContain("11111111-");
    assertThat(run("search", "-f", "payments", "--format", "json").out().lines()).hasSize(1);
    assertThat(run("search", "--since", "2026-11-28T03:40:02Z", "--format", "json").out().lines()).hasSize(1);
  }

  @Test
  void search_with_nothing_found_says_so() {
    CliRun r = run("search", "no-such-words-anywhere");
    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out()).startsWith("no matching invocations in ");
  }

  @Test
  void trace_by_xray_id_draws_the_waterfall_and_each_invocations_lines() {
    CliRun r = run("trace", "1-5759e988-bd862e3fe1be46a994272793");
    assertThat(r.exitCode()).isEqualTo(0);
    Goldens.assertMatches("trace-orders.txt", r.out());
  }

  @Test
  void trace_accepts_the_w3c_form_and_a_request_id_of_the_trace() {
    CliRun w3c = run("trace", "5759e988bd862e3fe1be46a994272793");
    CliRun byRequest = run("trace", "22222222-2222-4222-8222-222222222222");
    assertThat(w3c.out()).isEqualTo(run("trace", "1-5759e988-bd862e3fe1be46a994272793").out());
    assertThat(byRequest.out()).isEqualTo(w3c.out());
  }

  @Test
  void trace_of_an_unknown_id_is_not_found_with_exit_code_3() {
    CliRun r = run("trace", "1-00000000-000000000000000000000001");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).startsWith("taillight: no trace or invocation '1-00000000-000000000000000000000001' in the"
        + " index ");
  }

  @Test
  void stats_shows_per_function_numbers_with_a_right_sizing_hint() {
    CliRun r = run("stats", "--since", "2026-11-28T03:00:00Z", "--until", "2026-11-28T04:00:00Z");
    assertThat(r.exitCode()).isEqualTo(0);
    Goldens.assertMatches("stats-orders.txt", r.out());
  }

  @Test
  void stats_as_json_has_percentiles_and_cost() {
    CliRun r = run("stats", "orders-api", "--since", "2h", "--format", "json");
    assertThat(r.out()).startsWith("{\"function\":\"orders-api\",\"from\":\"2026-11-28T02:00:00Z\","
        + "\"to\":\"2026-11-28T04:00:00Z\",\"invocations\":2,\"errors\":1,\"timeouts\":1,\"coldStarts\":1,")
        .contains("\"p50DurationMs\":120.5").contains("\"memorySizeMb\":512");
  }

  @Test
  void commands_on_a_missing_index_say_how_to_fill_it() {
    CliRun r = CliRun.run(env, "search", "--store", dir.resolve("none.db").toString());
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).isEqualTo("taillight: no index at " + dir.resolve("none.db") + "\n  hint: record some "
        + "logs first with 'taillight tail' or 'taillight pull', or point --store at an index\n");
  }

  @Test
  void right_sizing_suggests_a_smaller_size_only_when_half_is_unused() {
    assertThat(StatsCommand.rightSize(87, 512)).isEqualTo(192);
    assertThat(StatsCommand.rightSize(300, 512)).isNull();
    assertThat(StatsCommand.rightSize(60, 128)).isNull();
  }
}
