package dev.taillight.instrumentation;

import java.io.PrintStream;

/**
 * Where finished span lines go: stdout by default (one CloudWatch event per line), optionally an
 * OTLP/HTTP collector.
 *
 * <p>Called on the invocation's thread (or the timeout watchdog's), synchronously, before the handler
 * returns; implementations must be thread-safe and must not throw.
 */
interface SpanWriter {
  /**
   * Writes one line. {@code buf[off, off+len)} is one complete OTLP JSON document followed by '\n';
   * the bytes are only valid during the call.
   */
  void write(byte[] buf, int off, int len);

  static SpanWriter noop() {
    return NoopWriter.INSTANCE;
  }

  /** Writes to whatever {@code System.out} is at the time of the write (the Lambda runtime replaces it). */
  static SpanWriter stdout() {
    return new StdoutWriter(null);
  }

  static SpanWriter to(PrintStream out) {
    return new StdoutWriter(out);
  }

  /** The writers {@code config} asks for (stdout, OTLP/HTTP, both or none). */
  static SpanWriter forConfig(Config config) {
    SpanWriter stdout = config.stdout() ? stdout() : noop();
    return config.otlp()
        ? composite(stdout, new OtlpHttpWriter(config.otlpEndpoint(), config.otlpTimeoutMs()))
        : stdout;
  }

  static SpanWriter composite(SpanWriter... writers) {
    if (writers.length == 0) {
      return noop();
    }
    if (writers.length == 1) {
      return writers[0];
    }
    return new CompositeWriter(writers.clone());
  }

  /** Drops every line. */
  final class NoopWriter implements SpanWriter {
    static final NoopWriter INSTANCE = new NoopWriter();

    @Override
    public void write(byte[] buf, int off, int len) {}
  }

  /** One {@code write} call per line, so a framing runtime stream keeps the line in one log event. */
  final class StdoutWriter implements SpanWriter {
    private final PrintStream fixed;

    StdoutWriter(PrintStream fixed) {
      this.fixed = fixed;
    }

    @Override
    public void write(byte[] buf, int off, int len) {
      PrintStream out = fixed != null ? fixed : System.out;
      out.write(buf, off, len);
      out.flush();
    }
  }

  /** Writes to each writer in turn; one failing writer does not stop the others. */
  final class CompositeWriter implements SpanWriter {
    private final SpanWriter[] writers;

    CompositeWriter(SpanWriter[] writers) {
      this.writers = writers;
    }

    @Override
    public void write(byte[] buf, int off, int len) {
      for (SpanWriter w : writers) {
        try {
          w.write(buf, off, len);
        } catch (RuntimeException e) {
          Problems.report("span writer " + w.getClass().getSimpleName(), e);
        }
      }
    }
  }
}
