package dev.taillight.localruntime;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads the framed log messages the runtime interface client writes to the file descriptor named by {@code
 * _LAMBDA_TELEMETRY_LOG_FD} (what its {@code LambdaLogger} and the runtime's own error reports use) and turns
 * each frame into one log event, newlines and all, as Lambda does.
 *
 * <p>Frame layout (RIC 2.x {@code FramedTelemetryLogSink}): a 16-byte big-endian header of frame type (int,
 * {@code 0xa55a00xx}), payload length (int) and timestamp in microseconds (long), then the payload. The pipe is a
 * FIFO the child opens as its fd 3; opening it here blocks until the child opens it, so it happens on the pump's
 * own thread. A frame that does not parse ends the pump after reporting what was read as text.
 */
final class TelemetryPump extends FifoPump {
  private static final int MAGIC_MASK = 0xFFFF0000;
  private static final int MAGIC = 0xA55A0000;

  private final Consumer<String> messages;

  TelemetryPump(Path fifo, Consumer<String> messages, String name) {
    super(fifo, name);
    this.messages = messages;
    start();
  }

  @Override
  void pump(FileInputStream fis) throws IOException {
    DataInputStream data = new DataInputStream(fis);
    while (true) {
      reading(true);
      int type;
      try {
        type = data.readInt();
      } catch (EOFException e) {
        return;
      }
      reading(false);
      int length = data.readInt();
      data.readLong();
      if ((type & MAGIC_MASK) != MAGIC || length < 0 || length > 64 * 1024 * 1024) {
        messages.accept("taillight: unreadable runtime log frame (type 0x" + Integer.toHexString(type) + ")");
        break;
      }
      byte[] payload = data.readNBytes(length);
      int end = payload.length;
      if (end > 0 && payload[end - 1] == '\n') {
        end--;
      }
      String message = new String(payload, 0, end, StandardCharsets.UTF_8);
      synchronized (this) {
        messages.accept(message);
      }
    }
  }

  /** Waits (at most {@code maxMillis}) until every frame already written has been delivered. */
  void drain(long maxMillis) {
    waitUntilCaughtUp(maxMillis);
    synchronized (this) {
      // a frame being delivered has been delivered
    }
  }
}
