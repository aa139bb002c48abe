package dev.taillight.instrumentation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The smallest Lambda Runtime API server the real runtime interface client will talk to: hands out
 * queued invocations on {@code /invocation/next} and records responses and errors.
 */
final class MiniRuntimeApi implements AutoCloseable {
  /** An invocation to hand out. */
  record Invocation(String requestId, String traceHeader, long deadlineMs, String event) {}

  /** What the runtime posted back: the response body, or an error. */
  record Result(String requestId, boolean error, String body) {}

  private final HttpServer server;
  private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
  private final Map<String, BlockingQueue<Result>> results = new ConcurrentHashMap<>();
  final BlockingQueue<String> initErrors = new LinkedBlockingQueue<>();

  MiniRuntimeApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "mini-runtime-api");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/2018-06-01/runtime/", this::handle);
    server.start();
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  void enqueue(Invocation invocation) {
    results.put(invocation.requestId(), new LinkedBlockingQueue<>());
    pending.add(invocation);
  }

  Result await(String requestId) throws InterruptedException {
    Result r = results.get(requestId).poll(60, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no result for " + requestId);
    }
    return r;
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    byte[] body = ex.getRequestBody().readAllBytes();
    try {
      if (path.endsWith("/invocation/next")) {
        Invocation inv = pending.take();
        var h = ex.getResponseHeaders();
        h.add("Lambda-Runtime-Aws-Request-Id", inv.requestId());
        h.add("Lambda-Runtime-Deadline-Ms", Long.toString(inv.deadlineMs()));
        h.add("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:orders");
        h.add("Lambda-Runtime-Trace-Id", inv.traceHeader());
        // the runtime client's native code crashes when these two are missing: send them empty
        h.add("Lambda-Runtime-Client-Context", "");
        h.add("Lambda-Runtime-Cognito-Identity", "");
        h.add("Content-Type", "application/json");
        send(ex, 200, inv.event().getBytes(StandardCharsets.UTF_8));
      } else if (path.contains("/invocation/") && path.endsWith("/response")) {
        String id = path.split("/")[4];
        results.get(id).add(new Result(id, false, new String(body, StandardCharsets.UTF_8)));
        send(ex, 202, new byte[0]);
      } else if (path.contains("/invocation/") && path.endsWith("/error")) {
        String id = path.split("/")[4];
        results.get(id).add(new Result(id, true, new String(body, StandardCharsets.UTF_8)));
        send(ex, 202, new byte[0]);
      } else if (path.endsWith("/init/error")) {
        initErrors.add(new String(body, StandardCharsets.UTF_8));
        send(ex, 202, new byte[0]);
      } else {
        send(ex, 404, new byte[0]);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.close();
    }
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
