package dev.taillight.localruntime;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * Drives a function with generated traffic: {@code burst} invocations at a time, {@code rate} times per second,
 * until {@code count} invocations have been started; then waits for all of them. Throttles, cold starts and
 * scale-out happen as they would on Lambda under the same traffic.
 *
 * <pre>{@code
 * RateDriver.Report r = RateDriver.run(runtime, i -> "{\"n\":" + i + "}", RateDriver.Rate.parse("5/s"), 1, 50);
 * }</pre>
 */
public final class RateDriver {

  private RateDriver() {}

  /** Invocations per time unit. */
  public record Rate(double perSecond) {
    public Rate {
      if (!(perSecond > 0) || perSecond > 100_000) {
        throw new IllegalArgumentException("rate must be above 0 and at most 100000/s, got " + perSecond);
      }
    }

    /**
     * Parses {@code 5/s}, {@code 300/m}, {@code 2.5/s} or a plain number (per second).
     *
     * @throws IllegalArgumentException with the expected forms
     */
    public static Rate parse(String text) {
      String t = requireNonNull(text, "text").strip().toLowerCase(Locale.ROOT);
      try {
        if (t.endsWith("/s")) {
          return new Rate(Double.parseDouble(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("/m")) {
          return new Rate(Double.parseDouble(t.substring(0, t.length() - 2)) / 60.0);
        }
        return new Rate(Double.parseDouble(t));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("rate must look like 5/s or 300/m, got '" + text + "'");
      }
    }

    Duration interval() {
      return Duration.ofNanos((long) (1_000_000_000L / perSecond));
    }
  }

  /** What the traffic came to. */
  public record Report(int started, int succeeded, int functionErrors, int throttled, int timedOut, int otherFailures,
      int coldStarts) {}

  /**
   * Runs the traffic and blocks until every invocation has ended.
   *
   * @param events makes the event of the i-th invocation (from 0)
   * @param burst invocations started together at each tick (1 for an even rate)
   * @param count total invocations
   */
  public static Report run(LocalRuntime runtime, IntFunction<String> events, Rate rate, int burst, int count) {
    requireNonNull(runtime, "runtime");
    requireNonNull(events, "events");
    requireNonNull(rate, "rate");
    if (burst < 1 || count < 0) {
      throw new IllegalArgumentException("burst must be at least 1 and count not negative");
    }
    List<CompletableFuture<InvocationResult>> futures = new ArrayList<>();
    long interval = rate.interval().toNanos();
    long next = System.nanoTime();
    int i = 0;
    while (i < count) {
      for (int b = 0; b < burst && i < count; b++, i++) {
        futures.add(runtime.invokeAsync(InvokeRequest.of(events.apply(i))));
      }
      next += interval;
      long wait = next - System.nanoTime();
      if (wait > 0 && i < count) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
    }
    int ok = 0;
    int fnErr = 0;
    int throttled = 0;
    int timeouts = 0;
    int other = 0;
    int cold = 0;
    for (CompletableFuture<InvocationResult> f : futures) {
      InvocationResult r = f.join();
      switch (r.status()) {
        case SUCCESS -> ok++;
        case FUNCTION_ERROR -> fnErr++;
        case THROTTLED -> throttled++;
        case TIMEOUT -> timeouts++;
        default -> other++;
      }
      if (r.coldStart()) {
        cold++;
      }
    }
    return new Report(futures.size(), ok, fnErr, throttled, timeouts, other, cold);
  }
}
