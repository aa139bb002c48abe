package dev.taillight.benchmarks.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Whole-process start-up of the {@code taillight} command, as a ratio against {@code java -version} measured in
 * the same run (the least any Java command costs on this machine), interleaved so that load on the machine hits
 * both alike. The target is {@code taillight --help} in under 0.5 s.
 *
 * <p>Run (from the repository root):
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.taillight.benchmarks.cli.CliStartupBenchmark [runs]
 * </pre>
 *
 * Measures, {@code runs} times each (default 15), after 2 warm-up rounds: {@code java -version}; {@code
 * ./taillight --help} (the launcher: bash + the JVM flags it passes); {@code java -jar taillight.jar --help}
 * with default JVM flags; {@code ./taillight --version}. Prints medians and ratios to the baseline.
 */
public final class CliStartupBenchmark {
  private CliStartupBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    Path repo = Path.of(System.getProperty("taillight.repo", ".")).toAbsolutePath().normalize();
    Path jar = repo.resolve("tail-cli/target/taillight.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn -B -q -pl tail-cli -am package -DskipTests");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Case> cases = List.of(
        new Case("java -version (baseline)", List.of(java, "-version")),
        new Case("./taillight --help", List.of(repo.resolve("taillight").toString(), "--help")),
        new Case("./taillight --version", List.of(repo.resolve("taillight").toString(), "--version")),
        new Case("java -jar taillight.jar --help (default flags)", List.of(java, "-jar", jar.toString(), "--help")));
    for (int w = 0; w < 2; w++) {
      for (Case c : cases) {
        c.time(repo);
      }
    }
    for (int r = 0; r < runs; r++) {
      for (Case c : cases) {
        c.samples.add(c.time(repo));
      }
    }
    double base = cases.get(0).median();
    System.out.printf(Locale.ROOT, "%-50s %10s %8s%n", "command", "median ms", "ratio");
    for (Case c : cases) {
      System.out.printf(Locale.ROOT, "%-50s %10.1f %8.2f%n", c.name, c.median(), c.median() / base);
    }
    double help = cases.get(1).median();
    System.out.printf(Locale.ROOT, "%ntaillight --help: %.0f ms (%s the 500 ms target), %.2fx java -version%n", help,
        help < 500 ? "within" : "OVER", help / base);
  }

  private static final class Case {
    final String name;
    final List<String> command;
    final List<Double> samples = new ArrayList<>();

    Case(String name, List<String> command) {
      this.name = name;
      this.command = command;
    }

    double time(Path dir) throws IOException, InterruptedException {
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/null"))).start();
      int code = p.waitFor();
      double ms = (System.nanoTime() - t0) / 1e6;
      if (code != 0) {
        throw new IllegalStateException(command + " exited with " + code);
      }
      return ms;
    }

    double median() {
      double[] s = samples.stream().mapToDouble(Double::doubleValue).toArray();
      Arrays.sort(s);
      return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
  }
}
