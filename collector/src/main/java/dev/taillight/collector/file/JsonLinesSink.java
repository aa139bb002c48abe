package dev.taillight.collector.file;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.taillight.collector.LogSink;
import dev.taillight.collector.RawEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes each event as one JSON object on its own line: {@code
 * {"logGroup":"/aws/lambda/orders","logStream":"2024/05/09/[$LATEST]abc","timestamp":1712567843827,
 * "ingestionTime":1712567844822,"eventId":"0009...","message":"START RequestId: ..."}}. {@link FileSource}
 * reads this format back, so a tail saved with this sink can be replayed.
 *
 * <p>Thread-safe: {@link #accept} writes under a lock into a buffer; {@link #flush} pushes the buffer to
 * the file or stream. A write failure is kept and rethrown as {@link UncheckedIOException} by the next
 * {@link #flush} or {@link #close}, never by {@link #accept} (which counts the event as failed). {@link
 * #close} closes the file it opened; a stream given by the caller is flushed, not closed.
 */
public final class JsonLinesSink implements LogSink {
  private static final JsonFactory JSON = new JsonFactory();

  private final Writer writer;
  private final boolean ownsWriter;
  private IOException failure;
  private long written;
  private long failed;
  private boolean closed;

  private JsonLinesSink(Writer writer, boolean ownsWriter) {
    this.writer = writer;
    this.ownsWriter = ownsWriter;
  }

  /** Appends to {@code file}, creating it (and its parent folders) when missing. */
  public static JsonLinesSink toFile(Path file) {
    requireNonNull(file, "file");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE);
      return new JsonLinesSink(w, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file + " for writing: " + e.getMessage(), e);
    }
  }

  /** Writes UTF-8 to {@code out} (e.g. {@code System.out}); {@link #close} flushes but does not close it. */
  public static JsonLinesSink toStream(OutputStream out) {
    requireNonNull(out, "out");
    return new JsonLinesSink(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)), false);
  }

  /** Writes to {@code out}; {@link #close} flushes but does not close it. */
  public static JsonLinesSink toWriter(Writer out) {
    requireNonNull(out, "out");
    return new JsonLinesSink(out, false);
  }

  /** Renders one event as the JSON object this sink writes (without the newline). */
  public static String toJson(RawEvent event) {
    java.io.StringWriter sw = new java.io.StringWriter(event.message().length() + 160);
    try {
      write(event, sw);
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    return sw.toString();
  }

  private static void write(RawEvent e, Writer out) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeStringField("logGroup", e.logGroup());
      g.writeStringField("logStream", e.logStream());
      g.writeNumberField("timestamp", e.timestamp());
      g.writeNumberField("ingestionTime", e.ingestionTime());
      g.writeStringField("eventId", e.eventId());
      g.writeStringField("message", e.message());
      g.writeEndObject();
    }
  }

  @Override
  public synchronized void accept(RawEvent event) {
    requireNonNull(event, "event");
    if (closed) {
      throw new IllegalStateException("JsonLinesSink is closed");
    }
    if (failure != null) {
      failed++;
      return;
    }
    try {
      write(event, writer);
      writer.write('\n');
      written++;
    } catch (IOException e) {
      failure = e;
      failed++;
    }
  }

  /** Events written so far. */
  public synchronized long written() {
    return written;
  }

  /** Events that could not be written because the file or stream failed. */
  public synchronized long failed() {
    return failed;
  }

  @Override
  public synchronized void flush() {
    if (failure == null) {
      try {
        writer.flush();
      } catch (IOException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw new UncheckedIOException("writing JSON lines failed (" + failed + " events not written): "
          + failure.getMessage(), failure);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      flush();
    } finally {
      if (ownsWriter) {
        try {
          writer.close();
        } catch (IOException e) {
          if (failure == null) {
            failure = e;
            throw new UncheckedIOException("closing the JSON lines file failed: " + e.getMessage(), e);
          }
        }
      }
    }
  }
}
