package dev.taillight.localruntime;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Local SQS queues that locally run functions send to, with the AWS SDK or plain HTTP: a loopback endpoint
 * speaking the subset of SQS's JSON protocol (AWS JSON 1.0, {@code X-Amz-Target: AmazonSQS.<Action>}, what AWS
 * SDK for Java v2 2.21+ uses) that producers need: {@code SendMessage}, {@code SendMessageBatch}, {@code
 * GetQueueUrl}, {@code CreateQueue}. Point a function's SDK at it by giving the function the environment
 * variable {@code AWS_ENDPOINT_URL_SQS=}{@link #endpoint()} (the SDK reads it) or with {@code endpointOverride}.
 * Requests are not authenticated (any credentials do). A {@link SqsTrigger} delivers the messages to a
 * consumer function as Lambda's event source mapping does.
 *
 * <p>Threading: thread-safe. {@link #close} stops the endpoint; queued messages are dropped.
 */
public final class LocalSqs implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String region;
  private final String accountId;
  private final Clock clock;
  private final Ids ids;
  private final Map<String, LocalQueue> queues = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final ExecutorService executor;

  private LocalSqs(String region, String accountId, Clock clock, Random random) throws IOException {
    this.region = region;
    this.accountId = accountId;
    this.clock = clock;
    this.ids = new Ids(random);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "taillight-local-sqs");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts an endpoint on a free loopback port for queues in {@code us-east-1} of account 000000000000. */
  public static LocalSqs start() {
    return start("us-east-1", "000000000000", Clock.systemUTC(), new Random());
  }

  /**
   * Starts an endpoint on a free loopback port.
   *
   * @throws java.io.UncheckedIOException when no port can be opened
   */
  public static LocalSqs start(String region, String accountId, Clock clock, Random random) {
    try {
      return new LocalSqs(requireNonNull(region, "region"), requireNonNull(accountId, "accountId"),
          requireNonNull(clock, "clock"), requireNonNull(random, "random"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot open a local SQS endpoint: " + e.getMessage(), e);
    }
  }

  /** {@code http://127.0.0.1:PORT}: the value for {@code AWS_ENDPOINT_URL_SQS} or {@code endpointOverride}. */
  public String endpoint() {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
  }

  /** Returns the queue called {@code name}, creating it if needed. */
  public LocalQueue queue(String name) {
    requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9_-]{1,80}(\\.fifo)?")) {
      throw new IllegalArgumentException("invalid queue name (1-80 letters, digits, - or _): " + name);
    }
    return queues.computeIfAbsent(name, n -> new LocalQueue(n, "arn:aws:sqs:" + region + ":" + accountId + ":" + n,
        endpoint() + "/" + accountId + "/" + n));
  }

  /** Sends a message as {@code SendMessage} would (for events injected by a tool rather than a function). */
  public LocalQueue.Message send(String queueName, String body, String traceHeader) {
    LocalQueue q = queues.get(queueName);
    if (q == null) {
      throw new IllegalArgumentException("no such queue: " + queueName);
    }
    return enqueue(q, body, Map.of(), traceHeader);
  }

  private LocalQueue.Message enqueue(LocalQueue q, String body, Map<String, String> attributes, String trace) {
    LocalQueue.Message m = new LocalQueue.Message(ids.requestId(), body, Map.copyOf(attributes), trace,
        clock.millis(), md5(body), 0);
    q.add(m);
    return m;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] raw;
      try (InputStream in = ex.getRequestBody()) {
        raw = in.readAllBytes();
      }
      String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
      if (!"POST".equals(ex.getRequestMethod()) || target == null || !target.startsWith("AmazonSQS.")) {
        error(ex, 400, "UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation",
            "this local endpoint speaks SQS's JSON protocol (X-Amz-Target: AmazonSQS.<Action>)");
        return;
      }
      JsonNode req;
      try {
        req = JSON.readTree(raw);
      } catch (IOException e) {
        error(ex, 400, "InvalidParameterValue", "InvalidParameterValue", "request body is not JSON");
        return;
      }
      if (req == null || !req.isObject()) {
        error(ex, 400, "InvalidParameterValue", "InvalidParameterValue", "request body is not a JSON object");
        return;
      }
      String action = target.substring("AmazonSQS.".length());
      switch (action) {
        case "SendMessage" -> sendMessage(ex, req);
        case "SendMessageBatch" -> sendMessageBatch(ex, req);
        case "GetQueueUrl", "CreateQueue" -> getQueueUrl(ex, req, action.equals("CreateQueue"));
        default -> error(ex, 400, "UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation",
            "action " + action + " is not supported by the local SQS endpoint");
      }
    }
  }

  private LocalQueue queueOf(HttpExchange ex, JsonNode req) throws IOException {
    String url = req.path("QueueUrl").asText("");
    String name = url.substring(url.lastIndexOf('/') + 1);
    LocalQueue q = queues.get(name);
    if (q == null) {
      error(ex, 400, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue",
          "The specified queue does not exist: " + url);
    }
    return q;
  }

  private void sendMessage(HttpExchange ex, JsonNode req) throws IOException {
    LocalQueue q = queueOf(ex, req);
    if (q == null) {
      return;
    }
    if (!req.hasNonNull("MessageBody")) {
      error(ex, 400, "MissingParameter", "MissingParameter", "The request must contain the parameter MessageBody.");
      return;
    }
    LocalQueue.Message m = enqueue(q, req.get("MessageBody").asText(), attributes(req), traceHeader(req));
    ObjectNode out = JSON.createObjectNode();
    out.put("MD5OfMessageBody", m.md5OfBody());
    putAttributeDigests(out, req);
    out.put("MessageId", m.messageId());
    reply(ex, 200, out);
  }

  private void sendMessageBatch(HttpExchange ex, JsonNode req) throws IOException {
    LocalQueue q = queueOf(ex, req);
    if (q == null) {
      return;
    }
    ObjectNode out = JSON.createObjectNode();
    ArrayNode ok = out.putArray("Successful");
    ArrayNode failed = out.putArray("Failed");
    for (JsonNode entry : req.path("Entries")) {
      String id = entry.path("Id").asText("");
      if (!entry.hasNonNull("MessageBody")) {
        ObjectNode f = failed.addObject();
        f.put("Id", id);
        f.put("SenderFault", true);
        f.put("Code", "MissingParameter");
        f.put("Message", "The request must contain the parameter MessageBody.");
        continue;
      }
      LocalQueue.Message m = enqueue(q, entry.get("MessageBody").asText(), attributes(entry), traceHeader(entry));
      ObjectNode s = ok.addObject();
      s.put("Id", id);
      s.put("MessageId", m.messageId());
      s.put("MD5OfMessageBody", m.md5OfBody());
      putAttributeDigests(s, entry);
    }
    reply(ex, 200, out);
  }

  private void getQueueUrl(HttpExchange ex, JsonNode req, boolean create) throws IOException {
    String name = req.path("QueueName").asText("");
    LocalQueue q = queues.get(name);
    if (q == null && create) {
      try {
        q = queue(name);
      } catch (IllegalArgumentException e) {
        error(ex, 400, "InvalidParameterValue", "InvalidParameterValue", e.getMessage());
        return;
      }
    }
    if (q == null) {
      error(ex, 400, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue",
          "The specified queue does not exist.");
      return;
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("QueueUrl", q.url());
    reply(ex, 200, out);
  }

  private static Map<String, String> attributes(JsonNode req) {
    Map<String, String> out = new LinkedHashMap<>();
    req.path("MessageAttributes").fields().forEachRemaining(e -> {
      if (e.getValue().has("StringValue")) {
        out.put(e.getKey(), e.getValue().get("StringValue").asText());
      }
    });
    return out;
  }

  private static void putAttributeDigests(ObjectNode out, JsonNode req) {
    String user = attributesMd5(req.path("MessageAttributes"));
    if (user != null) {
      out.put("MD5OfMessageAttributes", user);
    }
    String system = attributesMd5(req.path("MessageSystemAttributes"));
    if (system != null) {
      out.put("MD5OfMessageSystemAttributes", system);
    }
  }

  /**
   * SQS's digest of message attributes, which SDK clients check: for each attribute in name order, the name, the
   * data type and the value, each as a 4-byte big-endian length and its bytes, with a transport byte (1 string,
   * 2 binary) before the value. {@code null} when there are none.
   */
  static String attributesMd5(JsonNode attributes) {
    if (attributes == null || !attributes.isObject() || attributes.isEmpty()) {
      return null;
    }
    java.util.TreeMap<String, JsonNode> sorted = new java.util.TreeMap<>();
    attributes.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
      JsonNode v = e.getValue();
      lengthPrefixed(buf, e.getKey().getBytes(StandardCharsets.UTF_8));
      lengthPrefixed(buf, v.path("DataType").asText("String").getBytes(StandardCharsets.UTF_8));
      if (v.has("BinaryValue")) {
        buf.write(2);
        lengthPrefixed(buf, java.util.Base64.getDecoder().decode(v.get("BinaryValue").asText("")));
      } else {
        buf.write(1);
        lengthPrefixed(buf, v.path("StringValue").asText("").getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(buf.toByteArray()));
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private static void lengthPrefixed(java.io.ByteArrayOutputStream buf, byte[] bytes) {
    buf.write(bytes.length >>> 24);
    buf.write(bytes.length >>> 16);
    buf.write(bytes.length >>> 8);
    buf.write(bytes.length);
    buf.write(bytes, 0, bytes.length);
  }

  private static String traceHeader(JsonNode req) {
    JsonNode t = req.path("MessageSystemAttributes").path("AWSTraceHeader").path("StringValue");
    return t.isTextual() ? t.asText() : null;
  }

  private static void error(HttpExchange ex, int status, String type, String queryError, String message)
      throws IOException {
    ObjectNode out = JSON.createObjectNode();
    out.put("__type", "com.amazonaws.sqs#" + type);
    out.put("message", message);
    ex.getResponseHeaders().set("x-amzn-query-error", queryError + ";Sender");
    reply(ex, status, out);
  }

  private static void reply(HttpExchange ex, int status, ObjectNode body) throws IOException {
    byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
    ex.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  static String md5(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  String region() {
    return region;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
