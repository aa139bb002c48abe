package dev.taillight.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The opt-in OTLP/HTTP exporter against a real HTTP server on localhost. */
class OtlpHttpWriterTest {
  private HttpServer server;
  private final List<String> bodies = new ArrayList<>();
  private final List<String> types = new ArrayList<>();
  private int status = 200;

  private String start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/traces", ex -> {
      synchronized (bodies) {
        bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        types.add(ex.getRequestHeaders().getFirst("Content-Type"));
      }
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void posts_the_same_json_as_the_stdout_line_before_the_handler_returns() throws Exception {
    String base = start();
    Map<String, String> env = Map.of("TAILLIGHT_EXPORTER", "stdout,otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", base);
    Config config = Config.from(env::get);
    assertThat(config.otlpEndpoint()).isEqualTo(base + "/v1/traces");
    InMemorySpanWriter stdout = new InMemorySpanWriter();
    SpanWriter writer = SpanWriter.composite(stdout, new OtlpHttpWriter(config.otlpEndpoint(), 2000));
    Tracers t = new Tracers();
    Tracer tracer = new Tracer(config, env::get, t.props::get, t.clock, writer, LogCorrelation.noop(), () -> 0L);

    Taillight.wrap((in, c) -> "ok", tracer).handleRequest(Map.of(), FakeLambdaContext.create("r-otlp"));

    synchronized (bodies) {
      assertThat(bodies).hasSize(1);
      assertThat(bodies.get(0) + "\n").isEqualTo(stdout.only());
      assertThat(types).containsExactly("application/json");
    }
  }

  @Test
  void a_failing_collector_is_reported_once_and_never_fails_the_invocation() throws Exception {
    status = 503;
    String base = start();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Problems.err = new PrintStream(err, true);
    Problems.resetForTests();
    try {
      OtlpHttpWriter w = new OtlpHttpWriter(base + "/v1/traces", 2000);
      byte[] line = "{}\n".getBytes(StandardCharsets.UTF_8);
      w.write(line, 0, line.length);
      w.write(line, 0, line.length);
      OtlpHttpWriter refused = new OtlpHttpWriter("http://127.0.0.1:1/v1/traces", 500);
      refused.write(line, 0, line.length);
      assertThat(err.toString()).containsOnlyOnce("HTTP 503").contains("127.0.0.1:1");
    } finally {
      Problems.err = null;
    }
  }
}
