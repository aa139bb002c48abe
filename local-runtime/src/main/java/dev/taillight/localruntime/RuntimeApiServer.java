package dev.taillight.localruntime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Lambda's Runtime API ({@code 2018-06-01}) for one execution environment, on a loopback port.
 *
 * <p>The runtime interface client in the child JVM long-polls {@code GET /invocation/next}; each such request
 * becomes a {@link Signal.Ready} carrying a future that the environment completes with the next {@link
 * Invocation}. Posted responses and errors become signals too. The server holds no state of its own: the
 * environment consumes the signals on its own thread, in order. Every invocation answer carries the two
 * headers the client's native code needs even when empty ({@code Lambda-Runtime-Client-Context}, {@code
 * Lambda-Runtime-Cognito-Identity}).
 */
final class RuntimeApiServer implements AutoCloseable {

  private static final String BASE = "/2018-06-01/runtime/";

  static {
    // The JDK server writes headers and body in separate segments; with Nagle's algorithm on, the client's
    // delayed ACK adds ~40 ms to every exchange. Must be set before the first HttpServer of this JVM.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** One event to hand to the runtime, with the headers Lambda sends. */
  record Invocation(String requestId, byte[] payload, long deadlineEpochMs, String functionArn, String traceHeader,
      String clientContext, String cognitoIdentity) {}

  /** What the runtime told us, in arrival order. */
  sealed interface Signal {
    record Ready(CompletableFuture<Invocation> slot) implements Signal {}

    record Response(String requestId, byte[] body) implements Signal {}

    record FunctionError(String requestId, String errorType, byte[] body) implements Signal {}

    record InitError(String errorType, byte[] body) implements Signal {}

    record Exited(int exitValue) implements Signal {}
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Consumer<Signal> signals;
  private final java.util.Set<CompletableFuture<Invocation>> pending =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  RuntimeApiServer(Consumer<Signal> signals, String threadName) throws IOException {
    this.signals = signals;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext(BASE, this::handle);
    server.start();
  }

  /** {@code 127.0.0.1:PORT}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
  String address() {
    InetSocketAddress a = server.getAddress();
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if (method.equals("GET") && path.equals(BASE + "invocation/next")) {
        next(ex);
      } else if (method.equals("POST") && path.equals(BASE + "init/error")) {
        byte[] body = readBody(ex);
        signals.accept(new Signal.InitError(errorType(ex, body), body));
        accepted(ex);
      } else if (method.equals("POST") && path.startsWith(BASE + "invocation/")) {
        String rest = path.substring((BASE + "invocation/").length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? "" : rest.substring(0, slash);
        String action = slash < 0 ? rest : rest.substring(slash + 1);
        byte[] body = readBody(ex);
        if (action.equals("response")) {
          signals.accept(new Signal.Response(id, body));
          accepted(ex);
        } else if (action.equals("error")) {
          signals.accept(new Signal.FunctionError(id, errorType(ex, body), body));
          accepted(ex);
        } else {
          reply(ex, 404, "{\"errorMessage\":\"unknown path\",\"errorType\":\"InvalidRequest\"}");
        }
      } else {
        readBody(ex);
        reply(ex, 404, "{\"errorMessage\":\"unknown path\",\"errorType\":\"InvalidRequest\"}");
      }
    }
  }

  private void next(HttpExchange ex) throws IOException {
    CompletableFuture<Invocation> slot = new CompletableFuture<>();
    pending.add(slot);
    signals.accept(new Signal.Ready(slot));
    Invocation inv;
    try {
      inv = slot.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException e) {
      reply(ex, 500, "{\"errorMessage\":\"environment shutting down\",\"errorType\":\"ServiceException\"}");
      return;
    } finally {
      pending.remove(slot);
    }
    var h = ex.getResponseHeaders();
    h.set("Content-Type", "application/json");
    h.set("Lambda-Runtime-Aws-Request-Id", inv.requestId());
    h.set("Lambda-Runtime-Deadline-Ms", Long.toString(inv.deadlineEpochMs()));
    h.set("Lambda-Runtime-Invoked-Function-Arn", inv.functionArn());
    h.set("Lambda-Runtime-Trace-Id", inv.traceHeader());
    h.set("Lambda-Runtime-Client-Context", inv.clientContext() == null ? "" : inv.clientContext());
    h.set("Lambda-Runtime-Cognito-Identity", inv.cognitoIdentity() == null ? "" : inv.cognitoIdentity());
    ex.sendResponseHeaders(200, inv.payload().length == 0 ? -1 : inv.payload().length);
    if (inv.payload().length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(inv.payload());
      }
    }
  }

  private static String errorType(HttpExchange ex, byte[] body) {
    String header = ex.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
    if (header != null && !header.isBlank()) {
      return header.strip();
    }
    return "Runtime.Unknown";
  }

  private static byte[] readBody(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      return in.readAllBytes();
    }
  }

  private static void accepted(HttpExchange ex) throws IOException {
    reply(ex, 202, "{\"status\":\"OK\"}");
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  /** Stops listening and releases any request still waiting for an event. */
  @Override
  public void close() {
    for (CompletableFuture<Invocation> slot : pending) {
      slot.completeExceptionally(new IllegalStateException("closed"));
    }
    server.stop(0);
    executor.shutdownNow();
  }
}
