package dev.taillight.benchmarks.instrumentation.otelpeer;

import com.amazonaws.services.lambda.runtime.Context;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.instrumentation.awslambdacore.v1_0.TracingRequestHandler;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Map;

/**
 * The hello-world handler traced the way OpenTelemetry documents for Lambda without the agent/layer:
 * {@code TracingRequestHandler} + SDK + the logging span exporter.
 */
public class HelloOtelHandler extends TracingRequestHandler<Map<String, Object>, String> {
  private static final OpenTelemetrySdk SDK = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(LoggingSpanExporter.create()))
          .build())
      .build();

  public HelloOtelHandler() {
    super(SDK);
  }

  @Override
  protected String doHandleRequest(Map<String, Object> input, Context context) {
    return "hello " + input.get("name");
  }
}
