package dev.taillight.instrumentation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Type;

/**
 * A {@link RequestHandler} that traces every invocation: extend it and implement
 * {@link #doHandleRequest}. Each invocation writes one span line to stdout before it returns.
 *
 * <pre>{@code
 * public class Orders extends TracedRequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
 *   protected APIGatewayV2HTTPResponse doHandleRequest(APIGatewayV2HTTPEvent event, Context context) {
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>Name the handler either by class ({@code com.example.Orders}) or by method
 * ({@code com.example.Orders::handleRequest}). In the second form the Lambda runtime sees only this class's
 * erased {@code handleRequest(Object, Context)} and hands it a {@code Map}; the event is then converted to
 * {@code I} here, with the runtime's own serializer, before {@link #doHandleRequest} sees it.
 *
 * <p>Exceptions from {@code doHandleRequest} pass through unchanged (and are recorded on the span);
 * the tracing itself never throws. Safe for concurrent invocations.
 *
 * @param <I> the event type, deserialised by the Lambda runtime as for any RequestHandler
 * @param <O> the result type
 */
public abstract class TracedRequestHandler<I, O> implements RequestHandler<I, O> {
  private final Tracer tracer;
  /**
   * The subclass's {@code doHandleRequest}, resolved on the first JSON-tree event (null until then, and when
   * not found). Kept here, not in a helper class: every class on the first invocation's path is one more jar
   * lookup, define and verify on a cold JVM.
   */
  private volatile Method eventMethod;
  /** {@code I}'s raw class; null until resolved. */
  private volatile Class<?> eventType;
  /** Reads {@code I} from JSON; built on the first conversion, guarded by {@code this}. */
  private Codecs.Codec reader;

  protected TracedRequestHandler() {
    this(Tracer.global());
  }

  TracedRequestHandler(Tracer tracer) {
    this.tracer = tracer;
  }

  /** Your handler code. */
  protected abstract O doHandleRequest(I input, Context context);

  @Override
  public final O handleRequest(I input, Context context) {
    input = asEventType(input);
    SpanRecord invocation = tracer.begin(input, null, context);
    O result;
    try {
      result = doHandleRequest(input, context);
    } catch (Throwable t) {
      tracer.end(invocation, null, t);
      throw Sneaky.<RuntimeException>rethrow(t);
    }
    tracer.end(invocation, result, null);
    return result;
  }

  /**
   * Returns the event as an {@code I}: unchanged when it already is one, else re-read from its JSON form. Only
   * a JSON tree ({@code Map}, {@code List}, {@code String}, number, boolean: what the runtime makes for an
   * {@code Object} parameter) is ever checked, so a handler named by its class alone pays one instanceof chain
   * and loads nothing. When {@code I} cannot be resolved or the conversion fails, the event is passed on as it
   * came, so the user's code sees what the runtime gave.
   */
  @SuppressWarnings("unchecked")
  private I asEventType(I input) {
    if (!(input instanceof java.util.Map || input instanceof java.util.List || input instanceof String
        || input instanceof Number || input instanceof Boolean)) {
      return input;
    }
    Class<?> type = eventType;
    if (type == null) {
      Method m = eventMethod(getClass());
      eventMethod = m;
      type = m == null ? Object.class : m.getParameterTypes()[0];
      eventType = type;
    }
    if (type.isInstance(input)) {
      return input;
    }
    try {
      return (I) convert(input);
    } catch (Exception | LinkageError e) {
      Problems.report("could not convert the " + input.getClass().getName() + " the runtime passed into "
          + type.getName() + "; name the handler by its class alone", e);
      return input;
    }
  }

  /** Writes the JSON tree as JSON and reads it back as {@code I} with the runtime's serializer. */
  private synchronized Object convert(Object input) throws java.io.IOException {
    ByteArrayOutputStream json = new ByteArrayOutputStream(1024);
    new Codecs.TreeCodec(Object.class).write(input, json);
    if (reader == null) {
      Type generic = eventMethod.getGenericParameterTypes()[0];
      reader = Codecs.forType(generic, getClass().getClassLoader());
    }
    return reader.read(json.toByteArray());
  }

  /**
   * The subclass's own {@code doHandleRequest}, whose first parameter is the concrete event type; found without
   * parsing generic signatures, which would add class loading to every cold start.
   */
  static Method eventMethod(Class<?> cls) {
    for (Class<?> c = cls; c != null && c != TracedRequestHandler.class; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().equals("doHandleRequest") && !m.isBridge() && m.getParameterCount() == 2) {
          return m;
        }
      }
    }
    return null;
  }
}
