package dev.taillight.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taillight.cli.CliEnv;
import dev.taillight.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code taillight demo} as a user runs it, through {@code Main.run}: the example functions in the local runtime,
 * no AWS account, no network; what it prints is what it recorded, and {@code search}/{@code stats} find it.
 */
class DemoCommandEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path home;

  private record Run(int code, String out, String err) {}

  private Run taillight(String... args) {
    CliEnv env = CliEnv.builder().home(home).clock(Clock.systemUTC()).env(Map.of()).build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void demo_runs_the_pipeline_prints_invocations_and_records_them_for_search_and_stats() throws Exception {
    String jar = System.getProperty("taillight.examplesJar", "../examples/target/taillight-examples.jar");
    String store = home.resolve("demo.db").toString();

    Run demo = taillight("demo", "--jar", jar, "--no-tui", "--duration", "35s", "--format", "invocations",
        "--seed", "7", "--store", store);

    assertThat(demo.code).as(demo.err).isZero();
    List<JsonNode> invocations = new ArrayList<>();
    for (String line : demo.out.split("\n")) {
      if (!line.isBlank()) {
        invocations.add(JSON.readTree(line));
      }
    }
    assertThat(invocations).extracting(j -> j.path("function").asText()).contains("orders-api");
    assertThat(invocations).filteredOn(j -> j.path("function").asText().equals("orders-api"))
        .as("the first three orders arrive at once: three cold environments")
        .filteredOn(j -> j.path("coldStart").asBoolean()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(demo.err).contains("taillight demo: 3 orders at once: cold starts in every function")
        .contains("taillight demo: " + invocations.size() + " invocations, recorded in " + store);

    Run search = taillight("search", "--since", "15m", "--limit", "1000", "--format", "json", "--store", store);
    assertThat(search.code).as(search.err).isZero();
    List<String> found = search.out.lines().filter(l -> !l.isBlank())
        .map(l -> l.substring(l.indexOf("\"requestId\""), l.indexOf("\"startTime\""))).sorted().toList();
    List<String> printed = demo.out.lines().filter(l -> !l.isBlank())
        .map(l -> l.substring(l.indexOf("\"requestId\""), l.indexOf("\"startTime\""))).sorted().toList();
    assertThat(found).as("what the demo printed is what it recorded").isEqualTo(printed);

    Run stats = taillight("stats", "--since", "15m", "--store", store);
    assertThat(stats.code).as(stats.err).isZero();
    assertThat(stats.out).contains("orders-api");
  }
}
