package dev.taillight.instrumentation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * Posts each span line to an OTLP/HTTP collector ({@code POST <endpoint>} with the same JSON,
 * {@code Content-Type: application/json}), synchronously with a short timeout, so nothing is left
 * running when the handler returns. The JDK {@link HttpClient} is built on the first write.
 *
 * <p>Failures (refused, timeout, non-2xx) are reported once on stderr and dropped.
 */
final class OtlpHttpWriter implements SpanWriter {
  private final URI endpoint;
  private final Duration timeout;
  private volatile HttpClient client;

  OtlpHttpWriter(String endpoint, long timeoutMs) {
    URI uri = null;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      Problems.notice("otlp.endpoint", "OTLP endpoint " + endpoint + " is not a URL: " + e.getMessage());
    }
    this.endpoint = uri;
    this.timeout = Duration.ofMillis(Math.max(1, timeoutMs));
  }

  private HttpClient client() {
    HttpClient c = client;
    if (c == null) {
      c = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
      client = c;
    }
    return c;
  }

  @Override
  public void write(byte[] buf, int off, int len) {
    if (endpoint == null) {
      return;
    }
    int n = len > 0 && buf[off + len - 1] == '\n' ? len - 1 : len;
    byte[] body = Arrays.copyOfRange(buf, off, off + n);
    try {
      HttpRequest request = HttpRequest.newBuilder(endpoint)
          .timeout(timeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .build();
      HttpResponse<Void> response = client().send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 != 2) {
        Problems.report("OTLP export to " + endpoint,
            new IllegalStateException("HTTP " + response.statusCode()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Problems.report("OTLP export to " + endpoint, e);
    } catch (Exception e) {
      Problems.report("OTLP export to " + endpoint, e);
    }
  }
}
