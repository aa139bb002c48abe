package dev.taillight.localruntime.child;

import java.io.IOException;
import java.io.InputStream;

/**
 * Entry point of an execution environment's JVM: watches the parent, then runs the AWS Lambda runtime interface
 * client ({@code AWSLambda.main}) with the handler given as argument.
 *
 * <p>The parent keeps this process's standard input open and never writes to it. When the parent exits for
 * any reason (including {@code kill -9}) the pipe closes, the read below sees end of file and this JVM halts at
 * once: no environment outlives the runtime that started it. This class uses only the JDK and the runtime
 * interface client, as it runs on the function's classpath.
 */
public final class ChildMain {

  /** Exit status when the parent went away. */
  static final int PARENT_GONE = 129;

  private ChildMain() {}

  public static void main(String[] args) throws Throwable {
    Thread watcher = new Thread(ChildMain::haltWhenParentGone, "taillight-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
    com.amazonaws.services.lambda.runtime.api.client.AWSLambda.main(args);
  }

  private static void haltWhenParentGone() {
    InputStream in = System.in;
    byte[] buf = new byte[256];
    try {
      while (in.read(buf) >= 0) {
        // the parent never writes; anything read is ignored
      }
    } catch (IOException e) {
      // a broken pipe means the same: the parent is gone
    }
    Runtime.getRuntime().halt(PARENT_GONE);
  }
}
