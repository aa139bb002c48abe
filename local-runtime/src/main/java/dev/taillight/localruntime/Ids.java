package dev.taillight.localruntime;

import java.util.Random;
import java.util.UUID;

/**
 * Makes request ids, log stream suffixes and trace ids from one random source, so a test can seed it and get
 * the same ids every run. Thread-safe.
 */
final class Ids {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private final Random random;

  Ids(Random random) {
    this.random = random;
  }

  synchronized String hex(int digits) {
    char[] c = new char[digits];
    for (int i = 0; i < digits; i++) {
      c[i] = HEX[random.nextInt(16)];
    }
    return new String(c);
  }

  /** A version-4 UUID string, as Lambda's request ids are. */
  synchronized String requestId() {
    long msb = random.nextLong();
    long lsb = random.nextLong();
    msb = (msb & ~0xF000L) | 0x4000L;
    lsb = (lsb & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
