package dev.taillight.instrumentation;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One span being recorded: ids, times, attributes, events, links and (for the invocation span) child
 * spans and the state of the running invocation. A lean mutable structure rendered by
 * {@link JsonOut#otlpLine}; no OpenTelemetry SDK involved.
 *
 * <p>Attributes, events and links are written by the thread that owns the span; children may be added
 * from other threads (asynchronous SDK clients), so {@link #addChild} and reading children synchronize.
 */
final class SpanRecord {
  static final int KIND_INTERNAL = 1;
  static final int KIND_SERVER = 2;
  static final int KIND_CLIENT = 3;
  static final int KIND_PRODUCER = 4;
  static final int KIND_CONSUMER = 5;

  static final int STATUS_UNSET = 0;
  static final int STATUS_OK = 1;
  static final int STATUS_ERROR = 2;

  /** Longest string attribute value kept, in chars; longer values are cut and the cut counted. */
  static final int MAX_VALUE_CHARS = 8 * 1024;
  /** Longest stack trace kept, in chars. */
  static final int MAX_STACK_CHARS = 64 * 1024;
  /** Most links kept (an SQS batch can hold up to 10,000 messages). */
  static final int MAX_LINKS = 500;
  /** Most child spans kept. */
  static final int MAX_CHILDREN = 200;

  long traceIdHigh;
  long traceIdLow;
  long spanId;
  long parentSpanId;
  boolean sampled = true;
  String traceState;
  String name;
  int kind = KIND_INTERNAL;
  long startNanos;
  long endNanos;
  int statusCode;
  String statusMessage;
  /** Chars or items cut from this span (and, for the invocation span, from its line). */
  long truncated;

  String[] keys = new String[24];
  Object[] values = new Object[24];
  int attributeCount;

  List<Event> events;
  List<Link> links;
  private List<SpanRecord> children;

  // The invocation span is also the record of the running invocation (a class of its own would be one more
  // to load on every cold start); these fields are null/0 on every other span. Lines for an invocation are
  // written under its monitor, so a timeout warning and the final line never interleave and the final line
  // always comes last.
  static final int RUNNING = 0;
  static final int WARNED = 1;
  static final int DONE = 2;
  /** The tracer that began the invocation. */
  Tracer tracer;
  /** The invocation's Lambda context. */
  Context context;
  /** The thread running the handler. */
  Thread thread;
  String requestId;
  /** RUNNING, WARNED or DONE; shared with the timeout watchdog. */
  AtomicInteger state;
  /** System.nanoTime() at which the watchdog should warn; 0 when not watched. */
  long warnAtNanoTime;
  /** The invocation this one runs inside (a nested wrapper), restored when it ends. */
  SpanRecord previous;

  /** A span event; attributes are key/value pairs in one array. */
  record Event(String name, long timeNanos, Object[] keyValues) {}

  /** A link to another span (one per message of a batch). */
  record Link(long traceIdHigh, long traceIdLow, long spanId, String traceState, Object[] keyValues) {}

  SpanRecord set(String key, Object value) {
    if (value == null || key == null) {
      return this;
    }
    if (value instanceof String s && s.length() > MAX_VALUE_CHARS) {
      truncated += s.length() - MAX_VALUE_CHARS;
      value = s.substring(0, MAX_VALUE_CHARS);
    }
    for (int i = 0; i < attributeCount; i++) {
      if (keys[i].equals(key)) {
        values[i] = value;
        return this;
      }
    }
    if (attributeCount == keys.length) {
      keys = java.util.Arrays.copyOf(keys, keys.length * 2);
      values = java.util.Arrays.copyOf(values, values.length * 2);
    }
    keys[attributeCount] = key;
    values[attributeCount] = value;
    attributeCount++;
    return this;
  }

  /** Adds an attribute known not to be set yet (no duplicate check); null values are skipped. */
  SpanRecord put(String key, Object value) {
    if (value == null) {
      return this;
    }
    if (value instanceof String s && s.length() > MAX_VALUE_CHARS) {
      return set(key, value);
    }
    if (attributeCount == keys.length) {
      keys = java.util.Arrays.copyOf(keys, keys.length * 2);
      values = java.util.Arrays.copyOf(values, values.length * 2);
    }
    keys[attributeCount] = key;
    values[attributeCount] = value;
    attributeCount++;
    return this;
  }

  SpanRecord set(String key, long value) {
    return set(key, (Object) Long.valueOf(value));
  }

  SpanRecord set(String key, boolean value) {
    return set(key, (Object) Boolean.valueOf(value));
  }

  Object get(String key) {
    for (int i = 0; i < attributeCount; i++) {
      if (keys[i].equals(key)) {
        return values[i];
      }
    }
    return null;
  }

  void addEvent(Event event) {
    if (events == null) {
      events = new ArrayList<>(2);
    }
    events.add(event);
  }

  void addLink(Link link) {
    if (links == null) {
      links = new ArrayList<>();
    }
    if (links.size() >= MAX_LINKS) {
      truncated++;
      return;
    }
    links.add(link);
  }

  synchronized void addChild(SpanRecord child) {
    if (children == null) {
      children = new ArrayList<>(4);
    }
    if (children.size() >= MAX_CHILDREN) {
      truncated++;
      return;
    }
    children.add(child);
  }

  synchronized List<SpanRecord> children() {
    return children == null ? List.of() : new ArrayList<>(children);
  }

  synchronized int childCount() {
    return children == null ? 0 : children.size();
  }

  /** Records {@code error} as an {@code exception} event and sets status ERROR. */
  void recordException(Throwable error, long timeNanos) {
    String message = error.getMessage();
    String stack = stackTrace(error);
    if (stack.length() > MAX_STACK_CHARS) {
      truncated += stack.length() - MAX_STACK_CHARS;
      stack = stack.substring(0, MAX_STACK_CHARS);
    }
    Object[] kv = message == null
        ? new Object[] {"exception.type", error.getClass().getName(), "exception.stacktrace", stack}
        : new Object[] {"exception.type", error.getClass().getName(), "exception.message", cut(message),
            "exception.stacktrace", stack};
    addEvent(new Event("exception", timeNanos, kv));
    statusCode = STATUS_ERROR;
    statusMessage = message == null ? error.getClass().getName() : cut(message);
  }

  String cut(String s) {
    if (s.length() <= MAX_VALUE_CHARS) {
      return s;
    }
    truncated += s.length() - MAX_VALUE_CHARS;
    return s.substring(0, MAX_VALUE_CHARS);
  }

  /**
   * {@code printStackTrace} as a string. Through a PrintStream, which the JVM has loaded already: a
   * StringWriter here would be one more class to load and verify on every cold start.
   */
  static String stackTrace(Throwable error) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(1024);
    java.io.PrintStream p = new java.io.PrintStream(bytes, false, java.nio.charset.StandardCharsets.UTF_8);
    error.printStackTrace(p);
    p.flush();
    return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Renders a thread's stack as Java's {@code printStackTrace} would, one frame per line. */
  static String stackTrace(Thread thread, StackTraceElement[] frames) {
    StringBuilder sb = new StringBuilder(64 + frames.length * 80);
    sb.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
    for (StackTraceElement frame : frames) {
      sb.append("\tat ").append(frame).append('\n');
    }
    return sb.toString();
  }
}
