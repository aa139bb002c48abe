package dev.taillight.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the shared real-world CloudWatch samples byte-exact. Modules copy the samples they use into their
 * own {@code src/test/resources}; this reader is for tests that want to check a copy against the source.
 */
public final class Samples {
  private Samples() {}

  /** Reads a test resource of the calling module as UTF-8 text, byte-exact. */
  public static String resource(Class<?> anchor, String name) {
    try (var in = anchor.getResourceAsStream(name.startsWith("/") ? name : "/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a test resource as lines (without line terminators). */
  public static List<String> lines(Class<?> anchor, String name) {
    return resource(anchor, name).lines().toList();
  }

  /** Reads a file as UTF-8 text. */
  public static String file(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
