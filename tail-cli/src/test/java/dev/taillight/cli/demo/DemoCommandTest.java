package dev.taillight.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.cli.CliEnv;
import dev.taillight.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's argument errors; the demo itself runs in the e2e module (it needs the examples jar). */
class DemoCommandTest {
  @TempDir Path home;

  private String[] run(String... args) {
    CliEnv env = CliEnv.builder().home(home).clock(Clock.systemUTC()).env(Map.of()).build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void missing_jar_is_exit_3_with_how_to_build_it() {
    String[] r = run("demo", "--no-tui", "--jar", home.resolve("missing.jar").toString());

    assertThat(r[0]).isEqualTo("3");
    assertThat(r[2]).startsWith("taillight: no examples jar at " + home.resolve("missing.jar"))
        .contains("mvn -q -DskipTests package -pl tail-cli,examples -am");
  }

  @Test
  void bad_duration_is_a_usage_error() {
    String[] r = run("demo", "--no-tui", "--duration", "soon");

    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).startsWith("taillight: invalid --duration 'soon'");
  }

  @Test
  void durations_take_the_usual_units() {
    assertThat(DemoCommand.parseDuration("60s")).hasSeconds(60);
    assertThat(DemoCommand.parseDuration("2m")).hasMinutes(2);
    assertThat(DemoCommand.parseDuration("500ms")).hasMillis(500);
  }
}
