package dev.taillight.collector.cloudwatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that only moves when told; {@link #sleeper()} advances it instead of sleeping. Thread-safe. */
final class TestClock extends Clock {
  private volatile long millis;

  TestClock(long startMillis) {
    this.millis = startMillis;
  }

  synchronized void advance(long ms) {
    millis += ms;
  }

  Sleeper sleeper() {
    return d -> advance(Math.max(0, d.toMillis()));
  }

  void advance(Duration d) {
    advance(d.toMillis());
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }
}
