package dev.taillight.instrumentation;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One invocation in flight: its span, the handler thread, and the state shared with the timeout
 * watchdog. Lines for it are written under its monitor, so a timeout warning and the final line never
 * interleave and the final line always comes last.
 */
final class ActiveInvocation {
  static final int RUNNING = 0;
  static final int WARNED = 1;
  static final int DONE = 2;

  final Tracer tracer;
  final SpanRecord span;
  final Context context;
  final Thread thread;
  final String requestId;
  final AtomicInteger state = new AtomicInteger(RUNNING);
  /** System.nanoTime() at which the watchdog should warn; 0 when not watched. */
  long warnAtNanoTime;
  ActiveInvocation previous;

  ActiveInvocation(Tracer tracer, SpanRecord span, Context context, Thread thread, String requestId) {
    this.tracer = tracer;
    this.span = span;
    this.context = context;
    this.thread = thread;
    this.requestId = requestId;
  }
}
