/**
 * Wraps AWS Lambda handlers so each invocation leaves one OpenTelemetry span line on stdout.
 *
 * <p>Public API (stable names, documented in docs/instrumentation.md):
 *
 * <ul>
 *   <li>{@link dev.taillight.instrumentation.TracedRequestHandler} and
 *       {@link dev.taillight.instrumentation.TracedStreamHandler}: base classes with a final
 *       {@code handleRequest} that calls your {@code doHandleRequest};
 *   <li>{@link dev.taillight.instrumentation.Taillight}: {@code wrap} an existing handler, {@code inject} the
 *       running trace into any carrier, read the running {@code traceId}/{@code spanId}/{@code traceparent};
 *   <li>{@link dev.taillight.instrumentation.TaillightHandler}: the no-code-change handler, with the original
 *       handler named in {@code TAILLIGHT_HANDLER};
 *   <li>{@link dev.taillight.instrumentation.TaillightTracingInterceptor}: the AWS SDK v2 interceptor that carries
 *       the trace into SQS, SNS, EventBridge and Lambda calls (registered for every client automatically).
 * </ul>
 *
 * <p>Everything else in this package is internal. The span line format is in docs/span-format.md.
 */
package dev.taillight.instrumentation;
