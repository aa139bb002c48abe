package dev.taillight.instrumentation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

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
 * <p>Exceptions from {@code doHandleRequest} pass through unchanged (and are recorded on the span);
 * the tracing itself never throws. Safe for concurrent invocations.
 *
 * @param <I> the event type, deserialised by the Lambda runtime as for any RequestHandler
 * @param <O> the result type
 */
public abstract class TracedRequestHandler<I, O> implements RequestHandler<I, O> {
  private final Tracer tracer;

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
    ActiveInvocation invocation = tracer.begin(input, null, context);
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
}
