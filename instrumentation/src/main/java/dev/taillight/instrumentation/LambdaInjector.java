package dev.taillight.instrumentation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;

/**
 * Lambda Invoke: {@code traceparent} and {@code X-Amzn-Trace-Id} in {@code ClientContext.custom}
 * (base64 JSON, at most 3583 bytes), merged into what the caller set. Left alone when the caller's
 * client context is not JSON or the result would be too long.
 */
final class LambdaInjector {
  static final int MAX_CLIENT_CONTEXT = 3583;

  private LambdaInjector() {}

  @SuppressWarnings("unchecked")
  static SdkRequest inject(SdkRequest request, TraceContext ctx) {
    if (!(request instanceof InvokeRequest r)) {
      return request;
    }
    Map<String, Object> clientContext = new LinkedHashMap<>();
    if (r.clientContext() != null && !r.clientContext().isEmpty()) {
      Object parsed;
      try {
        parsed = JsonTree.parse(Base64.getDecoder().decode(r.clientContext()));
      } catch (IllegalArgumentException notBase64) {
        return request;
      }
      if (!(parsed instanceof Map)) {
        return request;
      }
      clientContext.putAll((Map<String, Object>) parsed);
    }
    Object existing = clientContext.get("custom");
    Map<String, Object> custom = new LinkedHashMap<>();
    if (existing instanceof Map) {
      custom.putAll((Map<String, Object>) existing);
    } else if (existing != null) {
      return request;
    }
    if (custom.containsKey("traceparent")) {
      return request;
    }
    custom.put("traceparent", ctx.traceparent());
    if (ctx.traceState() != null) {
      custom.put("tracestate", ctx.traceState());
    }
    custom.put("X-Amzn-Trace-Id", ctx.xrayHeader());
    clientContext.put("custom", custom);
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    try {
      new Codecs.TreeCodec(Object.class).write(clientContext, json);
    } catch (IOException e) {
      return request;
    }
    String encoded = Base64.getEncoder().encodeToString(json.toByteArray());
    if (encoded.length() > MAX_CLIENT_CONTEXT) {
      return request;
    }
    return r.toBuilder().clientContext(encoded).build();
  }

  static String decode(String clientContext) {
    return new String(Base64.getDecoder().decode(clientContext), StandardCharsets.UTF_8);
  }
}
