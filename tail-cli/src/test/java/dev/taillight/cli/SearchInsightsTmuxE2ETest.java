package dev.taillight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search pushed down to Logs Insights in a real terminal (tmux, the real launcher and jar): the progress line
 * on standard error, and Ctrl-C stopping the query with StopQuery before the command exits with 130. moto
 * completes queries at once and has no StopQuery, so a small CloudWatch Logs endpoint in this test plays a query
 * that keeps running (the AWS SDK client in the jar talks to it as to AWS).
 */
class SearchInsightsTmuxE2ETest {
  @TempDir Path dir;
  private String session;
  private HttpServer server;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger polls = new AtomicInteger();

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + List.of(cmd));
    }
    return out;
  }

  /** StartQuery, GetQueryResults (always Running, statistics growing), StopQuery; Lambda answers "no function". */
  private void startEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  private void answer(HttpExchange x) throws IOException {
    String target = x.getRequestHeaders().getFirst("X-Amz-Target");
    String op = target == null ? x.getRequestMethod() + " " + x.getRequestURI().getPath()
        : target.substring(target.indexOf('.') + 1);
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    calls.add(op + " " + body);
    int status = 200;
    String json;
    switch (op) {
      case "StartQuery" -> json = "{\"queryId\":\"q-1\"}";
      case "GetQueryResults" -> {
        int n = polls.incrementAndGet();
        json = "{\"status\":\"Running\",\"results\":[],\"statistics\":{\"recordsMatched\":" + (n * 7)
            + ".0,\"recordsScanned\":" + (n * 1000) + ".0,\"bytesScanned\":" + (n * 300L * 1024 * 1024) + ".0}}";
      }
      case "StopQuery" -> json = "{\"success\":true}";
      default -> {
        status = 404;
        x.getResponseHeaders().add("x-amzn-ErrorType", "ResourceNotFoundException");
        json = "{\"message\":\"Function not found\"}";
      }
    }
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  private String screen() throws Exception {
    return run("tmux", "capture-pane", "-p", "-t", session);
  }

  private String await(Predicate<String> expected, String what) throws Exception {
    String s = "";
    for (int i = 0; i < 300; i++) {
      s = screen();
      if (expected.test(s)) {
        return s;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the terminal never showed " + what + "; it shows:\n" + s);
  }

  @AfterEach
  void stop() throws Exception {
    if (session != null) {
      run("tmux", "kill-session", "-t", session);
    }
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void ctrl_c_stops_the_running_query_and_exits_130() throws Exception {
    Path jar = TmuxLauncherE2ETest.repo().resolve("tail-cli/target/taillight.jar");
    assertThat(jar).as("the launcher's jar (built in the package phase)").exists();
    startEndpoint();
    session = "tl-insights-" + ProcessHandle.current().pid();
    String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    String script = "cd '" + TmuxLauncherE2ETest.repo() + "' && AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test"
        + " AWS_REGION=us-east-1 NO_COLOR=1 TAILLIGHT_HOME='" + dir + "' ./taillight search -f orders-api"
        + " --errors --since 7d --remote --endpoint-url " + endpoint + "; echo \"EXIT=$?\"; sleep 60";
    run("tmux", "new-session", "-d", "-s", session, "-x", "150", "-y", "20", "-e", "TERM=xterm-256color",
        "bash", "-c", script);
    String s = await(t -> t.contains("lines matched") && polls.get() >= 2, "the progress line");
    assertThat(s).contains("taillight: searching /aws/lambda/orders-api with CloudWatch Logs Insights")
        .containsPattern("Logs Insights Running  \\d+ s  [\\d,]+ lines matched  [\\d.]+ (MB|GB) scanned")
        .doesNotContain("\u001b[");
    run("tmux", "send-keys", "-t", session, "C-c");
    s = await(t -> t.contains("EXIT="), "the command ending");
    assertThat(s).contains("EXIT=130");
    assertThat(calls).filteredOn(c -> c.startsWith("StartQuery ")).singleElement().satisfies(c -> assertThat(c)
        .contains("\"logGroupNames\":[\"/aws/lambda/orders-api\"]").contains("Status: (error|timeout|failure)"));
    assertThat(calls).filteredOn(c -> c.startsWith("StopQuery ")).singleElement()
        .satisfies(c -> assertThat(c).contains("\"queryId\":\"q-1\""));
  }
}
