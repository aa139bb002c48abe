package dev.taillight.examples;

import java.math.BigDecimal;

/**
 * The card processor PaymentWorker charges; simulated. Declines {@link Order#DECLINED_AMOUNT} with a
 * {@link PaymentDeclinedException} (the caller handles it) and fails on {@link Order#CRASHING_AMOUNT} with an
 * {@link IllegalStateException} (nobody handles it).
 */
final class CardProcessor {

  /** Charges the order; returns a payment reference. */
  String charge(Order order) {
    BigDecimal amount = order.amount();
    if (amount != null && amount.compareTo(Order.CRASHING_AMOUNT) == 0) {
      throw new IllegalStateException("card processor returned HTTP 500 for order " + order.orderId()
          + " (amount " + amount + ")");
    }
    if (amount != null && amount.compareTo(Order.DECLINED_AMOUNT) == 0) {
      throw new PaymentDeclinedException("card declined for order " + order.orderId() + ": insufficient funds");
    }
    return "pay-" + Integer.toHexString(order.orderId().hashCode());
  }

  /** The card was declined: a business outcome, handled by telling the customer. */
  static final class PaymentDeclinedException extends RuntimeException {
    PaymentDeclinedException(String message) {
      super(message);
    }
  }
}
