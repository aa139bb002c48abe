package dev.taillight.instrumentation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Function;

/**
 * Traces a function without touching its code: set the function's handler to
 * {@code dev.taillight.instrumentation.TaillightHandler::handleRequest} and name the original handler in
 * the environment variable {@code TAILLIGHT_HANDLER} (for example
 * {@code com.example.Orders::handleRequest}).
 *
 * <p>Accepts what the Lambda Java runtime accepts: a class implementing {@code RequestHandler} or
 * {@code RequestStreamHandler} (method name optional), or any public method
 * {@code name(Input[, Context])} / {@code name(InputStream, OutputStream[, Context])}, static or on a
 * class with a public no-argument constructor. The input is deserialised and the output serialised the
 * way the runtime does it, with the runtime's own library ({@code aws-lambda-java-serialization}, part
 * of AWS's Java runtimes); without it, Map/List/String/number/boolean inputs still work.
 *
 * <p>The target is loaded and constructed when this class is constructed (during Lambda's init, as the
 * runtime would). A missing or wrong {@code TAILLIGHT_HANDLER} fails init with a message that says what
 * to fix; exceptions of the user's handler pass through unchanged.
 */
public final class TaillightHandler implements RequestStreamHandler {
  /** The environment variable naming the original handler. */
  public static final String HANDLER_ENV = "TAILLIGHT_HANDLER";

  private final Tracer tracer;
  private final HandlerTarget target;

  public TaillightHandler() {
    this(Tracer.global(), null, TaillightHandler.class.getClassLoader());
  }

  /** {@code env} null: the process's own environment. */
  TaillightHandler(Tracer tracer, Function<String, String> env, ClassLoader loader) {
    this.tracer = tracer;
    String name = env == null ? System.getenv(HANDLER_ENV) : env.apply(HANDLER_ENV);
    this.target = HandlerTarget.load(name, loader);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    if (tracer.config.disabled()) {
      target.invoke(input == null ? new byte[0] : input.readAllBytes(), output, context);
      return;
    }
    byte[] raw = input == null ? new byte[0] : input.readAllBytes();
    SpanRecord invocation = tracer.begin(null, raw, context);
    StatusCapture capture = target.writesRawOutput() && StreamHandlers.isHttp(invocation) && output != null
        ? new StatusCapture(output) : null;
    Object result;
    try {
      result = target.invoke(raw, capture != null ? capture : output, context);
      if (capture != null) {
        result = capture.result();
      }
    } catch (Throwable t) {
      tracer.end(invocation, null, t);
      throw Sneaky.<IOException>rethrow(t);
    }
    tracer.end(invocation, result, null);
  }
}
