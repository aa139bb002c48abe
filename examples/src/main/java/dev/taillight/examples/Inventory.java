package dev.taillight.examples;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The inventory service OrdersApi calls before accepting an order; simulated: the call takes the order's
 * {@code sleepMs}, so a slow call can run into the function's timeout.
 */
final class Inventory {
  private static final Logger LOG = LogManager.getLogger(Inventory.class);

  /** How the simulated call waits; a test records the wait instead of sleeping. */
  interface Pause {
    void pause(long millis) throws InterruptedException;

    static Pause sleeping() {
      return Thread::sleep;
    }
  }

  private final Pause pause;

  Inventory(Pause pause) {
    this.pause = pause;
  }

  /** Reserves the order's items; blocks for the order's {@code sleepMs}. */
  void reserve(Order order) {
    if (order.sleepMs() > 0) {
      LOG.info("inventory service is slow today: waiting {} ms for order {}", order.sleepMs(), order.orderId());
      try {
        pause.pause(order.sleepMs());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the inventory service", e);
      }
    }
    LOG.info("reserved items for order {}", order.orderId());
  }
}
