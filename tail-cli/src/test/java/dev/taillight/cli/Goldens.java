package dev.taillight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares text with a golden file under {@code tail-cli/src/test/resources/golden/}. To regenerate after an
 * intended change, run the tests with {@code -Dtaillight.updateGoldens=true} (see the README in that folder)
 * and review the diff.
 */
public final class Goldens {
  private Goldens() {}

  public static void assertMatches(String name, String actual) {
    Path source = sourceDir().resolve(name);
    if (Boolean.getBoolean("taillight.updateGoldens")) {
      try {
        Files.createDirectories(source.getParent());
        Files.writeString(source, actual, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    String expected;
    try (var in = Goldens.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new AssertionError("golden file golden/" + name + " is missing; run with -Dtaillight.updateGoldens=true");
      }
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(actual).as("screen vs golden/" + name).isEqualTo(expected);
  }

  static Path sourceDir() {
    String repo = System.getProperty("taillight.repo");
    Path base = repo != null ? Path.of(repo) : Path.of("..");
    Path dir = base.resolve("tail-cli/src/test/resources/golden");
    if (!Files.isDirectory(dir.getParent())) {
      dir = Path.of("src/test/resources/golden");
    }
    return dir;
  }
}
