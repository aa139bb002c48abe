package dev.taillight.localruntime;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads a child's stdout or stderr on its own thread and turns it into log events: one event per line (the
 * newline removed), lines longer than CloudWatch's event limit split into several events, bytes that are not
 * UTF-8 replaced by U+FFFD. Nothing the function writes is lost or can stop the pump.
 *
 * <p>The child writes into a FIFO (its fd 1 or 2 is opened on it by the launcher), which this pump opens on its
 * own thread: a plain {@link FileInputStream}, whose {@code available()} does not contend with the blocked read.
 *
 * <p>{@link #drain} lets the environment wait until everything the child wrote before some moment (e.g. before
 * it posted its response) has been turned into events, so that a handler's lines always come before END.
 */
final class OutputPump extends FifoPump {
  /** CloudWatch's event limit (256 KiB) less its 26 bytes of per-event overhead. */
  static final int MAX_EVENT_BYTES = 262_144 - 26;

  private final Consumer<String> lines;
  private byte[] line = new byte[256];
  private int length;

  OutputPump(Path fifo, Consumer<String> lines, String name) {
    super(fifo, name);
    this.lines = lines;
    start();
  }

  @Override
  void pump(FileInputStream fis) throws IOException {
    byte[] buf = new byte[16 * 1024];
    while (true) {
      reading(true);
      int n = fis.read(buf);
      reading(false);
      if (n < 0) {
        return;
      }
      synchronized (this) {
        consume(buf, n);
      }
    }
  }

  @Override
  synchronized void onEnd() {
    flushPartial();
  }

  private void consume(byte[] buf, int n) {
    int start = 0;
    for (int i = 0; i < n; i++) {
      if (buf[i] == '\n') {
        append(buf, start, i - start);
        emit();
        start = i + 1;
      }
    }
    append(buf, start, n - start);
  }

  private void append(byte[] buf, int off, int len) {
    while (len > 0) {
      int room = MAX_EVENT_BYTES - length;
      int take = Math.min(room, len);
      if (length + take > line.length) {
        line = Arrays.copyOf(line, Math.max(length + take, Math.min(MAX_EVENT_BYTES, line.length * 2)));
      }
      System.arraycopy(buf, off, line, length, take);
      length += take;
      off += take;
      len -= take;
      if (length == MAX_EVENT_BYTES) {
        emitLongChunk();
      }
    }
  }

  /** Emits a full-size chunk, cut at a UTF-8 character boundary; the rest stays for the next event. */
  private void emitLongChunk() {
    int cut = length;
    while (cut > length - 4 && cut > 0 && (line[cut - 1] & 0xC0) == 0x80) {
      cut--;
    }
    if (cut > 0 && (line[cut - 1] & 0xC0) == 0xC0) {
      cut--;
    }
    if (cut <= 0) {
      cut = length;
    }
    lines.accept(new String(line, 0, cut, StandardCharsets.UTF_8));
    System.arraycopy(line, cut, line, 0, length - cut);
    length -= cut;
  }

  private void emit() {
    lines.accept(new String(line, 0, length, StandardCharsets.UTF_8));
    length = 0;
    if (line.length > 64 * 1024) {
      line = new byte[256];
    }
  }

  private void flushPartial() {
    if (length > 0) {
      emit();
    }
  }

  /**
   * Waits (at most {@code maxMillis}) until every byte already written to the pipe has been read and turned into
   * events, then emits a trailing line that has no newline yet. Returns at once when the pump has finished.
   */
  void drain(long maxMillis) {
    waitUntilCaughtUp(maxMillis);
    synchronized (this) {
      flushPartial();
    }
  }
}
