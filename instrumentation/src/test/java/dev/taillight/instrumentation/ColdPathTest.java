package dev.taillight.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.instrumentation.handlers.ColdPathMain;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards the cold start: the classes a traced handler's first invocation loads, read from a fresh JVM's
 * {@code -Xlog:class+load}. Every Taillight class on that path is a jar lookup, define and verify in the
 * interpreter (about 0.4 ms each on a small machine); the JDK classes listed cost more than they look. Time
 * itself is measured by {@code ColdStartBenchmark} in the benchmarks module, against a bare handler.
 */
class ColdPathTest {
  /** Taillight's classes that the first invocation of a TracedRequestHandler on a Map event may load. */
  private static final Set<String> COLD_PATH = Set.of(
      "TracedRequestHandler", "Tracer", "Config", "SpanRecord", "EventContext", "JsonOut");

  /** JDK classes that signal an expensive set-up on a cold JVM. */
  private static final List<String> AVOIDED = List.of(
      "java.time.ZoneOffset", // Clock.systemUTC(): time-zone tables (Instant.now() needs none)
      "java.util.concurrent.ThreadLocalRandom", // its seeding
      "java.lang.invoke.BootstrapMethodInvoker", // any invokedynamic: a lambda, indy string concatenation,
                                                 // a switch on strings' patterns or records' toString
      "java.lang.invoke.LambdaMetafactory", // a lambda or method reference: bootstrap and class spinning
      "java.io.StringWriter",
      "java.lang.ProcessHandleImpl", // a reaper thread pool
      "sun.reflect.generics.parser.SignatureParser", // generic signatures
      "java.lang.management.ManagementFactory");

  @Test
  void the_first_invocation_of_a_traced_handler_loads_only_the_cold_path_classes(@TempDir Path dir)
      throws Exception {
    Path log = dir.resolve("classes.log");
    Path out = dir.resolve("stdout.txt");
    String core = Arrays.stream(Files.readString(Path.of("target/test-runtime.classpath")).trim()
            .split(File.pathSeparator))
        .filter(e -> e.contains("aws-lambda-java-core")).findFirst().orElseThrow();
    String cp = String.join(File.pathSeparator, Path.of("target/classes").toAbsolutePath().toString(),
        Path.of("target/test-classes").toAbsolutePath().toString(), core);
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-Xlog:class+load:file=" + log, "-cp", cp, ColdPathMain.class.getName());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("TAILLIGHT_") || k.startsWith("_X_AMZN"));
    env.put("AWS_LAMBDA_FUNCTION_NAME", "hello");
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    pb.redirectErrorStream(true).redirectOutput(out.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).as("the invocation was traced as a cold start")
        .contains("{\"key\":\"faas.coldstart\",\"value\":{\"boolValue\":true}}")
        .doesNotContain("taillight:");

    Set<String> loaded = new TreeSet<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      int at = line.indexOf("[class,load] ");
      if (at >= 0) {
        String rest = line.substring(at + 13);
        loaded.add(rest.substring(0, rest.indexOf(' ')));
      }
    }
    Set<String> ours = new TreeSet<>();
    for (String name : loaded) {
      if (name.startsWith("dev.taillight.instrumentation.") && !name.startsWith("dev.taillight.instrumentation.handlers.")) {
        ours.add(name.substring("dev.taillight.instrumentation.".length()));
      }
    }
    assertThat(ours).as("Taillight classes loaded by the first invocation (each costs every cold start; see"
        + " ColdStartBenchmark before adding one)").contains("Tracer").isSubsetOf(COLD_PATH);
    assertThat(AVOIDED).as("expensive JDK set-up on the first invocation").filteredOn(loaded::contains).isEmpty();
  }
}
