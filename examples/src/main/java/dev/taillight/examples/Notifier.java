package dev.taillight.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes payment outcomes from the notifications SQS queue and "emails" the customer a receipt (printed to
 * stdout). An order with {@code memoryMb} renders a receipt that holds that many MB in memory at once: the
 * memory-hungry path, visible as Max Memory Used in REPORT.
 *
 * <p>This class has <b>no Taillight code</b>: it is traced by deploying it behind
 * {@code dev.taillight.instrumentation.TaillightHandler::handleRequest} with
 * {@code TAILLIGHT_HANDLER=dev.taillight.examples.Notifier::handleRequest}.
 */
public class Notifier implements RequestHandler<SQSEvent, String> {

  @Override
  public String handleRequest(SQSEvent event, Context context) {
    List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
    int sent = 0;
    for (SQSEvent.SQSMessage message : records) {
      Order order = Order.parse(message.getBody());
      long size = renderReceipt(order);
      if ("declined".equals(order.status())) {
        System.out.println("emailed " + order.customer() + ": payment for order " + order.orderId()
            + " was declined");
      } else {
        System.out.println("emailed " + order.customer() + ": receipt for order " + order.orderId() + " ("
            + order.amount() + " USD, " + size + " bytes)");
      }
      sent++;
    }
    return "sent " + sent;
  }

  /**
   * Renders the receipt; returns its size in bytes. Holds {@code memoryMb} MB at once (every page written, so the
   * memory is really used), at least one small page.
   */
  static long renderReceipt(Order order) {
    int pages = Math.max(1, order.memoryMb());
    int pageSize = order.memoryMb() > 0 ? 1 << 20 : 1024;
    if (order.memoryMb() > 0) {
      System.err.println("rendering a " + order.memoryMb() + " MB receipt for order " + order.orderId());
    }
    byte[] line = ("order " + order.orderId() + " " + order.amount() + " USD\n").getBytes(StandardCharsets.UTF_8);
    List<byte[]> held = new ArrayList<>(pages);
    long total = 0;
    for (int p = 0; p < pages; p++) {
      byte[] page = new byte[pageSize];
      for (int i = 0; i < page.length; i++) {
        page[i] = line[i % line.length];
      }
      held.add(page);
      total += page.length;
    }
    return held.size() == pages ? total : -1;
  }
}
