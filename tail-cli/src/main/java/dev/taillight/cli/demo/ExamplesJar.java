package dev.taillight.cli.demo;

import dev.taillight.cli.CliException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;

/**
 * Finds the example functions' jar ({@code taillight-examples.jar}) for {@code taillight demo}. It builds nothing:
 * it looks, in order, at {@code --jar}, {@code $TAILLIGHT_EXAMPLES_JAR}, next to the taillight jar, in the
 * checkout the taillight jar was built in ({@code examples/target/}), and in {@code examples/target/} under the
 * working directory.
 */
final class ExamplesJar {
  static final String FILE_NAME = "taillight-examples.jar";
  static final String BUILD = "mvn -q -DskipTests package -pl tail-cli,examples -am";

  private ExamplesJar() {}

  /** The places looked at, in order (for the error message too). */
  static List<Path> candidates(Function<String, String> env, Path taillightJar, Path workingDir) {
    LinkedHashSet<Path> out = new LinkedHashSet<>();
    String fromEnv = env.apply("TAILLIGHT_EXAMPLES_JAR");
    if (fromEnv != null && !fromEnv.isBlank()) {
      out.add(Path.of(fromEnv.trim()));
    }
    if (taillightJar != null) {
      Path dir = taillightJar.toAbsolutePath().getParent();
      if (dir != null) {
        out.add(dir.resolve(FILE_NAME));
        // tail-cli/target/taillight.jar (or tail-cli/target/classes) in a checkout
        Path module = dir.getFileName() != null && dir.getFileName().toString().equals("target") ? dir.getParent()
            : dir.getParent() != null ? dir.getParent().getParent() : null;
        if (module != null && module.getParent() != null) {
          out.add(module.getParent().resolve("examples").resolve("target").resolve(FILE_NAME));
        }
      }
    }
    out.add(workingDir.toAbsolutePath().resolve("examples").resolve("target").resolve(FILE_NAME));
    return new ArrayList<>(out);
  }

  /**
   * The jar to run.
   *
   * @throws CliException not found, naming the places looked at and the build command
   */
  static Path find(Path explicit, Function<String, String> env, Path workingDir) {
    return find(explicit, env, ownJar(), workingDir);
  }

  static Path find(Path explicit, Function<String, String> env, Path taillightJar, Path workingDir) {
    if (explicit != null) {
      if (!Files.isRegularFile(explicit)) {
        throw CliException.notFound("no examples jar at " + explicit,
            "build it with '" + BUILD + "' (it is examples/target/" + FILE_NAME + "), or drop --jar");
      }
      return explicit;
    }
    List<Path> places = candidates(env, taillightJar, workingDir);
    for (Path p : places) {
      if (Files.isRegularFile(p)) {
        return p.normalize();
      }
    }
    throw CliException.notFound("the example functions' jar (" + FILE_NAME + ") was not found; looked at "
        + places.stream().map(p -> p.normalize().toString()).toList(),
        "build it once with '" + BUILD + "' in the checkout (./taillight does this on first use), or give --jar");
  }

  /** Where this class was loaded from: the taillight jar, or tail-cli/target/classes in a build. */
  static Path ownJar() {
    try {
      var source = ExamplesJar.class.getProtectionDomain().getCodeSource();
      return source == null ? null : Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
