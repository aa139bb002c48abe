package dev.taillight.collector.cloudwatch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * An HTTP/1.1 proxy between the SDK client and moto_server that injects faults: a throttling error (HTTP 400
 * with a ThrottlingException JSON body, as CloudWatch Logs sends it), a 5xx, a dropped connection, or a slow
 * answer; and, for Logs Insights, its quota and query errors and a query that keeps running (moto's queries
 * complete at once and it has no StopQuery). Every connection carries one request ({@code Connection: close}).
 * For tests only.
 */
public final class FaultProxy implements AutoCloseable {
  /** What the proxy does with a request. */
  public enum Fault {
    NONE, THROTTLE, SERVER_ERROR, DROP, SLOW, DENY,
    /** LimitExceededException: too many concurrent Logs Insights queries. */
    LIMIT_EXCEEDED,
    /** MalformedQueryException with a compile error location. */
    MALFORMED_QUERY,
    /** ResourceNotFoundException: a log group does not exist. */
    NOT_FOUND,
    /** GetQueryResults answering status Running with growing statistics, no results. */
    QUERY_RUNNING,
    /** StopQuery answering success. */
    STOPPED
  }

  private final ServerSocket server;
  private final URI target;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-proxy");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger counter = new AtomicInteger();
  private final Map<Fault, AtomicInteger> injected = new ConcurrentHashMap<>();
  /** Decides per request: (operation from X-Amz-Target, 1-based number of that request) -> fault. */
  private volatile BiFunction<String, Integer, Fault> plan;
  volatile long slowMillis = 1_500;

  public FaultProxy(URI target, BiFunction<String, Integer, Fault> plan) throws IOException {
    this.target = target;
    this.plan = plan;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "fault-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  public void plan(BiFunction<String, Integer, Fault> plan) {
    this.plan = plan;
  }

  public int injected(Fault f) {
    return injected.getOrDefault(f, new AtomicInteger()).get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        pool.execute(() -> handle(s));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      byte[] head = readHead(in);
      if (head == null) {
        return;
      }
      String headText = new String(head, StandardCharsets.ISO_8859_1);
      int length = 0;
      String operation = "";
      StringBuilder forwardedHead = new StringBuilder();
      String[] lines = headText.split("\r\n");
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i];
        if (line.isEmpty()) {
          continue;
        }
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        } else if (lower.startsWith("x-amz-target:")) {
          String t = line.substring(13).trim();
          operation = t.substring(t.indexOf('.') + 1);
        }
        if (i > 0 && (lower.startsWith("connection:") || lower.startsWith("keep-alive:"))) {
          continue;
        }
        forwardedHead.append(line).append("\r\n");
      }
      forwardedHead.append("Connection: close\r\n\r\n");
      byte[] body = in.readNBytes(length);
      int n = counter.incrementAndGet();
      Fault f = plan.apply(operation, n);
      injected.computeIfAbsent(f, k -> new AtomicInteger()).incrementAndGet();
      OutputStream out = client.getOutputStream();
      switch (f) {
        case THROTTLE -> respond(out, 400, "ThrottlingException", "Rate exceeded");
        case SERVER_ERROR -> respond(out, 503, "ServiceUnavailableException", "The service is unavailable");
        case DENY -> respond(out, 400, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/dev is not "
            + "authorized to perform: logs:" + operation + " on resource: arn:aws:logs:us-east-1:123456789012:"
            + "log-group:x:log-stream:y because no identity-based policy allows the logs:" + operation + " action");
        case LIMIT_EXCEEDED -> respond(out, 400, "LimitExceededException", "Resource limit exceeded.");
        case MALFORMED_QUERY -> respond(out, 400, "{\"__type\":\"MalformedQueryException\",\"message\":"
            + "\"unexpected symbol found ~ at line 2\",\"queryCompileError\":{\"location\":{\"startCharOffset\":"
            + "70,\"endCharOffset\":71},\"message\":\"unexpected symbol found ~ at line 2\"}}");
        case NOT_FOUND -> respond(out, 400, "ResourceNotFoundException", "The specified log group does not exist.");
        case QUERY_RUNNING -> respond(out, 200, "{\"status\":\"Running\",\"results\":[],\"statistics\":"
            + "{\"recordsMatched\":" + n + ".0,\"recordsScanned\":" + (n * 1000) + ".0,\"bytesScanned\":"
            + (n * 250_000) + ".0}}");
        case STOPPED -> respond(out, 200, "{\"success\":true}");
        case DROP -> client.setSoLinger(true, 0); // reset on close, nothing answered
        case SLOW -> {
          Thread.sleep(slowMillis);
          forward(forwardedHead.toString(), body, out);
        }
        default -> forward(forwardedHead.toString(), body, out);
      }
    } catch (IOException | InterruptedException e) {
      // the client went away (e.g. its timeout): nothing to do
    }
  }

  private void forward(String head, byte[] body, OutputStream out) throws IOException {
    try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
      OutputStream up = upstream.getOutputStream();
      up.write(head.getBytes(StandardCharsets.ISO_8859_1));
      up.write(body);
      up.flush();
      upstream.getInputStream().transferTo(out);
      out.flush();
    }
  }

  private static void respond(OutputStream out, int status, String type, String message) throws IOException {
    respond(out, status, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
  }

  private static void respond(OutputStream out, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + (status == 200 ? " OK" : status == 400 ? " Bad Request"
        : " Service Unavailable") + "\r\n"
        + "Content-Type: application/x-amz-json-1.1\r\n"
        + "x-amzn-RequestId: 00000000-0000-0000-0000-000000000000\r\n"
        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int state = 0;
    int c;
    while ((c = in.read()) != -1) {
      buf.write(c);
      state = switch (state) {
        case 0 -> c == '\r' ? 1 : 0;
        case 1 -> c == '\n' ? 2 : (c == '\r' ? 1 : 0);
        case 2 -> c == '\r' ? 3 : 0;
        case 3 -> c == '\n' ? 4 : 0;
        default -> 0;
      };
      if (state == 4) {
        return buf.toByteArray();
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
    pool.shutdownNow();
  }
}
