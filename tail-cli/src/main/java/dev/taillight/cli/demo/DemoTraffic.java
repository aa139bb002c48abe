package dev.taillight.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The orders {@code taillight demo} sends: a scripted first half minute that shows every behaviour once (cold
 * starts, scale-out, a 400, a declined card, a timeout, a crash, a memory-hungry receipt), then a steady random mix.
 *
 * <p>Pure data: {@link #script()} and {@link #next(long)} only compute; the command sends at the given offsets.
 */
public final class DemoTraffic {

  /** Orders to post at {@code offsetMillis} after the start, all at once (more than one: scale-out). */
  public record Step(long offsetMillis, List<String> orders, String note) {}

  private final Random random;
  private int counter;

  /** Traffic whose orders come from {@code random} (seed it for the same run every time). */
  public DemoTraffic(Random random) {
    this.random = random;
  }

  /** The scripted steps of the first ~30 seconds. */
  public List<Step> script() {
    List<Step> steps = new ArrayList<>();
    steps.add(new Step(0, List.of(order("ada", "42.5", ""), order("bob", "19.99", ""), order("cy", "5", "")),
        "3 orders at once: cold starts in every function"));
    steps.add(new Step(7_000, List.of(order("dee", "0", "")), "an order without an amount: 400"));
    steps.add(new Step(9_000, List.of(order("eve", "7", "")), "a declined card: a handled exception"));
    steps.add(new Step(11_000, List.of(order("fay", "12", ""), order("gus", "30", ""), order("hal", "8.5", ""),
        order("ivy", "64", "")), "4 orders at once: scale-out"));
    steps.add(new Step(15_000, List.of(order("jo", "21", ",\"sleepMs\":15000")),
        "a slow inventory call: orders-api times out"));
    steps.add(new Step(19_000, List.of(order("kim", "13", "")), "the card processor fails: an unhandled exception"));
    steps.add(new Step(23_000, List.of(order("lu", "99", ",\"memoryMb\":200")),
        "a 200 MB receipt: the memory-hungry path"));
    steps.add(new Step(26_000, List.of(order("max", "15", ",\"sleepMs\":1500")), "a slow but successful call"));
    return steps;
  }

  /** The step after the script, {@code offsetMillis} after the start: one or two orders of a random kind. */
  public Step next(long offsetMillis) {
    int roll = random.nextInt(100);
    String amount = Integer.toString(1 + random.nextInt(90));
    String customer = "c" + random.nextInt(1000);
    if (roll < 4) {
      return new Step(offsetMillis, List.of(order(customer, "21", ",\"sleepMs\":15000")), "timeout");
    }
    if (roll < 8) {
      return new Step(offsetMillis, List.of(order(customer, "13", "")), "crash");
    }
    if (roll < 14) {
      return new Step(offsetMillis, List.of(order(customer, "7", "")), "declined");
    }
    if (roll < 18) {
      return new Step(offsetMillis, List.of(order(customer, "0", "")), "rejected");
    }
    if (roll < 24) {
      return new Step(offsetMillis, List.of(order(customer, amount, ",\"memoryMb\":" + (50 + random.nextInt(150)))),
          "big receipt");
    }
    if (roll < 36) {
      return new Step(offsetMillis, List.of(order(customer, amount, ",\"sleepMs\":" + (300 + random.nextInt(1500)))),
          "slow");
    }
    if (roll < 46) {
      return new Step(offsetMillis, List.of(order(customer, amount, ""), order("c" + random.nextInt(1000),
          Integer.toString(1 + random.nextInt(90)), "")), "two at once");
    }
    return new Step(offsetMillis, List.of(order(customer, amount, "")), "order");
  }

  /** How long to wait after the script (or a random step) before the next random step. */
  public long pauseMillis() {
    return 800 + random.nextInt(1400);
  }

  private String order(String customer, String amount, String extra) {
    counter++;
    return "{\"orderId\":\"o-" + counter + "\",\"customer\":\"" + customer + "\",\"amount\":" + amount + extra + "}";
  }
}
