package dev.taillight.instrumentation;

import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * An AWS SDK for Java v2 interceptor that carries the running invocation's trace to the next function
 * and records each SDK call as a child span of the invocation.
 *
 * <p>Injection: SQS {@code SendMessage}/{@code SendMessageBatch} get the message attribute
 * {@code traceparent} (unless the message already has one or has the maximum of 10 attributes) and the
 * {@code AWSTraceHeader} system attribute; SNS {@code Publish}/{@code PublishBatch} get the message
 * attribute {@code traceparent}; EventBridge {@code PutEvents} entries get the X-Ray {@code TraceHeader};
 * Lambda {@code Invoke} gets {@code traceparent} and {@code X-Amzn-Trace-Id} in
 * {@code ClientContext.custom}. The parent in what is injected is the SDK call's own span, so the next
 * function's span hangs under it.
 *
 * <p>Registered for every SDK client automatically (the library ships
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}); can also be added by hand:
 * {@code SqsClient.builder().overrideConfiguration(c -> c.addExecutionInterceptor(new
 * TaillightTracingInterceptor()))}. Outside an invocation it does nothing. Never throws: a failure to
 * inject leaves the request as it was and is reported once on stderr. Service classes are only touched
 * when that service's request passes, so a function needs only the SDK modules it uses.
 */
public final class TaillightTracingInterceptor implements ExecutionInterceptor {
  private static final ExecutionAttribute<SpanRecord> SPAN = new ExecutionAttribute<>("taillight.span");
  private static final ExecutionAttribute<SpanRecord> INVOCATION =
      new ExecutionAttribute<>("taillight.invocation");

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    try {
      SpanRecord a = Tracer.CURRENT.get();
      if (a == null) {
        return;
      }
      String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
      String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
      int kind = SdkInjection.isProducer(context.request()) ? SpanRecord.KIND_PRODUCER : SpanRecord.KIND_CLIENT;
      SpanRecord span = a.tracer.newChild(a, service + "." + operation, kind);
      span.set("rpc.system", "aws-api");
      span.set("rpc.service", service);
      span.set("rpc.method", operation);
      attributes.putAttribute(SPAN, span);
      attributes.putAttribute(INVOCATION, a);
    } catch (RuntimeException e) {
      Problems.report("starting an AWS SDK call span", e);
    }
  }

  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
    SdkRequest request = context.request();
    SpanRecord span = attributes.getAttribute(SPAN);
    if (span == null) {
      return request;
    }
    try {
      TraceContext ctx = new TraceContext(span.traceIdHigh, span.traceIdLow, span.spanId, span.sampled,
          attributes.getAttribute(INVOCATION).traceState);
      SdkRequest modified = SdkInjection.inject(request, ctx);
      if (modified != request) {
        span.set("aws.lambda.trace_context_injected", true);
      }
      return modified;
    } catch (RuntimeException | LinkageError e) {
      Problems.report("injecting trace context into " + request.getClass().getSimpleName(), e);
      return request;
    }
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    SpanRecord span = attributes.getAttribute(SPAN);
    if (span == null) {
      return;
    }
    try {
      SpanRecord a = attributes.getAttribute(INVOCATION);
      span.endNanos = a.tracer.nowNanos();
      span.set("http.response.status_code", (long) context.httpResponse().statusCode());
      SdkResponse response = context.response();
      if (response instanceof AwsResponse aws && aws.responseMetadata() != null) {
        span.set("aws.request_id", aws.responseMetadata().requestId());
      }
      a.addChild(span);
    } catch (RuntimeException e) {
      Problems.report("finishing an AWS SDK call span", e);
    }
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    SpanRecord span = attributes.getAttribute(SPAN);
    if (span == null) {
      return;
    }
    try {
      SpanRecord a = attributes.getAttribute(INVOCATION);
      span.endNanos = a.tracer.nowNanos();
      context.httpResponse().ifPresent(r -> span.set("http.response.status_code", (long) r.statusCode()));
      span.recordException(context.exception(), span.endNanos);
      a.addChild(span);
    } catch (RuntimeException e) {
      Problems.report("finishing an AWS SDK call span", e);
    }
  }
}
