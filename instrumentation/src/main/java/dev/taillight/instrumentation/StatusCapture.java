package dev.taillight.instrumentation;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Passes a stream handler's output through unchanged while keeping its first bytes, to read the
 * {@code statusCode} of an HTTP response (API Gateway, ALB, function URL) written as JSON. Used only for
 * HTTP events.
 */
final class StatusCapture extends FilterOutputStream {
  static final int HEAD = 512;
  private final byte[] head = new byte[HEAD];
  private int length;

  StatusCapture(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    if (length < HEAD) {
      head[length++] = (byte) b;
    }
    out.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    int keep = Math.min(len, HEAD - length);
    if (keep > 0) {
      System.arraycopy(b, off, head, length, keep);
      length += keep;
    }
    out.write(b, off, len);
  }

  /** {@code {statusCode=N}} when the output starts like an HTTP response object, else null. */
  Map<String, Object> result() {
    long status = statusCode(head, length);
    return status > 0 ? Map.of("statusCode", status) : null;
  }

  /** The number after the first {@code "statusCode":} in {@code buf[0, len)}, or -1. Never throws. */
  static long statusCode(byte[] buf, int len) {
    byte[] key = {'"', 's', 't', 'a', 't', 'u', 's', 'C', 'o', 'd', 'e', '"'};
    outer:
    for (int i = 0; i + key.length < len; i++) {
      for (int k = 0; k < key.length; k++) {
        if (buf[i + k] != key[k]) {
          continue outer;
        }
      }
      int j = i + key.length;
      while (j < len && (buf[j] == ' ' || buf[j] == ':' || buf[j] == '"' || buf[j] == '\n' || buf[j] == '\t')) {
        j++;
      }
      long v = 0;
      int digits = 0;
      while (j < len && buf[j] >= '0' && buf[j] <= '9' && digits < 4) {
        v = v * 10 + (buf[j++] - '0');
        digits++;
      }
      return digits == 3 ? v : -1;
    }
    return -1;
  }
}
