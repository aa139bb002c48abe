package dev.taillight.benchmarks.localruntime;

import com.amazonaws.services.lambda.runtime.api.client.EventHandlerLoader;
import com.amazonaws.services.lambda.runtime.api.client.HandlerInfo;
import com.amazonaws.services.lambda.runtime.api.client.LambdaRequestHandler;
import com.amazonaws.services.lambda.runtime.api.client.runtimeapi.dto.InvocationRequest;
import java.nio.charset.StandardCharsets;

/**
 * The second baseline of {@link LocalRuntimeBenchmark}: one JVM that runs a handler once through the runtime
 * interface client's own handler loader and event serialiser (the work the client does in every Lambda JVM),
 * without any Runtime API, process management or log handling, then exits.
 *
 * <p>Usage: {@code java -cp <runtime client jars>:<handler> ...ClientInProcessMain pkg.Class::method}
 */
public final class ClientInProcessMain {
  private ClientInProcessMain() {}

  public static void main(String[] args) throws Exception {
    HandlerInfo info = HandlerInfo.fromString(args[0], ClassLoader.getSystemClassLoader());
    LambdaRequestHandler handler = EventHandlerLoader.loadEventHandler(info);
    InvocationRequest request = new InvocationRequest();
    request.setId("c0ffee00-0000-4000-8000-000000000001");
    request.setInvokedFunctionArn("arn:aws:lambda:us-east-1:000000000000:function:hello");
    request.setDeadlineTimeInMs(System.currentTimeMillis() + 3000);
    request.setXrayTraceId("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0");
    request.setContent("{\"name\":\"world\"}".getBytes(StandardCharsets.UTF_8));
    String out = handler.call(request).toString(StandardCharsets.UTF_8);
    if (out.isEmpty()) {
      throw new IllegalStateException("no response");
    }
    System.out.println(out);
  }
}
