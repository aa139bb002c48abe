package dev.taillight.collector.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * A stand-in for CloudWatch Logs' StartLiveTail endpoint (moto has none): answers each StartLiveTail call over
 * HTTP/1.1 with a chunked {@code application/vnd.amazon.eventstream} body of real event-stream frames
 * (initial-response, sessionStart, sessionUpdate, and exceptions such as SessionTimeoutException), encoded with
 * the SDK's own {@code software.amazon.awssdk.eventstream} library. What each session sends is scripted by the
 * test, per session: {@code (log group identifiers, n-th session with these identifiers) -> script}.
 */
final class FakeLiveTailServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One thing a session does. */
  interface Step {
    void run(Frames out) throws IOException, InterruptedException;
  }

  /** Writes frames of one session. */
  static final class Frames {
    private final OutputStream out;
    private final List<String> groups;

    Frames(OutputStream out, List<String> groups) {
      this.out = out;
      this.groups = groups;
    }

    List<String> groups() {
      return groups;
    }

    void event(String type, JsonNode payload) throws IOException {
      Map<String, HeaderValue> h = new LinkedHashMap<>();
      h.put(":message-type", HeaderValue.fromString("event"));
      h.put(":event-type", HeaderValue.fromString(type));
      h.put(":content-type", HeaderValue.fromString("application/json"));
      new Message(h, JSON.writeValueAsBytes(payload)).encode(out);
      out.flush();
    }

    void exception(String type, String message) throws IOException {
      Map<String, HeaderValue> h = new LinkedHashMap<>();
      h.put(":message-type", HeaderValue.fromString("exception"));
      h.put(":exception-type", HeaderValue.fromString(type));
      h.put(":content-type", HeaderValue.fromString("application/json"));
      ObjectNode body = JSON.createObjectNode().put("message", message);
      new Message(h, JSON.writeValueAsBytes(body)).encode(out);
      out.flush();
    }
  }

  static Step sessionStart() {
    return f -> {
      ObjectNode start = JSON.createObjectNode().put("requestId", "req-1").put("sessionId", "session-1");
      ArrayNode ids = start.putArray("logGroupIdentifiers");
      f.groups().forEach(ids::add);
      f.event("sessionStart", start);
    };
  }

  /** A sessionUpdate with events given as {arn, stream, timestamp, message}. */
  static Step update(boolean sampled, List<Object[]> events) {
    return f -> {
      ObjectNode u = JSON.createObjectNode();
      u.putObject("sessionMetadata").put("sampled", sampled);
      ArrayNode results = u.putArray("sessionResults");
      for (Object[] e : events) {
        results.addObject().put("logGroupIdentifier", (String) e[0]).put("logStreamName", (String) e[1])
            .put("timestamp", (Long) e[2]).put("ingestionTime", (Long) e[2] + 100).put("message", (String) e[3]);
      }
      f.event("sessionUpdate", u);
    };
  }

  static Step await(CountDownLatch latch) {
    return f -> {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IOException("test did not release the session");
      }
    };
  }

  static Step timeout() {
    return f -> f.exception("SessionTimeoutException", "Session has been running for 3 hours");
  }

  /** Keeps the session open until the client goes away. */
  static Step hold() {
    return f -> Thread.sleep(60_000);
  }

  private final HttpServer server;
  private final BiFunction<List<String>, Integer, List<Step>> script;
  private final Map<List<String>, AtomicInteger> sessionsByGroups = new ConcurrentHashMap<>();
  final List<List<String>> requests = new CopyOnWriteArrayList<>();
  final List<String> errors = new CopyOnWriteArrayList<>();

  FakeLiveTailServer(BiFunction<List<String>, Integer, List<Step>> script) throws IOException {
    this.script = script;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-live-tail");
      t.setDaemon(true);
      return t;
    }));
    this.server.createContext("/", this::handle);
    this.server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
      byte[] body = ex.getRequestBody().readAllBytes();
      if (target == null || !target.endsWith("StartLiveTail")) {
        errors.add("unexpected call " + target);
        ex.sendResponseHeaders(400, -1);
        return;
      }
      List<String> groups = new ArrayList<>();
      JSON.readTree(new String(body, StandardCharsets.UTF_8)).path("logGroupIdentifiers")
          .forEach(n -> groups.add(n.asText()));
      requests.add(groups);
      int n = sessionsByGroups.computeIfAbsent(groups, g -> new AtomicInteger()).incrementAndGet();
      ex.getResponseHeaders().add("Content-Type", "application/vnd.amazon.eventstream");
      ex.getResponseHeaders().add("x-amzn-RequestId", "req-" + n);
      ex.sendResponseHeaders(200, 0); // chunked: the stream stays open while frames follow
      OutputStream out = ex.getResponseBody();
      Frames frames = new Frames(out, groups);
      frames.event("initial-response", JSON.createObjectNode());
      for (Step s : script.apply(groups, n)) {
        s.run(frames);
      }
    } catch (InterruptedException | IOException e) {
      // the client closed the stream
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
