package dev.taillight.cli.demo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local SQS queues between functions, so the example pipeline runs with no AWS account and no network: a small
 * HTTP server on 127.0.0.1 that speaks the part of the SQS API the functions use ({@code SendMessage} in the AWS
 * JSON 1.0 protocol of the AWS SDK v2, with the MD5 digests the SDK checks), and one event source mapping per
 * queue that delivers messages in batches to a consumer, the way Lambda's SQS poller does.
 *
 * <p>What it does like SQS and Lambda: message attributes and the {@code AWSTraceHeader} system attribute (taken
 * from the sender's {@code X-Amzn-Trace-Id} header) travel with the message; batches of up to {@code batchSize}
 * messages are delivered as the {@code Records} of an SQS event; several batches run at once up to the mapping's
 * concurrency (which makes the consumer scale out); a failed batch comes back after the visibility timeout and
 * goes to the dead letters after {@code maxReceiveCount} receives. What it does not do: any other SQS action,
 * FIFO queues, partial batch responses, long polling by clients.
 *
 * <p>Threading: thread-safe. {@link #close} stops the server and the mappings; batches being delivered finish.
 */
public final class LocalSqs implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "000000000000";

  /**
   * Receives one batch as the JSON text of an SQS event and says whether it was processed. Called on a mapping
   * thread; may block for as long as the invocation takes.
   */
  public interface Consumer {
    Outcome deliver(String sqsEventJson);
  }

  /** What became of a delivered batch. */
  public enum Outcome {
    /** Processed: the messages are deleted. */
    OK,
    /** Failed: the messages come back after the visibility timeout, until {@code maxReceiveCount}. */
    FAILED,
    /** Not run (throttled): the messages come back at once, with no receive counted. */
    THROTTLED
  }

  /** One message as sent. */
  public record Message(String messageId, String body, Map<String, String> attributes, String traceHeader,
      long sentTimestamp, int receiveCount) {
    Message received() {
      return new Message(messageId, body, attributes, traceHeader, sentTimestamp, receiveCount + 1);
    }
  }

  private final HttpServer server;
  private final Clock clock;
  private final Random random;
  private final Map<String, Queue> queues = new ConcurrentHashMap<>();
  private final List<Message> deadLetters = new CopyOnWriteArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "taillight-local-sqs");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;

  private LocalSqs(Clock clock, Random random) throws IOException {
    this.clock = clock;
    this.random = random;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  /**
   * Starts the server on a free port of 127.0.0.1.
   *
   * @throws IllegalStateException when no port can be bound
   */
  public static LocalSqs start(Clock clock, Random random) {
    try {
      return new LocalSqs(requireNonNull(clock, "clock"), requireNonNull(random, "random"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the local queue service: " + e.getMessage(), e);
    }
  }

  /** The endpoint to give the SDK ({@code AWS_ENDPOINT_URL_SQS}). */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Creates a queue whose messages are delivered to {@code consumer}; returns its URL.
   *
   * @param batchSize most messages in one batch (1..10)
   * @param batchWindow how long a batch waits to fill up after its first message
   * @param concurrency most batches being delivered at once
   * @param visibilityTimeout how long a failed batch stays invisible before it comes back
   * @param maxReceiveCount receives after which a failing message goes to the dead letters
   */
  public String createQueue(String name, Consumer consumer, int batchSize, Duration batchWindow, int concurrency,
      Duration visibilityTimeout, int maxReceiveCount) {
    requireNonNull(name, "name");
    requireNonNull(consumer, "consumer");
    if (batchSize < 1 || batchSize > 10) {
      throw new IllegalArgumentException("batchSize must be 1..10, got " + batchSize);
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
    String url = endpoint() + "/" + ACCOUNT + "/" + name;
    Queue q = new Queue(name, url, consumer, batchSize, batchWindow, concurrency, visibilityTimeout,
        maxReceiveCount);
    if (queues.putIfAbsent(url, q) != null) {
      throw new IllegalArgumentException("queue " + name + " exists already");
    }
    threads.execute(q::poll);
    return url;
  }

  /** Messages that failed {@code maxReceiveCount} times. */
  public List<Message> deadLetters() {
    return List.copyOf(deadLetters);
  }

  /** Messages sent and not yet processed (waiting, in a batch being delivered, or waiting to come back). */
  public int inFlight() {
    return queues.values().stream().mapToInt(q -> q.pending.get()).sum();
  }

  /** Blocks until no message is in flight or {@code timeout} passed; returns whether all were processed. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (inFlight() > 0) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
    threads.shutdownNow();
  }

  // --- the SQS API -------------------------------------------------------------------------------------------

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
      JsonNode req;
      try (InputStream in = ex.getRequestBody()) {
        req = JSON.readTree(in.readAllBytes());
      } catch (IOException e) {
        error(ex, 400, "InvalidParameterValue", "the request body is not JSON");
        return;
      }
      if (!"POST".equals(ex.getRequestMethod()) || target == null || req == null || !req.isObject()) {
        error(ex, 400, "InvalidAction", "the local queue service speaks the AWS JSON protocol of the AWS SDK v2");
        return;
      }
      if (!target.equals("AmazonSQS.SendMessage")) {
        error(ex, 400, "UnsupportedOperation", "the local queue service supports SendMessage only, not "
            + target.substring(target.indexOf('.') + 1));
        return;
      }
      Queue q = queues.get(req.path("QueueUrl").asText(""));
      if (q == null) {
        error(ex, 400, "QueueDoesNotExist", "no local queue " + req.path("QueueUrl").asText("")
            + "; queues: " + queues.keySet());
        return;
      }
      String body = req.path("MessageBody").asText("");
      Map<String, String> attributes = new TreeMap<>();
      req.path("MessageAttributes").fields().forEachRemaining(f ->
          attributes.put(f.getKey(), f.getValue().path("StringValue").asText("")));
      Message m = new Message(new UUID(random.nextLong(), random.nextLong()).toString(), body, attributes,
          ex.getRequestHeaders().getFirst("X-Amzn-Trace-Id"), clock.millis(), 0);
      q.pending.incrementAndGet();
      q.waiting.add(m);
      ObjectNode res = JSON.createObjectNode();
      res.put("MessageId", m.messageId());
      res.put("MD5OfMessageBody", md5(body.getBytes(StandardCharsets.UTF_8)));
      if (!attributes.isEmpty()) {
        res.put("MD5OfMessageAttributes", attributesMd5(req.path("MessageAttributes")));
      }
      send(ex, 200, res);
    }
  }

  private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
    ObjectNode res = JSON.createObjectNode();
    res.put("__type", "com.amazonaws.sqs#" + code);
    res.put("message", message);
    send(ex, status, res);
  }

  private static void send(HttpExchange ex, int status, ObjectNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
    ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** SQS's digest of message attributes: per attribute by name, length-prefixed name, type, transport, value. */
  static String attributesMd5(JsonNode attributes) {
    TreeMap<String, JsonNode> sorted = new TreeMap<>();
    attributes.fields().forEachRemaining(f -> sorted.put(f.getKey(), f.getValue()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
      String type = e.getValue().path("DataType").asText("String");
      lengthPrefixed(out, e.getKey().getBytes(StandardCharsets.UTF_8));
      lengthPrefixed(out, type.getBytes(StandardCharsets.UTF_8));
      if (type.startsWith("Binary")) {
        out.write(2);
        lengthPrefixed(out, java.util.Base64.getDecoder().decode(e.getValue().path("BinaryValue").asText("")));
      } else {
        out.write(1);
        lengthPrefixed(out, e.getValue().path("StringValue").asText("").getBytes(StandardCharsets.UTF_8));
      }
    }
    return md5(out.toByteArray());
  }

  private static void lengthPrefixed(ByteArrayOutputStream out, byte[] bytes) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }

  static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- the event source mapping ------------------------------------------------------------------------------

  private final class Queue {
    final String name;
    final String url;
    final Consumer consumer;
    final int batchSize;
    final Duration batchWindow;
    final Semaphore slots;
    final Duration visibilityTimeout;
    final int maxReceiveCount;
    final LinkedBlockingQueue<Message> waiting = new LinkedBlockingQueue<>();
    final AtomicInteger pending = new AtomicInteger();

    Queue(String name, String url, Consumer consumer, int batchSize, Duration batchWindow, int concurrency,
        Duration visibilityTimeout, int maxReceiveCount) {
      this.name = name;
      this.url = url;
      this.consumer = consumer;
      this.batchSize = batchSize;
      this.batchWindow = batchWindow;
      this.slots = new Semaphore(concurrency);
      this.visibilityTimeout = visibilityTimeout;
      this.maxReceiveCount = maxReceiveCount;
    }

    void poll() {
      try {
        while (!closed) {
          Message first = waiting.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          List<Message> batch = new ArrayList<>();
          batch.add(first.received());
          long end = System.nanoTime() + batchWindow.toNanos();
          while (batch.size() < batchSize) {
            long left = end - System.nanoTime();
            Message next = left > 0 ? waiting.poll(left, TimeUnit.NANOSECONDS) : waiting.poll();
            if (next == null) {
              break;
            }
            batch.add(next.received());
          }
          slots.acquire();
          threads.execute(() -> {
            try {
              deliver(batch);
            } finally {
              slots.release();
            }
          });
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void deliver(List<Message> batch) {
      Outcome outcome;
      try {
        outcome = consumer.deliver(event(batch));
      } catch (RuntimeException e) {
        outcome = Outcome.FAILED;
      }
      if (outcome == Outcome.OK) {
        pending.addAndGet(-batch.size());
        return;
      }
      for (Message m : batch) {
        if (outcome == Outcome.THROTTLED) {
          waiting.add(new Message(m.messageId(), m.body(), m.attributes(), m.traceHeader(), m.sentTimestamp(),
              m.receiveCount() - 1));
        } else if (m.receiveCount() >= maxReceiveCount) {
          deadLetters.add(m);
          pending.decrementAndGet();
        } else {
          threads.execute(() -> {
            try {
              Thread.sleep(visibilityTimeout.toMillis());
              waiting.add(m);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
        }
      }
    }

    /** The SQS event Lambda hands a function for this batch. */
    String event(List<Message> batch) {
      ObjectNode root = JSON.createObjectNode();
      ArrayNode records = root.putArray("Records");
      long now = clock.millis();
      for (Message m : batch) {
        ObjectNode r = records.addObject();
        r.put("messageId", m.messageId());
        r.put("receiptHandle", m.messageId() + "#" + m.receiveCount());
        r.put("body", m.body());
        ObjectNode a = r.putObject("attributes");
        a.put("ApproximateReceiveCount", Integer.toString(m.receiveCount()));
        a.put("SentTimestamp", Long.toString(m.sentTimestamp()));
        a.put("SenderId", "AROAEXAMPLELOCAL:local");
        a.put("ApproximateFirstReceiveTimestamp", Long.toString(now));
        if (m.traceHeader() != null) {
          a.put("AWSTraceHeader", m.traceHeader());
        }
        ObjectNode ma = r.putObject("messageAttributes");
        m.attributes().forEach((k, v) -> {
          ObjectNode val = ma.putObject(k);
          val.put("stringValue", v);
          val.putArray("stringListValues");
          val.putArray("binaryListValues");
          val.put("dataType", "String");
        });
        r.put("md5OfBody", md5(m.body().getBytes(StandardCharsets.UTF_8)));
        r.put("eventSource", "aws:sqs");
        r.put("eventSourceARN", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + name);
        r.put("awsRegion", "us-east-1");
      }
      return root.toString();
    }
  }
}
