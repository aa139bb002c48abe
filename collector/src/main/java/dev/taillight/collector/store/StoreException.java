package dev.taillight.collector.store;

/**
 * The index cannot be opened or used. The message is written for the user: it names the file, what is wrong
 * and what to do about it.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
