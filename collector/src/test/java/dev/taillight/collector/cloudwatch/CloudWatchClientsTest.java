package dev.taillight.collector.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.testing.MotoServer;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

class CloudWatchClientsTest {

  @Test
  void environment_gives_endpoint_region_and_keys_and_the_client_works_against_it() {
    String group = MotoServer.unique("/aws/lambda/clients");
    Map<String, String> env = Map.of(
        "AWS_ENDPOINT_URL", MotoServer.shared().endpoint().toString(),
        "AWS_REGION", "us-east-1",
        "AWS_ACCESS_KEY_ID", "testing",
        "AWS_SECRET_ACCESS_KEY", "testing");
    CloudWatchClients clients = CloudWatchClients.builder().env(env::get).build();

    try (CloudWatchLogsClient logs = clients.logs()) {
      logs.createLogGroup(b -> b.logGroupName(group));
      assertThat(logs.describeLogGroups(b -> b.logGroupNamePrefix(group)).logGroups()).hasSize(1);
    }
    assertThat(clients.region()).isEqualTo(Region.US_EAST_1);
    assertThat(clients.endpoint()).contains(MotoServer.shared().endpoint());
    assertThat(clients.credentialsSource()).isEqualTo("AWS_ACCESS_KEY_ID");
  }

  @Test
  void options_win_over_the_environment() {
    Map<String, String> env = Map.of("AWS_REGION", "eu-west-1", "AWS_ENDPOINT_URL", "http://env:1",
        "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "http://logs-env:2", "AWS_PROFILE", "from-env");
    CloudWatchClients c = CloudWatchClients.builder().env(env::get).region("ap-south-1").profile("dev")
        .endpoint(URI.create("http://flag:3")).build();

    assertThat(c.region()).isEqualTo(Region.AP_SOUTH_1);
    assertThat(c.endpoint()).contains(URI.create("http://flag:3"));
    assertThat(c.credentialsSource()).isEqualTo("profile dev (--profile)");

    CloudWatchClients fromEnv = CloudWatchClients.builder().env(env::get).build();
    assertThat(fromEnv.region()).isEqualTo(Region.EU_WEST_1);
    assertThat(fromEnv.endpoint()).contains(URI.create("http://logs-env:2")); // the service-specific variable
    assertThat(fromEnv.credentialsSource()).isEqualTo("profile from-env (AWS_PROFILE)");
  }

  @Test
  void session_token_in_the_environment_makes_session_credentials() {
    Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "secret",
        "AWS_SESSION_TOKEN", "token", "AWS_REGION", "us-east-1");
    var creds = CloudWatchClients.builder().env(env::get).build().credentials().resolveCredentials();
    assertThat(creds).isInstanceOf(AwsSessionCredentials.class);
    assertThat(((AwsSessionCredentials) creds).sessionToken()).isEqualTo("token");
  }
}
