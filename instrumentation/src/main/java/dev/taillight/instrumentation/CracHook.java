package dev.taillight.instrumentation;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Tells the tracer when a SnapStart snapshot was restored. Loaded only when {@code org.crac} is on the
 * classpath and the function runs with SnapStart; the library works without it.
 */
final class CracHook implements Resource {
  private final Tracer tracer;

  private CracHook(Tracer tracer) {
    this.tracer = tracer;
  }

  /** Registers a hook; the global context holds it strongly (CRaC contexts keep weak refs otherwise). */
  static Object register(Tracer tracer) {
    CracHook hook = new CracHook(tracer);
    Core.getGlobalContext().register(hook);
    return hook;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {}

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    tracer.restored();
  }
}
