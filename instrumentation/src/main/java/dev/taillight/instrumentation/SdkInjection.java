package dev.taillight.instrumentation;

import software.amazon.awssdk.core.SdkRequest;

/**
 * Dispatches a request to the injector of its service by class name, so that only the SDK modules of
 * services actually called need to be on the classpath.
 */
final class SdkInjection {
  private static final String SQS = "software.amazon.awssdk.services.sqs.model.";
  private static final String SNS = "software.amazon.awssdk.services.sns.model.";
  private static final String EVENTS = "software.amazon.awssdk.services.eventbridge.model.";
  private static final String LAMBDA = "software.amazon.awssdk.services.lambda.model.";

  private SdkInjection() {}

  static boolean isProducer(SdkRequest request) {
    String n = request.getClass().getName();
    return n.equals(SQS + "SendMessageRequest") || n.equals(SQS + "SendMessageBatchRequest")
        || n.equals(SNS + "PublishRequest") || n.equals(SNS + "PublishBatchRequest")
        || n.equals(EVENTS + "PutEventsRequest");
  }

  /** Returns the request with trace context added, or the same request when it has no carrier. */
  static SdkRequest inject(SdkRequest request, TraceContext ctx) {
    String n = request.getClass().getName();
    if (n.startsWith(SQS)) {
      return SqsInjector.inject(request, ctx);
    }
    if (n.startsWith(SNS)) {
      return SnsInjector.inject(request, ctx);
    }
    if (n.startsWith(EVENTS)) {
      return EventBridgeInjector.inject(request, ctx);
    }
    if (n.startsWith(LAMBDA)) {
      return LambdaInjector.inject(request, ctx);
    }
    return request;
  }
}
