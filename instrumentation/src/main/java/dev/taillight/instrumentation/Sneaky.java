package dev.taillight.instrumentation;

/** Rethrows any throwable unchanged, checked or not, so user exceptions pass through as they were. */
final class Sneaky {
  private Sneaky() {}

  @SuppressWarnings("unchecked")
  static <T extends Throwable> RuntimeException rethrow(Throwable t) throws T {
    throw (T) t;
  }
}
