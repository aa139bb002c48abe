package dev.taillight.collector.file;

import static java.util.Objects.requireNonNull;

import dev.taillight.collector.LogSink;
import dev.taillight.collector.LogSource;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.SourceStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads log events from a file or stdin ({@code -}), in any of the formats users have at hand, detected from
 * the content:
 *
 * <ul>
 *   <li>the JSON that {@code aws logs filter-log-events} or {@code aws logs get-log-events} prints ({@code
 *       {"events":[{"logStreamName","timestamp","message","ingestionTime","eventId"}],...}}), also several
 *       such documents one after the other, or a bare array of events;
 *   <li>JSON lines, one event object per line, as {@link JsonLinesSink} writes them ({@code logGroup},
 *       {@code logStream}, {@code timestamp}, {@code ingestionTime}, {@code eventId}, {@code message}; the
 *       CloudWatch names {@code logGroupName}/{@code logStreamName} are accepted too);
 *   <li>plain text lines: {@code <stream> <time> <message>} as {@code sam logs} prints them, lines that start
 *       with an ISO-8601 time (the time is kept in the message), or bare lines (they take the time of the
 *       line before).
 * </ul>
 *
 * <p>When the input does not say which log group or stream an event belongs to, the builder's {@link
 * Builder#functionName}, {@link Builder#logGroup} and {@link Builder#logStream} decide; without them the file
 * name is used. Events without a CloudWatch id get {@link RawEvent#syntheticId} (the n-th identical line of
 * a file gets a distinct, stable id, so repeated lines are not mistaken for duplicates).
 *
 * <p>Bad input never stops the read: a malformed event is reported as {@code name:line: what was wrong} to
 * {@link Builder#onError}, counted in {@link #skipped()} and the rest is read. Only a JSON document that is
 * cut off or broken in its syntax ends the read of that document (the error says where).
 *
 * <p>Threading: {@link #start} reads on one background thread and delivers to the sink from it; {@link
 * #run} does the same on the caller's thread. Status methods are safe from any thread.
 */
public final class FileSource implements LogSource {
  /** How to read the input. */
  public enum Format {
    /** Decide from the first non-blank line. */
    AUTO,
    /** AWS CLI / API JSON ({@code {"events":[...]}}). */
    AWS_JSON,
    /** One event object per line. */
    JSON_LINES,
    /** Plain text lines. */
    TEXT
  }

  private static final int MAX_ERRORS_KEPT = 100;
  private static final int DEDUP_IDS = 100_000;

  private final String name;
  private final Supplier<InputStream> input;
  private final String defaultGroup;
  private final String defaultStream;
  private final Format format;
  private final Consumer<String> onError;

  private final Object lock = new Object();
  private final List<String> errors = new ArrayList<>();
  private final Map<String, Long> groupsSeen = new LinkedHashMap<>();
  private long delivered;
  private long duplicates;
  private long skipped;
  private volatile boolean finished;
  private volatile boolean stopping;
  private volatile Format detected;
  private Thread thread;

  private FileSource(Builder b) {
    this.name = b.name;
    this.input = b.input;
    this.format = b.format;
    this.onError = b.onError;
    this.defaultGroup = b.logGroup != null ? b.logGroup
        : b.functionName != null ? "/aws/lambda/" + b.functionName : b.name;
    this.defaultStream = b.logStream != null ? b.logStream : b.name;
  }

  /** A builder reading {@code path}; {@code "-"} means stdin. */
  public static Builder builder(String path) {
    requireNonNull(path, "path");
    if (path.equals("-")) {
      return new Builder("stdin", () -> System.in);
    }
    return builder(Path.of(path));
  }

  /** A builder reading {@code file}. */
  public static Builder builder(Path file) {
    requireNonNull(file, "file");
    Path fileName = file.getFileName();
    return new Builder(fileName == null ? file.toString() : fileName.toString(), () -> {
      try {
        return Files.newInputStream(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    });
  }

  /** A builder reading an already open stream (e.g. stdin handed in by the CLI); {@code name} is for errors. */
  public static Builder builder(String name, InputStream in) {
    requireNonNull(name, "name");
    requireNonNull(in, "in");
    return new Builder(name, () -> in);
  }

  /** Reads {@code file} with format detection and default names. */
  public static FileSource create(Path file) {
    return builder(file).build();
  }

  @Override
  public synchronized void start(LogSink sink) {
    requireNonNull(sink, "sink");
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    thread = new Thread(() -> run(sink), "taillight-file-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Reads everything and delivers it to {@code sink} on the calling thread, then marks the source finished.
   * A file that cannot be opened is reported through {@link Builder#onError} and counted as one skip.
   */
  public void run(LogSink sink) {
    try (InputStream in = input.get()) {
      Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE));
      new EventFileReader(this, reader, sink).read();
    } catch (IOException | UncheckedIOException e) {
      error(0, e.getMessage());
    } finally {
      finished = true;
    }
  }

  // ---- called by EventFileReader ----

  String name() {
    return name;
  }

  String defaultGroup() {
    return defaultGroup;
  }

  String defaultStream() {
    return defaultStream;
  }

  Format format() {
    return format;
  }

  boolean stopping() {
    return stopping;
  }

  void detected(Format f) {
    detected = f;
  }

  private final Map<String, Boolean> recentIds = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > DEDUP_IDS;
    }
  };

  void deliver(RawEvent event, LogSink sink) {
    synchronized (lock) {
      if (recentIds.put(event.eventId(), Boolean.TRUE) != null) {
        duplicates++;
        return;
      }
      delivered++;
      groupsSeen.merge(event.logGroup(), event.timestamp(), Math::max);
    }
    sink.accept(event);
  }

  /** Records a skipped line: {@code line} is 1-based, 0 when the problem is not tied to a line. */
  void error(long line, String what) {
    String text = line > 0 ? name + ":" + line + ": " + what : name + ": " + what;
    synchronized (lock) {
      skipped++;
      if (errors.size() < MAX_ERRORS_KEPT) {
        errors.add(text);
      }
    }
    try {
      onError.accept(text);
    } catch (RuntimeException ignored) {
      // a failing reporter must not stop the read
    }
  }

  // ---- status ----

  /** Events skipped because they were malformed. */
  public long skipped() {
    synchronized (lock) {
      return skipped;
    }
  }

  /** Events delivered so far. */
  public long delivered() {
    synchronized (lock) {
      return delivered;
    }
  }

  /** The first 100 error messages, each {@code name:line: what was wrong}. */
  public List<String> errors() {
    synchronized (lock) {
      return List.copyOf(errors);
    }
  }

  /** The format that was read (detected or forced), or null before the first line. */
  public Format detectedFormat() {
    return detected;
  }

  @Override
  public boolean isFinished() {
    return finished;
  }

  @Override
  public SourceStatus status() {
    synchronized (lock) {
      List<SourceStatus.GroupStatus> groups = new ArrayList<>();
      String state = finished ? "read" : "reading";
      groupsSeen.keySet().forEach(g -> groups.add(new SourceStatus.GroupStatus(g, -1, state)));
      String message = skipped == 0 ? null
          : skipped + " malformed event" + (skipped == 1 ? "" : "s") + " skipped; first: " + errors.get(0);
      Format f = detected;
      return new SourceStatus("file " + name + (f == null ? "" : " (" + f.name().toLowerCase().replace('_', ' ')
          + ")"), 0, delivered, duplicates, groups, message);
    }
  }

  @Override
  public void close() {
    stopping = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Configures a {@link FileSource}. */
  public static final class Builder {
    private final String name;
    private final Supplier<InputStream> input;
    private String logGroup;
    private String logStream;
    private String functionName;
    private Format format = Format.AUTO;
    private Consumer<String> onError = e -> {};

    private Builder(String name, Supplier<InputStream> input) {
      this.name = name;
      this.input = input;
    }

    /** The log group for events that do not name one (default: {@code /aws/lambda/<function>} or the file name). */
    public Builder logGroup(String logGroup) {
      this.logGroup = requireNonNull(logGroup, "logGroup");
      return this;
    }

    /** The log stream for events that do not name one (default: the file name). */
    public Builder logStream(String logStream) {
      this.logStream = requireNonNull(logStream, "logStream");
      return this;
    }

    /** The function the file belongs to: its events without a group go to {@code /aws/lambda/<name>}. */
    public Builder functionName(String functionName) {
      this.functionName = requireNonNull(functionName, "functionName");
      return this;
    }

    /** Forces a format instead of detecting it. */
    public Builder format(Format format) {
      this.format = requireNonNull(format, "format");
      return this;
    }

    /** Receives one line per skipped event, {@code name:line: what was wrong}. */
    public Builder onError(Consumer<String> onError) {
      this.onError = requireNonNull(onError, "onError");
      return this;
    }

    public FileSource build() {
      return new FileSource(this);
    }
  }
}
