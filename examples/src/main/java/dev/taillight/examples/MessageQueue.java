package dev.taillight.examples;

/**
 * Where a function sends the messages for the next function: an SQS queue in AWS and under the local runtime
 * ({@link SqsMessageQueue}), a list in unit tests.
 *
 * <p>Implementations are thread-safe; {@link #send} throws when the message could not be sent (the invocation
 * then fails, as it would with a bare SDK call).
 */
public interface MessageQueue {
  /** Sends one message whose body is {@code body}, carrying the running invocation's trace context. */
  void send(String body);
}
