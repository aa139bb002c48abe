package dev.taillight.testing;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * A CloudWatch Logs emulator ({@code moto_server}) for tests that talk to the real AWS SDK v2 client.
 *
 * <p>{@link #shared()} returns one server per JVM: the endpoint in {@code TAILLIGHT_MOTO_ENDPOINT} when set
 * (as {@code .ci/run} may do), otherwise a {@code moto_server} process started on a free loopback port and
 * stopped when the JVM exits. When neither works it throws: a test that needs CloudWatch fails loudly, it
 * is never skipped. Tests share the server, so each one uses its own log group names ({@link #unique}).
 * Thread-safe.
 */
public final class MotoServer {
  /** The region every test client uses. */
  public static final Region REGION = Region.US_EAST_1;

  private static MotoServer shared;

  private final URI endpoint;
  private final Process process;

  private MotoServer(URI endpoint, Process process) {
    this.endpoint = endpoint;
    this.process = process;
  }

  /** Returns the JVM-wide server, starting it on first use. */
  public static synchronized MotoServer shared() {
    if (shared == null) {
      String given = System.getenv("TAILLIGHT_MOTO_ENDPOINT");
      shared = given != null && !given.isBlank() ? attach(URI.create(given.trim())) : start();
    }
    return shared;
  }

  private static MotoServer attach(URI endpoint) {
    if (!waitUntilUp(endpoint, Duration.ofSeconds(20))) {
      throw new IllegalStateException("TAILLIGHT_MOTO_ENDPOINT=" + endpoint + " does not answer");
    }
    return new MotoServer(endpoint, null);
  }

  private static MotoServer start() {
    int port = freePort();
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    File log = new File(System.getProperty("java.io.tmpdir"), "taillight-moto-" + port + ".log");
    Process process;
    try {
      process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
          .redirectErrorStream(true)
          .redirectOutput(log)
          .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start moto_server (" + e.getMessage() + "): install it (pip install 'moto[server]') "
              + "or point TAILLIGHT_MOTO_ENDPOINT at a running one", e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "moto-server-stop"));
    if (!waitUntilUp(endpoint, Duration.ofSeconds(60))) {
      process.destroyForcibly();
      throw new IllegalStateException("moto_server did not come up on " + endpoint + "; see " + log);
    }
    return new MotoServer(endpoint, process);
  }

  private static boolean waitUntilUp(URI endpoint, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        int code = c.getResponseCode();
        c.disconnect();
        if (code > 0) {
          return true;
        }
      } catch (IOException notYet) {
        // still starting
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** Returns a free TCP port on the loopback interface. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  /** Returns a name with a random suffix, so tests sharing the server do not see each other's data. */
  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The server's endpoint, for {@code endpointOverride} or {@code --endpoint-url}. */
  public URI endpoint() {
    return endpoint;
  }

  /** Whether this JVM started the server (false when attached through TAILLIGHT_MOTO_ENDPOINT). */
  public boolean ownsProcess() {
    return process != null;
  }

  /** Returns a new real SDK client for this server, with dummy credentials. Close it after use. */
  public CloudWatchLogsClient logsClient() {
    return CloudWatchLogsClient.builder()
        .endpointOverride(endpoint)
        .region(REGION)
        .credentialsProvider(credentials())
        .build();
  }

  /** Dummy static credentials that moto accepts. */
  public static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
  }
}
