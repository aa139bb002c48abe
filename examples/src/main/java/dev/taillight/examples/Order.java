package dev.taillight.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

/**
 * An order as it travels through the pipeline, with the knobs that make each function behave a certain way.
 *
 * <ul>
 *   <li>{@code amount} &lt;= 0 or missing: OrdersApi rejects the order with 400 (a handled validation error).
 *   <li>{@code amount} 7: PaymentWorker's card processor declines it (a handled exception; the customer is told).
 *   <li>{@code amount} 13: PaymentWorker's card processor crashes (an unhandled exception: the batch fails).
 *   <li>{@code sleepMs}: OrdersApi's inventory call takes this long (beyond the function timeout: a timeout).
 *   <li>{@code memoryMb}: Notifier renders a receipt that holds this many MB in memory.
 * </ul>
 *
 * @param orderId the order's id
 * @param customer who placed it
 * @param amount the amount to charge
 * @param sleepMs how long the inventory call takes, 0 for fast
 * @param memoryMb how much memory the receipt needs, 0 for little
 * @param status {@code new}, {@code paid} or {@code declined}
 */
public record Order(String orderId, String customer, BigDecimal amount, long sleepMs, int memoryMb, String status) {
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** Amount the card processor declines (a handled exception). */
  public static final BigDecimal DECLINED_AMOUNT = BigDecimal.valueOf(7);
  /** Amount the card processor crashes on (an unhandled exception). */
  public static final BigDecimal CRASHING_AMOUNT = BigDecimal.valueOf(13);

  /**
   * Reads an order from JSON. Unknown fields are ignored; a missing {@code orderId} or {@code customer} gets a
   * default, a missing or non-numeric {@code amount} is null (OrdersApi rejects it).
   *
   * @throws IllegalArgumentException when the text is not a JSON object
   */
  public static Order parse(String json) {
    JsonNode n;
    try {
      n = json == null ? null : JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("order is not JSON: " + e.getOriginalMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("order must be a JSON object");
    }
    JsonNode amount = n.get("amount");
    return new Order(
        n.path("orderId").asText("unknown"),
        n.path("customer").asText("anonymous"),
        amount != null && amount.isNumber() ? amount.decimalValue() : null,
        Math.max(0, n.path("sleepMs").asLong(0)),
        Math.max(0, n.path("memoryMb").asInt(0)),
        n.path("status").asText("new"));
  }

  /** This order with another status. */
  public Order withStatus(String newStatus) {
    return new Order(orderId, customer, amount, sleepMs, memoryMb, newStatus);
  }

  /** The order as one line of JSON. */
  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("orderId", orderId);
    n.put("customer", customer);
    if (amount != null) {
      n.put("amount", amount);
    }
    if (sleepMs > 0) {
      n.put("sleepMs", sleepMs);
    }
    if (memoryMb > 0) {
      n.put("memoryMb", memoryMb);
    }
    n.put("status", status);
    return n.toString();
  }
}
