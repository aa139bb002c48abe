package dev.taillight.localruntime;

import java.nio.file.Path;

/** A parent process for {@link CleanupTest}: runs one invocation, prints its children's pids, then waits. */
public final class OrphanParent {
  public static void main(String[] args) throws Exception {
    FunctionConfig fn = FunctionConfig.builder(LocalRuntimeTest.HANDLER).classpath(Path.of(args[0])).build();
    LocalRuntime rt = LocalRuntime.builder().function(fn).build();
    InvocationResult r = rt.invoke("{\"action\":\"none\"}");
    StringBuilder pids = new StringBuilder();
    ProcessHandle.current().children().forEach(p -> pids.append(' ').append(p.pid()));
    System.out.println("READY " + r.status() + pids);
    System.out.flush();
    Thread.sleep(120_000);
  }
}
