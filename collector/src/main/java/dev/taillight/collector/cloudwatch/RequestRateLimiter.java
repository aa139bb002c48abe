package dev.taillight.collector.cloudwatch;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;

/**
 * Spaces API requests evenly so that all log groups together stay under one rate: the FilterLogEvents quota is
 * per account and region (5 requests/s documented), not per group, so one limiter is shared by every group of a
 * source, and can be shared by several sources.
 *
 * <p>{@link #acquire} blocks (through the injected {@link Sleeper}) until the caller's slot; {@link #penalize}
 * pushes every later slot back, which is how a throttling response slows the whole account down. Thread-safe;
 * callers are served in the order they reserved their slot.
 */
public final class RequestRateLimiter {
  private final double intervalMillis;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RateMeter meter;
  private double nextFreeMillis = Double.NEGATIVE_INFINITY;

  private RequestRateLimiter(double permitsPerSecond, Clock clock, Sleeper sleeper) {
    if (!(permitsPerSecond > 0)) {
      throw new IllegalArgumentException("permitsPerSecond must be > 0, was " + permitsPerSecond);
    }
    this.intervalMillis = 1000.0 / permitsPerSecond;
    this.clock = requireNonNull(clock, "clock");
    this.sleeper = requireNonNull(sleeper, "sleeper");
    this.meter = new RateMeter(clock);
  }

  /** A limiter allowing {@code permitsPerSecond} requests per second, on the system clock. */
  public static RequestRateLimiter create(double permitsPerSecond) {
    return create(permitsPerSecond, Clock.systemUTC(), Sleeper.system());
  }

  /** A limiter on the given clock and sleeper (tests pass fakes). */
  public static RequestRateLimiter create(double permitsPerSecond, Clock clock, Sleeper sleeper) {
    return new RequestRateLimiter(permitsPerSecond, clock, sleeper);
  }

  /** Waits for the next free slot. */
  public void acquire() throws InterruptedException {
    double slot;
    synchronized (this) {
      double now = clock.millis();
      slot = Math.max(now, nextFreeMillis);
      nextFreeMillis = slot + intervalMillis;
    }
    long wait = (long) Math.ceil(slot - clock.millis());
    if (wait > 0) {
      sleeper.sleep(Duration.ofMillis(wait));
    }
    meter.record();
  }

  /** Delays every slot not yet handed out by at least {@code pause} from now (after a throttling response). */
  public synchronized void penalize(Duration pause) {
    nextFreeMillis = Math.max(nextFreeMillis, clock.millis() + (double) pause.toMillis());
  }

  /** Requests per second actually made over the last few seconds. */
  public double recentRate() {
    return meter.perSecond();
  }

  /** The configured rate. */
  public double permitsPerSecond() {
    return 1000.0 / intervalMillis;
  }
}
