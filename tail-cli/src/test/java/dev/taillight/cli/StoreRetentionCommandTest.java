package dev.taillight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index the commands open keeps 14 days by default; TAILLIGHT_RETENTION_DAYS changes that. */
class StoreRetentionCommandTest {
  @TempDir Path dir;

  private CliRun run(Instant now, Map<String, String> vars, String... args) {
    CliEnv env = CliEnv.builder().home(dir).env(vars).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--store";
    all[args.length + 1] = dir.resolve("index.db").toString();
    return CliRun.run(env, all);
  }

  private void record() {
    CliRun r = run(Instant.parse("2026-11-28T04:00:00Z"), Map.of(), "tail", "--from",
        TailCommandTest.sample("orders-trace.jsonl").toString(), "--format", "invocations");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
  }

  @Test
  void invocations_older_than_fourteen_days_leave_the_index_when_it_is_next_opened() {
    record();
    Instant tenDaysLater = Instant.parse("2026-12-08T04:00:00Z");
    assertThat(run(tenDaysLater, Map.of(), "search", "--format", "json").out().lines()).isNotEmpty();

    Instant monthLater = Instant.parse("2026-12-28T04:00:00Z");
    run(monthLater, Map.of(), "stats"); // opens the index: retention runs in the background, flushed on close
    CliRun after = run(monthLater, Map.of(), "search");
    assertThat(after.exitCode()).isEqualTo(0);
    assertThat(after.out()).startsWith("no matching invocations in ");
  }

  @Test
  void retention_days_zero_keeps_everything_and_a_bad_value_is_a_usage_error() {
    record();
    Instant yearLater = Instant.parse("2027-11-28T04:00:00Z");
    Map<String, String> keep = Map.of("TAILLIGHT_RETENTION_DAYS", "0");
    run(yearLater, keep, "stats");
    assertThat(run(yearLater, keep, "search", "--format", "json").out().lines()).isNotEmpty();

    CliRun bad = run(yearLater, Map.of("TAILLIGHT_RETENTION_DAYS", "two weeks"), "search");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("TAILLIGHT_RETENTION_DAYS=two weeks is not a number of days");
  }
}
