package dev.taillight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  @Test
  void version_prints_the_build_version_and_exits_0() {
    CliRun r = CliRun.run("--version");
    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out()).isEqualTo("taillight " + Version.get() + "\n");
    assertThat(Version.get()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void help_lists_commands_examples_and_exit_codes() {
    CliRun r = CliRun.run("--help");
    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out()).startsWith("Usage: taillight [-hV]")
        .contains("completion").contains("Examples:")
        .contains("Exit codes: 0 ok, 1 runtime or AWS error, 2 usage error, 3 not found, 130 interrupted.");
    assertThat(r.out()).doesNotContain("\u001b[");
  }

  @Test
  void every_command_has_help_with_usage_and_examples() {
    for (String cmd : Main.COMMANDS) {
      CliRun r = CliRun.run(cmd, "--help");
      assertThat(r.exitCode()).as(cmd).isEqualTo(0);
      assertThat(r.out()).as(cmd).startsWith("Usage: taillight " + cmd + " ");
    }
    assertThat(CliRun.run("tail", "--help").out()).contains("Examples:").contains("--live-tail");
  }

  @Test
  void unknown_option_is_a_usage_error_with_exit_code_2_and_a_hint() {
    CliRun r = CliRun.run("--frobnicate");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("taillight: Unknown option: '--frobnicate'\n  hint: see 'taillight --help'\n");
  }

  @Test
  void a_mistyped_command_suggests_the_right_one() {
    CliRun r = CliRun.run("tial");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("taillight: Unmatched argument at index 0: 'tial'\n"
        + "  hint: did you mean tail? see 'taillight --help'\n");
  }

  @Test
  void no_command_is_a_usage_error() {
    CliRun r = CliRun.run();
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("taillight: missing command: choose one of ");
  }

  @Test
  void completion_prints_a_bash_script_for_every_command() {
    CliRun r = CliRun.run("completion", "bash");
    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out()).contains("complete -F _complete_taillight").contains("completion");
  }

  @Test
  void completion_for_an_unknown_shell_is_a_usage_error() {
    CliRun r = CliRun.run("completion", "fish");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("taillight: unsupported shell 'fish'\n  hint: use 'bash' or 'zsh'\n");
  }

  @Test
  void config_file_sets_defaults_per_command_and_the_command_line_wins(@TempDir Path dir) throws Exception {
    Path config = dir.resolve(".config/taillight/config.properties");
    Files.createDirectories(config.getParent());
    Files.writeString(config, "tail.format=invocations\nstore=" + dir.resolve("from-config.db") + "\n");
    CliEnv env = CliEnv.builder().home(dir).build();
    String sample = TailCommandTest.sample("orders-trace.jsonl").toString();
    CliRun byConfig = CliRun.run(env, "tail", "--from", sample);
    assertThat(byConfig.out()).startsWith("{\"function\":");
    assertThat(dir.resolve("from-config.db")).exists();
    CliRun byFlag = CliRun.run(env, "tail", "--from", sample, "--format", "plain", "--no-tui");
    assertThat(byFlag.out()).startsWith("payments ");
  }

  @Test
  void environment_beats_the_config_file(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("c.properties");
    Files.writeString(config, "store=" + dir.resolve("config.db") + "\n");
    CliEnv env = CliEnv.builder().home(dir).env(Map.of("TAILLIGHT_CONFIG", config.toString(),
        "TAILLIGHT_STORE", dir.resolve("env.db").toString())).build();
    CliRun r = CliRun.run(env, "search");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).startsWith("taillight: no index at " + dir.resolve("env.db"));
  }

  @Test
  void stacktrace_adds_the_stack_trace_to_the_one_line_error(@TempDir Path dir) {
    CliEnv env = CliEnv.builder().home(dir).build();
    CliRun plain = CliRun.run(env, "trace", "x", "--store", dir.resolve("none.db").toString());
    CliRun traced = CliRun.run(env, "trace", "x", "--store", dir.resolve("none.db").toString(), "--stacktrace");
    assertThat(plain.err().lines()).hasSize(2);
    assertThat(traced.err()).startsWith(plain.err()).contains("dev.taillight.cli.CliException").contains("\tat ");
  }

  @Test
  void a_broken_config_file_is_reported_in_one_line(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("config.properties");
    Files.writeString(config, "region=\\u12");
    CliRun r = CliRun.run(CliEnv.builder().env(Map.of("TAILLIGHT_CONFIG", config.toString())).build(), "--version");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("taillight: cannot read the config file " + config + ": ")
        .endsWith("  hint: fix or remove the file (it holds key=value lines, see docs/cli.md)\n");
  }
}
