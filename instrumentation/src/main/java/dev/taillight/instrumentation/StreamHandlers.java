package dev.taillight.instrumentation;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Traces one stream-handler invocation: reads the event bytes, begins, delegates, ends. */
final class StreamHandlers {
  private StreamHandlers() {}

  /** The wrapped stream handler. */
  interface Target {
    void handle(InputStream in, OutputStream out, Context ctx) throws IOException;
  }

  static boolean isHttp(SpanRecord invocation) {
    return invocation != null && invocation.get("http.request.method") != null;
  }

  static void handle(Tracer tracer, InputStream input, OutputStream output, Context context, Target target)
      throws IOException {
    if (tracer.config.disabled()) {
      target.handle(input, output, context);
      return;
    }
    byte[] raw = input == null ? new byte[0] : input.readAllBytes();
    SpanRecord invocation = tracer.begin(null, raw, context);
    StatusCapture capture = isHttp(invocation) && output != null ? new StatusCapture(output) : null;
    try {
      target.handle(new ByteArrayInputStream(raw), capture != null ? capture : output, context);
    } catch (Throwable t) {
      tracer.end(invocation, null, t);
      throw Sneaky.<IOException>rethrow(t);
    }
    tracer.end(invocation, capture != null ? capture.result() : null, null);
  }
}
