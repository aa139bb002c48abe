package dev.taillight.collector.cloudwatch;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileProperty;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Makes the AWS clients the sources, sinks and resolver use, the way the AWS CLI picks credentials, region and
 * endpoint:
 *
 * <ul>
 *   <li>credentials: {@link Builder#credentialsProvider} if given, else {@code --profile}, else {@code
 *       AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} (+ {@code AWS_SESSION_TOKEN}), else {@code AWS_PROFILE},
 *       else the SDK's default chain (config files, SSO cache, container and instance roles);
 *   <li>region: {@code --region}, else {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}, else the profile's
 *       {@code region}, else the SDK's default chain;
 *   <li>endpoint: {@code --endpoint-url}, else {@code AWS_ENDPOINT_URL_CLOUDWATCH_LOGS} (or {@code
 *       AWS_ENDPOINT_URL_LAMBDA} for Lambda), else {@code AWS_ENDPOINT_URL}, else the region's AWS endpoint.
 *       With an endpoint override the Live Tail client does not prefix the host ({@code streaming-}), so local
 *       emulators work.
 * </ul>
 *
 * <p>Environment variables are read through the injected {@code env} function. Each call makes a new client
 * that the caller closes; making clients is cheap compared to using them, but not free: keep them. No region
 * found gives an {@link SdkClientException} that {@link AwsErrors} explains. Thread-safe.
 */
public final class CloudWatchClients {
  private final String profile;
  private final String region;
  private final URI endpoint;
  private final Function<String, String> env;
  private final AwsCredentialsProvider credentials;

  private CloudWatchClients(Builder b) {
    this.profile = b.profile;
    this.region = b.region;
    this.endpoint = b.endpoint;
    this.env = b.env;
    this.credentials = b.credentials;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Default chains, real environment. */
  public static CloudWatchClients create() {
    return builder().build();
  }

  /** A new synchronous CloudWatch Logs client. */
  public CloudWatchLogsClient logs() {
    var b = CloudWatchLogsClient.builder().region(region()).credentialsProvider(credentials());
    endpoint("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS").ifPresent(b::endpointOverride);
    return b.build();
  }

  /** A new asynchronous CloudWatch Logs client (Live Tail). */
  public CloudWatchLogsAsyncClient logsAsync() {
    var b = CloudWatchLogsAsyncClient.builder().region(region()).credentialsProvider(credentials());
    Optional<URI> e = endpoint("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS");
    e.ifPresent(uri -> {
      b.endpointOverride(uri);
      b.overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true));
    });
    return b.build();
  }

  /** A new Lambda client (function configuration: custom log groups). */
  public LambdaClient lambda() {
    var b = LambdaClient.builder().region(region()).credentialsProvider(credentials());
    endpoint("AWS_ENDPOINT_URL_LAMBDA").ifPresent(b::endpointOverride);
    return b.build();
  }

  /** The region the clients use. */
  public Region region() {
    for (String v : new String[] {region, env.apply("AWS_REGION"), env.apply("AWS_DEFAULT_REGION")}) {
      if (v != null && !v.isBlank()) {
        return Region.of(v.trim());
      }
    }
    String p = profileName();
    if (p != null) {
      try {
        Optional<String> r = ProfileFile.defaultProfileFile().profile(p)
            .flatMap(pr -> pr.property(ProfileProperty.REGION));
        if (r.isPresent()) {
          return Region.of(r.get().trim());
        }
      } catch (RuntimeException unreadable) {
        // fall through to the default chain
      }
    }
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (SdkClientException e) {
      throw SdkClientException.builder().message("Unable to load region: pass --region, set AWS_REGION or add "
          + "region to the profile").cause(e).build();
    }
  }

  /** The endpoint override in effect for CloudWatch Logs, if any. */
  public Optional<URI> endpoint() {
    return endpoint("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS");
  }

  /** Where the credentials come from, in words (for {@code --verbose} and error messages). */
  public String credentialsSource() {
    if (credentials != null) {
      return "given credentials provider";
    }
    if (profile != null) {
      return "profile " + profile + " (--profile)";
    }
    if (nonBlank(env.apply("AWS_ACCESS_KEY_ID")) && nonBlank(env.apply("AWS_SECRET_ACCESS_KEY"))) {
      return "AWS_ACCESS_KEY_ID";
    }
    if (nonBlank(env.apply("AWS_PROFILE"))) {
      return "profile " + env.apply("AWS_PROFILE") + " (AWS_PROFILE)";
    }
    return "default credential chain";
  }

  /** The credentials provider the clients use. */
  public AwsCredentialsProvider credentials() {
    if (credentials != null) {
      return credentials;
    }
    if (profile != null) {
      return ProfileCredentialsProvider.builder().profileName(profile).build();
    }
    String key = env.apply("AWS_ACCESS_KEY_ID");
    String secret = env.apply("AWS_SECRET_ACCESS_KEY");
    if (nonBlank(key) && nonBlank(secret)) {
      String token = env.apply("AWS_SESSION_TOKEN");
      return StaticCredentialsProvider.create(nonBlank(token)
          ? AwsSessionCredentials.create(key, secret, token) : AwsBasicCredentials.create(key, secret));
    }
    String envProfile = env.apply("AWS_PROFILE");
    if (nonBlank(envProfile)) {
      return ProfileCredentialsProvider.builder().profileName(envProfile.trim()).build();
    }
    return DefaultCredentialsProvider.builder().build();
  }

  private String profileName() {
    if (profile != null) {
      return profile;
    }
    String p = env.apply("AWS_PROFILE");
    return nonBlank(p) ? p.trim() : "default";
  }

  private Optional<URI> endpoint(String serviceVariable) {
    if (endpoint != null) {
      return Optional.of(endpoint);
    }
    List<String> names = new ArrayList<>(List.of(serviceVariable, "AWS_ENDPOINT_URL"));
    for (String n : names) {
      String v = env.apply(n);
      if (nonBlank(v)) {
        return Optional.of(URI.create(v.trim()));
      }
    }
    return Optional.empty();
  }

  private static boolean nonBlank(String s) {
    return s != null && !s.isBlank();
  }

  /** Configures {@link CloudWatchClients}. */
  public static final class Builder {
    private String profile;
    private String region;
    private URI endpoint;
    private Function<String, String> env = System::getenv;
    private AwsCredentialsProvider credentials;

    private Builder() {}

    /** A named profile from ~/.aws/config and ~/.aws/credentials ({@code --profile}); null for none. */
    public Builder profile(String profile) {
      this.profile = profile == null || profile.isBlank() ? null : profile.trim();
      return this;
    }

    /** The region ({@code --region}); null to use the chain. */
    public Builder region(String region) {
      this.region = region == null || region.isBlank() ? null : region.trim();
      return this;
    }

    /** An endpoint override ({@code --endpoint-url}), e.g. a local emulator; null for AWS. */
    public Builder endpoint(URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    /** Where environment variables come from (default {@link System#getenv(String)}). */
    public Builder env(Function<String, String> env) {
      this.env = requireNonNull(env, "env");
      return this;
    }

    /** Fixed credentials, overriding every chain (tests, embedding). */
    public Builder credentialsProvider(AwsCredentialsProvider credentials) {
      this.credentials = credentials;
      return this;
    }

    public CloudWatchClients build() {
      return new CloudWatchClients(this);
    }
  }
}
