package dev.taillight.localruntime.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Sends {@code count} messages to the queue {@code orders} through the endpoint in {@code AWS_ENDPOINT_URL_SQS},
 * speaking SQS's JSON protocol with plain HTTP (no SDK), carrying its trace header as {@code AWSTraceHeader}.
 */
public class ProducerHandler implements RequestHandler<Map<String, Object>, String> {

  @Override
  public String handleRequest(Map<String, Object> event, Context context) {
    String endpoint = System.getenv("AWS_ENDPOINT_URL_SQS");
    String trace = System.getProperty("com.amazonaws.xray.traceHeader");
    int count = ((Number) event.get("count")).intValue();
    String url = post(endpoint, "GetQueueUrl", "{\"QueueName\":\"orders\"}");
    String queueUrl = url.replaceAll(".*\"QueueUrl\":\"([^\"]+)\".*", "$1");
    StringBuilder entries = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        entries.append(',');
      }
      entries.append("{\"Id\":\"m").append(i).append("\",\"MessageBody\":\"order-").append(i)
          .append("\",\"MessageSystemAttributes\":{\"AWSTraceHeader\":{\"DataType\":\"String\",\"StringValue\":\"")
          .append(trace).append("\"}}}");
    }
    String out = post(endpoint, "SendMessageBatch", "{\"QueueUrl\":\"" + queueUrl + "\",\"Entries\":[" + entries + "]}");
    System.out.println("sent " + count + " orders: " + out);
    return "sent " + count;
  }

  private static String post(String endpoint, String action, String body) {
    try {
      HttpURLConnection c = (HttpURLConnection) new URL(endpoint + "/").openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/x-amz-json-1.0");
      c.setRequestProperty("X-Amz-Target", "AmazonSQS." + action);
      try (OutputStream o = c.getOutputStream()) {
        o.write(body.getBytes(StandardCharsets.UTF_8));
      }
      try (var in = c.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
