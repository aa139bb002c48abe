package dev.taillight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real launcher {@code ./taillight} in a real terminal (tmux): the TUI draws, keys work, and the
 * terminal is restored on quit and on Ctrl-C. Runs in the integration-test phase, after the jar is built
 * ({@code mvn -pl tail-cli -am verify}).
 */
class TmuxLauncherE2ETest {
  @TempDir Path dir;
  private String session;

  static Path repo() {
    String repo = System.getProperty("taillight.repo");
    return Path.of(repo != null ? repo : "..").toAbsolutePath().normalize();
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + List.of(cmd));
    }
    return out;
  }

  private void start(String name) throws Exception {
    Path jar = repo().resolve("tail-cli/target/taillight.jar");
    assertThat(jar).as("the launcher's jar (built in the package phase)").exists();
    session = name + "-" + ProcessHandle.current().pid();
    Path sample = repo().resolve("tail-cli/src/test/resources/samples/orders-trace.jsonl");
    String script = "cd '" + repo() + "' && TAILLIGHT_HOME='" + dir + "' ./taillight tail --from '" + sample
        + "'; echo \"EXIT=$?\"; sleep 60";
    run("tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "30", "-e", "TERM=xterm-256color",
        "bash", "-c", script);
  }

  private String screen() throws Exception {
    return run("tmux", "capture-pane", "-p", "-t", session);
  }

  /** Polls the pane until it shows what is expected (up to 30 s); returns the screen. */
  private String await(Predicate<String> expected, String what) throws Exception {
    String s = "";
    for (int i = 0; i < 300; i++) {
      s = screen();
      if (expected.test(s)) {
        return s;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the terminal never showed " + what + "; it shows:\n" + s);
  }

  private void keys(String... keys) throws Exception {
    String[] cmd = new String[keys.length + 4];
    cmd[0] = "tmux";
    cmd[1] = "send-keys";
    cmd[2] = "-t";
    cmd[3] = session;
    System.arraycopy(keys, 0, cmd, 4, keys.length);
    run(cmd);
  }

  @AfterEach
  void kill() throws Exception {
    if (session != null) {
      run("tmux", "kill-session", "-t", session);
    }
  }

  @Test
  void tui_shows_invocations_answers_keys_and_restores_the_terminal_on_q() throws Exception {
    start("tl-e2e-q");
    String s = await(t -> t.contains("TIMEOUT") && t.contains("ev/s"), "the stream with the timeout");
    assertThat(s).contains("orders-api").contains("payments").contains("FUNCTION").contains("COLD init 412.3 ms");
    keys("E");
    await(t -> t.contains("status TIMEOUT"), "the detail pane of the timed-out invocation");
    keys("?");
    await(t -> t.contains("Keys (any key closes)") && t.contains("pause/resume the stream"), "the key map");
    keys("x");
    await(t -> !t.contains("Keys (any key closes)"), "the help closed");
    keys("q");
    s = await(t -> t.contains("EXIT=0"), "the command ending with exit code 0");
    assertThat(s).doesNotContain("FUNCTION").doesNotContain("ev/s");
    assertThat(Files.exists(dir.resolve("taillight.db"))).as("recorded in the index").isTrue();
  }

  @Test
  void ctrl_c_exits_130_and_restores_the_terminal() throws Exception {
    start("tl-e2e-c");
    await(t -> t.contains("TIMEOUT"), "the stream");
    keys("C-c");
    String s = await(t -> t.contains("EXIT="), "the command ending");
    assertThat(s).contains("EXIT=130").doesNotContain("ev/s");
  }
}
