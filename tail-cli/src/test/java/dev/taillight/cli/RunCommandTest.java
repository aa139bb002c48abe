package dev.taillight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'taillight run' on the local runtime: real runtime interface client in child JVMs. */
class RunCommandTest {
  static final String HANDLER = "dev.taillight.cli.testfn.GreetingHandler::handleRequest";
  @TempDir Path dir;

  private CliRun run(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "run";
    all[1] = HANDLER;
    all[2] = "--classpath";
    all[3] = Path.of("target/test-classes").toAbsolutePath().toString();
    all[4] = "--store=" + dir.resolve("index.db");
    System.arraycopy(args, 0, all, 5, args.length);
    return CliRun.run(CliEnv.builder().home(dir).clock(Clock.systemUTC()).build(), all);
  }

  @Test
  void runs_a_handler_cold_then_warm_and_prints_its_invocations() {
    CliRun r = run("--name", "greeter", "--event", "{\"name\":\"ada\"}", "--count", "2", "--format", "invocations");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
    assertThat(r.out().lines()).hasSize(2);
    assertThat(r.out().lines().findFirst().orElseThrow()).startsWith("{\"function\":\"greeter\"")
        .contains("\"coldStart\":true").contains("\"status\":\"ok\"").contains("\"memorySizeMb\":512");
    assertThat(r.out().lines().skip(1).findFirst().orElseThrow()).contains("\"coldStart\":false");
    CliRun search = CliRun.run(CliEnv.builder().home(dir).build(), "search", "ada", "--format", "json",
        "--store", dir.resolve("index.db").toString());
    assertThat(search.out().lines()).as("recorded in the index").hasSize(2);
  }

  @Test
  void a_failing_invocation_is_shown_and_exits_1() {
    CliRun r = run("--name", "greeter", "--event", "{\"name\":\"bob\",\"fail\":true}", "--no-store");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains("greeter").contains("greeting bob").contains("response ");
    assertThat(r.err()).startsWith("taillight: 1 of 1 invocation(s) failed (first: FUNCTION_ERROR");
  }

  @Test
  void a_missing_classpath_entry_is_not_found() {
    CliRun r = CliRun.run(CliEnv.builder().home(dir).build(), "run", HANDLER, "--classpath", "/nope/fn.jar");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).startsWith("taillight: no such file or directory on --classpath: /nope/fn.jar");
  }
}
