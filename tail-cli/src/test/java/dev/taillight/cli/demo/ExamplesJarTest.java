package dev.taillight.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taillight.cli.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesJarTest {
  @TempDir Path checkout;

  @Test
  void looks_next_to_the_taillight_jar_then_in_the_checkout_it_was_built_in() {
    Path taillightJar = checkout.resolve("tail-cli/target/taillight.jar");

    assertThat(ExamplesJar.candidates(Map.<String, String>of()::get, taillightJar, Path.of("/work")))
        .containsExactly(
            checkout.resolve("tail-cli/target/taillight-examples.jar"),
            checkout.resolve("examples/target/taillight-examples.jar"),
            Path.of("/work/examples/target/taillight-examples.jar"));
  }

  @Test
  void environment_variable_comes_first() {
    assertThat(ExamplesJar.candidates(Map.of("TAILLIGHT_EXAMPLES_JAR", "/opt/fn.jar")::get, null, checkout))
        .first().isEqualTo(Path.of("/opt/fn.jar"));
  }

  @Test
  void jar_in_the_working_directory_checkout_is_found() throws IOException {
    Path jar = checkout.resolve("examples/target/taillight-examples.jar");
    Files.createDirectories(jar.getParent());
    Files.writeString(jar, "not really a jar");

    assertThat(ExamplesJar.find(null, Map.<String, String>of()::get, null, checkout)).isEqualTo(jar);
  }

  @Test
  void missing_jar_is_not_found_with_the_build_command() {
    assertThatThrownBy(() -> ExamplesJar.find(checkout.resolve("nope.jar"), Map.<String, String>of()::get, checkout))
        .isInstanceOf(CliException.class)
        .hasMessage("no examples jar at " + checkout.resolve("nope.jar"))
        .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(3))
        .satisfies(e -> assertThat(((CliException) e).hint())
            .contains("mvn -q -DskipTests package -pl tail-cli,examples -am"));
  }
}
