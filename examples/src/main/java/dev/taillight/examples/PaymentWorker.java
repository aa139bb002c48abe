package dev.taillight.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.taillight.instrumentation.Taillight;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Takes batches of orders from the payments SQS queue, charges each one and sends the outcome to the
 * notifications queue. A declined card is handled (the order goes on as {@code declined}); a card processor
 * failure is not: the exception fails the invocation and SQS delivers the batch again.
 *
 * <p>Traced by decorating the logic with {@link Taillight#wrap}: the handler the runtime calls delegates to the
 * traced one.
 *
 * <p>Environment: {@code NOTIFICATIONS_QUEUE_URL} (required), see {@link SqsMessageQueue} for the endpoint.
 */
public final class PaymentWorker implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private final RequestHandler<SQSEvent, SQSBatchResponse> traced;

  /** Used by the Lambda runtime: the notifications queue from {@code NOTIFICATIONS_QUEUE_URL}. */
  public PaymentWorker() {
    this(SqsMessageQueue.fromEnv(System::getenv, "NOTIFICATIONS_QUEUE_URL"));
  }

  PaymentWorker(MessageQueue notifications) {
    this.traced = Taillight.wrap(new Payments(new CardProcessor(), notifications));
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return traced.handleRequest(event, context);
  }

  /** The worker's logic, without any tracing code. */
  static final class Payments implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Logger LOG = LogManager.getLogger(PaymentWorker.class);
    private final CardProcessor processor;
    private final MessageQueue notifications;

    Payments(CardProcessor processor, MessageQueue notifications) {
      this.processor = processor;
      this.notifications = notifications;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
      List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
      LOG.info("charging {} order(s)", records.size());
      for (SQSEvent.SQSMessage message : records) {
        Order order = Order.parse(message.getBody());
        Order outcome;
        try {
          String payment = processor.charge(order);
          LOG.info("order {} paid: {} USD, payment {}", order.orderId(), order.amount(), payment);
          outcome = order.withStatus("paid");
        } catch (CardProcessor.PaymentDeclinedException e) {
          LOG.error("order {} declined, telling the customer", order.orderId(), e);
          outcome = order.withStatus("declined");
        }
        notifications.send(outcome.toJson());
      }
      return SQSBatchResponse.builder().withBatchItemFailures(List.of()).build();
    }
  }
}
