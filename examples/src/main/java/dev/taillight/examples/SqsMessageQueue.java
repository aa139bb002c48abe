package dev.taillight.examples;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * A {@link MessageQueue} on an SQS queue, through the real AWS SDK v2 client. Nothing here passes the trace on:
 * Taillight's SDK interceptor ({@code TaillightTracingInterceptor}, registered for every SDK client by the
 * instrumentation jar) adds the running invocation's {@code traceparent} message attribute and
 * {@code AWSTraceHeader} to each {@code SendMessage} and records the call as a child span, so the receiving
 * function joins the same trace.
 *
 * <p>Configured from the environment, the same way in AWS and locally:
 * <ul>
 *   <li>the queue URL from the variable the function names (e.g. {@code PAYMENTS_QUEUE_URL});
 *   <li>{@code AWS_ENDPOINT_URL_SQS} (else {@code AWS_ENDPOINT_URL}) overrides the endpoint, e.g. a local queue
 *       service; unset in AWS;
 *   <li>{@code AWS_REGION} (default us-east-1); credentials from {@code AWS_ACCESS_KEY_ID},
 *       {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN} (Lambda sets them), else dummy ones when the
 *       endpoint is overridden (a local queue needs none), else the SDK's default chain.
 * </ul>
 */
public final class SqsMessageQueue implements MessageQueue {
  private final SqsClient sqs;
  private final String queueUrl;

  SqsMessageQueue(SqsClient sqs, String queueUrl) {
    this.sqs = requireNonNull(sqs, "sqs");
    this.queueUrl = requireNonNull(queueUrl, "queueUrl");
  }

  /**
   * The queue whose URL is in the environment variable {@code urlVariable}, with a client configured from
   * {@code env}.
   *
   * @throws IllegalStateException when {@code urlVariable} is not set (the function's init then fails with this
   *     message)
   */
  public static SqsMessageQueue fromEnv(Function<String, String> env, String urlVariable) {
    String url = env.apply(urlVariable);
    if (url == null || url.isBlank()) {
      throw new IllegalStateException(urlVariable + " is not set: set it to the URL of the SQS queue this function"
          + " sends to (see examples/template.yaml)");
    }
    return new SqsMessageQueue(client(env), url.trim());
  }

  /** An SQS client configured from {@code env} as described on the class. */
  public static SqsClient client(Function<String, String> env) {
    String region = env.apply("AWS_REGION");
    SqsClientBuilder b = SqsClient.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .region(Region.of(region == null || region.isBlank() ? "us-east-1" : region));
    String endpoint = env.apply("AWS_ENDPOINT_URL_SQS");
    if (endpoint == null || endpoint.isBlank()) {
      endpoint = env.apply("AWS_ENDPOINT_URL");
    }
    String key = env.apply("AWS_ACCESS_KEY_ID");
    String secret = env.apply("AWS_SECRET_ACCESS_KEY");
    String token = env.apply("AWS_SESSION_TOKEN");
    boolean local = endpoint != null && !endpoint.isBlank();
    if (local) {
      b.endpointOverride(URI.create(endpoint.trim()));
    }
    if (key != null && !key.isBlank() && secret != null) {
      b.credentialsProvider(StaticCredentialsProvider.create(token == null || token.isBlank()
          ? AwsBasicCredentials.create(key, secret) : AwsSessionCredentials.create(key, secret, token)));
    } else if (local) {
      b.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    } else {
      b.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    return b.build();
  }

  @Override
  public void send(String body) {
    sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody(body));
  }

  /** The queue's URL. */
  public String queueUrl() {
    return queueUrl;
  }
}
