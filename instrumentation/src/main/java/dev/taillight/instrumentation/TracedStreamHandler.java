package dev.taillight.instrumentation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A {@link RequestStreamHandler} that traces every invocation: extend it and implement
 * {@link #doHandleRequest}. The event bytes are read once (to find the trace context in the raw JSON)
 * and handed to you as a fresh stream.
 *
 * <p>Exceptions pass through unchanged; the tracing itself never throws. Safe for concurrent
 * invocations.
 */
public abstract class TracedStreamHandler implements RequestStreamHandler {
  private final Tracer tracer;

  protected TracedStreamHandler() {
    this(Tracer.global());
  }

  TracedStreamHandler(Tracer tracer) {
    this.tracer = tracer;
  }

  /** Your handler code. */
  protected abstract void doHandleRequest(InputStream input, OutputStream output, Context context)
      throws IOException;

  @Override
  public final void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    StreamHandlers.handle(tracer, input, output, context, new StreamHandlers.Target() {
      @Override
      public void handle(InputStream in, OutputStream out, Context ctx) throws IOException {
        doHandleRequest(in, out, ctx);
      }
    });
  }
}
