package dev.taillight.instrumentation;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reports Taillight's own failures on stderr, once per kind, so a broken instrumentation never fails
 * or floods a user's function. Thread-safe.
 */
final class Problems {
  private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();
  static volatile PrintStream err;

  private Problems() {}

  /** Prints {@code "taillight: <what> failed: <error>"} the first time {@code what} fails. */
  static void report(String what, Throwable error) {
    try {
      if (REPORTED.add(what)) {
        PrintStream out = err != null ? err : System.err;
        out.println("taillight: " + what + " failed (reported once; the invocation goes on): " + error);
      }
    } catch (Throwable ignored) {
      // never throw from error reporting
    }
  }

  /** Prints a one-time notice (configuration problems). */
  static void notice(String key, String message) {
    try {
      if (REPORTED.add(key)) {
        PrintStream out = err != null ? err : System.err;
        out.println("taillight: " + message);
      }
    } catch (Throwable ignored) {
      // never throw from error reporting
    }
  }

  static void resetForTests() {
    REPORTED.clear();
  }
}
