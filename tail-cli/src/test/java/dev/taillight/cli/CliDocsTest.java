package dev.taillight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/cli.md is generated from the command model; this fails when the checked-in file is out of date. */
class CliDocsTest {

  static Path docsFile() {
    String repo = System.getProperty("taillight.repo");
    return (repo != null ? Path.of(repo) : Path.of("..")).resolve("docs/cli.md");
  }

  @Test
  void docs_cli_md_matches_the_command_model() throws Exception {
    String generated = CliDocs.generate();
    Path file = docsFile();
    if (Boolean.getBoolean("taillight.updateDocs")) {
      Files.writeString(file, generated, StandardCharsets.UTF_8);
    }
    assertThat(file).as("docs/cli.md exists (regenerate: see CliDocs)").exists();
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .as("docs/cli.md is out of date: regenerate with -Dtest=CliDocsTest -Dtaillight.updateDocs=true")
        .isEqualTo(generated);
  }

  @Test
  void reference_covers_every_command_and_option() {
    String generated = CliDocs.generate();
    assertThat(generated).contains("## taillight tail").contains("## taillight trace").contains("## taillight search")
        .contains("## taillight stats").contains("`--live-tail`").contains("`--slower-than DURATION`")
        .contains("| 130 | interrupted (Ctrl-C) |");
  }
}
