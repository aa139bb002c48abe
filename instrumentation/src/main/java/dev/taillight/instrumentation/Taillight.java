package dev.taillight.instrumentation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.BiConsumer;

/**
 * Entry points for code that wants tracing without extending our base classes.
 *
 * <ul>
 *   <li>{@link #wrap(RequestHandler)} / {@link #wrap(RequestStreamHandler)}: decorate an existing
 *       handler; every invocation through the returned handler writes one span line.
 *   <li>{@link #inject(BiConsumer)}: put the running invocation's trace context into any carrier
 *       (HTTP headers, message attributes) so the next service joins the trace.
 *   <li>{@link #traceId()}, {@link #spanId()}, {@link #traceparent()}: the running invocation's ids.
 * </ul>
 *
 * <p>All methods are thread-safe and never throw; outside an invocation the getters return null and
 * {@code inject} does nothing.
 */
public final class Taillight {
  private Taillight() {}

  /** Returns a handler that traces each invocation of {@code handler}, then delegates to it. */
  public static <I, O> RequestHandler<I, O> wrap(RequestHandler<I, O> handler) {
    return wrap(handler, Tracer.global());
  }

  static <I, O> RequestHandler<I, O> wrap(RequestHandler<I, O> handler, Tracer tracer) {
    if (handler == null) {
      throw new NullPointerException("handler");
    }
    return new WrappedRequestHandler<>(handler, tracer);
  }

  /** Returns a stream handler that traces each invocation of {@code handler}, then delegates to it. */
  public static RequestStreamHandler wrap(RequestStreamHandler handler) {
    return wrap(handler, Tracer.global());
  }

  static RequestStreamHandler wrap(RequestStreamHandler handler, Tracer tracer) {
    if (handler == null) {
      throw new NullPointerException("handler");
    }
    return new WrappedStreamHandler(handler, tracer);
  }

  /**
   * Writes the running invocation's context to {@code carrier} as {@code traceparent} (W3C, plus
   * {@code tracestate} when there is one) and {@code X-Amzn-Trace-Id} (X-Ray). Does nothing outside an
   * invocation.
   */
  public static void inject(BiConsumer<String, String> carrier) {
    SpanRecord a = Tracer.CURRENT.get();
    if (a == null || carrier == null) {
      return;
    }
    try {
      TraceContext ctx = new TraceContext(
          a.traceIdHigh, a.traceIdLow, a.spanId, a.sampled, a.traceState);
      carrier.accept("traceparent", ctx.traceparent());
      if (ctx.traceState() != null) {
        carrier.accept("tracestate", ctx.traceState());
      }
      carrier.accept("X-Amzn-Trace-Id", ctx.xrayHeader());
    } catch (RuntimeException e) {
      Problems.report("injecting trace context", e);
    }
  }

  /** The running invocation's trace id (32 lowercase hex digits), or null outside an invocation. */
  public static String traceId() {
    SpanRecord a = Tracer.CURRENT.get();
    return a == null ? null : Tracer.hex32(a);
  }

  /** The running invocation span's id (16 lowercase hex digits), or null outside an invocation. */
  public static String spanId() {
    SpanRecord a = Tracer.CURRENT.get();
    return a == null ? null : TraceContext.hex16(a.spanId);
  }

  /** The running invocation's W3C traceparent, or null outside an invocation. */
  public static String traceparent() {
    SpanRecord a = Tracer.CURRENT.get();
    return a == null ? null
        : new TraceContext(a.traceIdHigh, a.traceIdLow, a.spanId, a.sampled, null)
            .traceparent();
  }

  private static final class WrappedRequestHandler<I, O> implements RequestHandler<I, O> {
    private final RequestHandler<I, O> delegate;
    private final Tracer tracer;

    WrappedRequestHandler(RequestHandler<I, O> delegate, Tracer tracer) {
      this.delegate = delegate;
      this.tracer = tracer;
    }

    @Override
    public O handleRequest(I input, Context context) {
      SpanRecord invocation = tracer.begin(input, null, context);
      O result;
      try {
        result = delegate.handleRequest(input, context);
      } catch (Throwable t) {
        tracer.end(invocation, null, t);
        throw Sneaky.<RuntimeException>rethrow(t);
      }
      tracer.end(invocation, result, null);
      return result;
    }
  }

  private static final class WrappedStreamHandler implements RequestStreamHandler, StreamHandlers.Target {
    private final RequestStreamHandler delegate;
    private final Tracer tracer;

    WrappedStreamHandler(RequestStreamHandler delegate, Tracer tracer) {
      this.delegate = delegate;
      this.tracer = tracer;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
      StreamHandlers.handle(tracer, input, output, context, this);
    }

    @Override
    public void handle(InputStream in, OutputStream out, Context ctx) throws IOException {
      delegate.handleRequest(in, out, ctx);
    }
  }
}
