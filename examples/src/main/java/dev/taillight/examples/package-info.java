/**
 * Example functions: a small order pipeline wrapped with the Taillight instrumentation.
 *
 * <pre>
 * HTTP API ─► OrdersApi ─► SQS payments ─► PaymentWorker ─► SQS notifications ─► Notifier
 * </pre>
 *
 * <p>Each function shows one way to add Taillight: {@link dev.taillight.examples.OrdersApi} extends the traced base
 * class, {@link dev.taillight.examples.PaymentWorker} decorates its logic with {@code Taillight.wrap}, and
 * {@link dev.taillight.examples.Notifier} has no Taillight code at all: it is deployed behind
 * {@code TaillightHandler} with {@code TAILLIGHT_HANDLER}. Every behaviour a demo or a test needs is chosen by
 * the order itself (see {@link dev.taillight.examples.Order}).
 */
package dev.taillight.examples;
