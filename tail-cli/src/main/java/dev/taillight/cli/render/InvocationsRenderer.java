package dev.taillight.cli.render;

import dev.taillight.collector.Invocation;
import java.io.PrintStream;

/** {@code --format invocations}: one JSON object per finished invocation (see {@link InvocationJson}). */
public final class InvocationsRenderer implements TailRenderer {
  private final PrintStream out;
  private final LineFilter filter;

  public InvocationsRenderer(PrintStream out, LineFilter filter) {
    this.out = out;
    this.filter = filter;
  }

  @Override
  public void onInvocationFinished(Invocation invocation) {
    if (filter.test(invocation)) {
      out.println(InvocationJson.toJson(invocation));
    }
  }

  @Override
  public void finish() {
    out.flush();
  }
}
