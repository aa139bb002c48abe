package dev.taillight.localruntime;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory SQS standard queue of a {@link LocalSqs}: messages wait here until a {@link SqsTrigger} delivers
 * them to a function in batches. Thread-safe.
 */
public final class LocalQueue {

  /** One message as SQS keeps it. */
  public record Message(String messageId, String body, Map<String, String> stringAttributes, String traceHeader,
      long sentTimestamp, String md5OfBody, int receiveCount) {

    Message received() {
      return new Message(messageId, body, stringAttributes, traceHeader, sentTimestamp, md5OfBody, receiveCount + 1);
    }
  }

  private final String name;
  private final String arn;
  private final String url;
  private final Deque<Message> messages = new ArrayDeque<>();
  private final List<Message> deadLetters = new ArrayList<>();
  private long sent;

  LocalQueue(String name, String arn, String url) {
    this.name = requireNonNull(name, "name");
    this.arn = arn;
    this.url = url;
  }

  public String name() {
    return name;
  }

  /** {@code arn:aws:sqs:<region>:<account>:<name>}, the {@code eventSourceARN} of delivered records. */
  public String arn() {
    return arn;
  }

  /** The queue URL a client passes as {@code QueueUrl}. */
  public String url() {
    return url;
  }

  synchronized void add(Message m) {
    messages.addLast(m);
    sent++;
    notifyAll();
  }

  /** Puts a message that a function failed to process back at the head of the queue. */
  synchronized void returnForRetry(Message m) {
    messages.addFirst(m);
    notifyAll();
  }

  synchronized void deadLetter(Message m) {
    deadLetters.add(m);
  }

  /** Waits up to {@code waitMillis} for messages and takes up to {@code max} of them. */
  synchronized List<Message> take(int max, long waitMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    while (messages.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return List.of();
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    List<Message> batch = new ArrayList<>();
    while (!messages.isEmpty() && batch.size() < max) {
      batch.add(messages.pollFirst().received());
    }
    return batch;
  }

  /** Messages waiting to be delivered. */
  public synchronized int size() {
    return messages.size();
  }

  /** Messages ever sent to this queue. */
  public synchronized long sentCount() {
    return sent;
  }

  /** Messages given up on after too many failed deliveries. */
  public synchronized List<Message> deadLetters() {
    return List.copyOf(deadLetters);
  }
}
