package dev.taillight.examples;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link MessageQueue} that keeps what was sent, with the trace id that was current when it was sent. */
final class ListQueue implements MessageQueue {
  record Sent(String body, String traceId) {}

  final List<Sent> sent = new CopyOnWriteArrayList<>();

  @Override
  public void send(String body) {
    sent.add(new Sent(body, dev.taillight.instrumentation.Taillight.traceId()));
  }

  List<Order> orders() {
    return sent.stream().map(s -> Order.parse(s.body())).toList();
  }
}
