package dev.taillight.localruntime;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lambda's SQS event source mapping, locally: takes batches of up to {@code batchSize} messages from a {@link
 * LocalQueue} and invokes a function with an SQS event ({@code {"Records":[{"messageId", "receiptHandle",
 * "body", "attributes": {..., "AWSTraceHeader"}, "messageAttributes", "md5OfBody", "eventSource": "aws:sqs",
 * "eventSourceARN", "awsRegion"}]}}). The invocation continues the trace of the batch's first message that
 * carries an {@code AWSTraceHeader}, so a producer and its consumer share one trace. A batch whose invocation
 * fails goes back to the queue; after {@code maxReceiveCount} receives a message moves to the queue's dead
 * letters. When the function is throttled the batch waits and is retried.
 *
 * <p>Threading: one poller thread per trigger, each keeping up to {@code concurrency} invocations in flight.
 */
public final class SqsTrigger implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalQueue queue;
  private final LocalRuntime function;
  private final int batchSize;
  private final int maxReceiveCount;
  private final String region;
  private final Thread poller;
  private final java.util.concurrent.Semaphore inFlight;
  private final AtomicLong invocations = new AtomicLong();
  private volatile boolean running = true;

  private SqsTrigger(LocalQueue queue, LocalRuntime function, int batchSize, int maxReceiveCount, int concurrency) {
    this.queue = queue;
    this.function = function;
    this.batchSize = batchSize;
    this.maxReceiveCount = maxReceiveCount;
    this.region = function.function().region();
    this.inFlight = new java.util.concurrent.Semaphore(concurrency);
    this.poller = new Thread(this::poll, "taillight-sqs-trigger-" + queue.name());
    poller.setDaemon(true);
    poller.start();
  }

  /**
   * Starts delivering {@code queue}'s messages to {@code function}, {@code batchSize} (1..10000) at a time, with
   * up to 5 batches in flight and 3 receives before a message is dead-lettered.
   */
  public static SqsTrigger start(LocalQueue queue, LocalRuntime function, int batchSize) {
    return start(queue, function, batchSize, 3, 5);
  }

  /** See {@link #start(LocalQueue, LocalRuntime, int)}. */
  public static SqsTrigger start(LocalQueue queue, LocalRuntime function, int batchSize, int maxReceiveCount,
      int concurrency) {
    requireNonNull(queue, "queue");
    requireNonNull(function, "function");
    if (batchSize < 1 || batchSize > 10_000) {
      throw new IllegalArgumentException("batchSize must be 1..10000, got " + batchSize);
    }
    if (maxReceiveCount < 1 || concurrency < 1) {
      throw new IllegalArgumentException("maxReceiveCount and concurrency must be at least 1");
    }
    return new SqsTrigger(queue, function, batchSize, maxReceiveCount, concurrency);
  }

  /** How many invocations this trigger started. */
  public long invocations() {
    return invocations.get();
  }

  private void poll() {
    while (running) {
      try {
        inFlight.acquire();
        List<LocalQueue.Message> batch = queue.take(batchSize, 200);
        if (batch.isEmpty()) {
          inFlight.release();
          continue;
        }
        invocations.incrementAndGet();
        function.invokeAsync(request(queue, region, batch)).whenComplete((r, e) -> {
          try {
            if (e != null || r == null || !r.succeeded()) {
              boolean throttled = r != null && r.status() == InvocationResult.Status.THROTTLED;
              for (int i = batch.size() - 1; i >= 0; i--) {
                LocalQueue.Message m = batch.get(i);
                if (!throttled && m.receiveCount() >= maxReceiveCount) {
                  queue.deadLetter(m);
                } else {
                  queue.returnForRetry(throttled ? unreceived(m) : m);
                }
              }
              if (throttled) {
                sleepQuietly(50);
              }
            }
          } finally {
            inFlight.release();
          }
        });
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        inFlight.release();
        if (running) {
          System.err.println("taillight sqs trigger " + queue.name() + ": " + e.getMessage());
          sleepQuietly(200);
        }
      }
    }
  }

  private static LocalQueue.Message unreceived(LocalQueue.Message m) {
    return new LocalQueue.Message(m.messageId(), m.body(), m.stringAttributes(), m.traceHeader(), m.sentTimestamp(),
        m.md5OfBody(), m.receiveCount() - 1);
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The SQS event for a batch, in the shape Lambda delivers. */
  static InvokeRequest request(LocalQueue queue, String region, List<LocalQueue.Message> batch) {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    String trace = null;
    long now = System.currentTimeMillis();
    for (LocalQueue.Message m : batch) {
      ObjectNode r = records.addObject();
      r.put("messageId", m.messageId());
      r.put("receiptHandle", java.util.Base64.getEncoder().encodeToString(
          (m.messageId() + "#" + m.receiveCount()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      r.put("body", m.body());
      ObjectNode attrs = r.putObject("attributes");
      attrs.put("ApproximateReceiveCount", Integer.toString(m.receiveCount()));
      attrs.put("SentTimestamp", Long.toString(m.sentTimestamp()));
      attrs.put("SenderId", "AROAEXAMPLELOCAL:taillight");
      attrs.put("ApproximateFirstReceiveTimestamp", Long.toString(Math.max(now, m.sentTimestamp())));
      if (m.traceHeader() != null) {
        attrs.put("AWSTraceHeader", m.traceHeader());
        if (trace == null) {
          trace = m.traceHeader();
        }
      }
      ObjectNode mattrs = r.putObject("messageAttributes");
      for (Map.Entry<String, String> a : m.stringAttributes().entrySet()) {
        ObjectNode v = mattrs.putObject(a.getKey());
        v.put("stringValue", a.getValue());
        v.putArray("stringListValues");
        v.putArray("binaryListValues");
        v.put("dataType", "String");
      }
      r.put("md5OfBody", m.md5OfBody());
      r.put("eventSource", "aws:sqs");
      r.put("eventSourceARN", queue.arn());
      r.put("awsRegion", region);
    }
    return new InvokeRequest(event.toString(), trace, null);
  }

  /** Stops polling; invocations in flight finish. */
  @Override
  public void close() {
    running = false;
    poller.interrupt();
    try {
      poller.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
