package dev.taillight.collector.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

class AwsErrorsTest {

  private static software.amazon.awssdk.awscore.exception.AwsServiceException aws(int status, String code, String message) {
    return CloudWatchLogsException.builder().statusCode(status).awsErrorDetails(
        AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
  }

  @Test
  void missing_credentials_say_how_to_configure_them() {
    AwsErrors.UserError e = AwsErrors.describe(SdkClientException.create(
        "Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain"));
    assertThat(e.kind()).isEqualTo(AwsErrors.Kind.NO_CREDENTIALS);
    assertThat(e.oneLine()).isEqualTo("no AWS credentials found. configure them with `aws configure` (or `aws sso "
        + "login`), set AWS_PROFILE or pass --profile NAME, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void access_denied_names_the_permission_from_the_aws_message() {
    AwsErrors.UserError e = AwsErrors.describe(aws(400, "AccessDeniedException", "User: arn:aws:iam::1:user/dev is "
        + "not authorized to perform: logs:StartLiveTail on resource: x"), "logs:FilterLogEvents", "/aws/lambda/a",
        List.of());
    assertThat(e.kind()).isEqualTo(AwsErrors.Kind.ACCESS_DENIED);
    assertThat(e.message()).startsWith("not allowed to call logs:StartLiveTail on /aws/lambda/a (User:");
    assertThat(e.hint()).isEqualTo(
        "grant logs:StartLiveTail on arn:aws:logs:REGION:ACCOUNT:log-group:/aws/lambda/a:* to the identity in use "
            + "(see docs/iam.md)");
  }

  @Test
  void a_missing_group_lists_similar_ones() {
    AwsErrors.UserError e = AwsErrors.describe(ResourceNotFoundException.builder().statusCode(400)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException")
                .errorMessage("The specified log group does not exist.").build()).build(),
        "logs:FilterLogEvents", "/aws/lambda/ordrs", List.of("/aws/lambda/orders", "/aws/lambda/orders-v2"));
    assertThat(e.oneLine()).isEqualTo("log group /aws/lambda/ordrs does not exist. similar log groups that exist: "
        + "/aws/lambda/orders, /aws/lambda/orders-v2");
  }

  @Test
  void throttling_expired_tokens_server_errors_and_unreachable_endpoints_are_retryable() {
    assertThat(AwsErrors.describe(aws(400, "ThrottlingException", "Rate exceeded")))
        .satisfies(e -> {
          assertThat(e.kind()).isEqualTo(AwsErrors.Kind.THROTTLED);
          assertThat(e.retryable()).isTrue();
          assertThat(e.hint()).startsWith("slowing down and retrying");
        });
    assertThat(AwsErrors.kind(aws(429, "", ""))).isEqualTo(AwsErrors.Kind.THROTTLED);
    assertThat(AwsErrors.describe(aws(400, "ExpiredTokenException", "The security token included in the request is "
        + "expired")).message()).isEqualTo("the AWS credentials have expired (The security token included in the "
        + "request is expired)");
    assertThat(AwsErrors.describe(aws(503, "ServiceUnavailableException", "down")).retryable()).isTrue();
    AwsErrors.UserError unreachable = AwsErrors.describe(SdkClientException.create("Unable to execute HTTP request",
        new UnknownHostException("logs.mars-west-1.amazonaws.com")));
    assertThat(unreachable.kind()).isEqualTo(AwsErrors.Kind.UNREACHABLE);
    assertThat(unreachable.message()).isEqualTo(
        "cannot reach the AWS endpoint (UnknownHostException: logs.mars-west-1.amazonaws.com)");
    assertThat(unreachable.hint()).contains("--region").contains("AWS_ENDPOINT_URL");
  }

  @Test
  void no_region_says_how_to_set_one() {
    AwsErrors.UserError e = AwsErrors.describe(SdkClientException.create("Unable to load region from any of the "
        + "providers in the chain"));
    assertThat(e.kind()).isEqualTo(AwsErrors.Kind.NO_REGION);
    assertThat(e.hint()).isEqualTo("pass --region (e.g. --region eu-west-1), set AWS_REGION, or add region to the "
        + "profile");
  }

  @Test
  void a_bad_filter_pattern_is_an_invalid_request_that_is_not_retried() {
    AwsErrors.UserError e = AwsErrors.describe(aws(400, "InvalidParameterException", "Invalid filter pattern"));
    assertThat(e.kind()).isEqualTo(AwsErrors.Kind.INVALID_REQUEST);
    assertThat(e.retryable()).isFalse();
    assertThat(e.message()).isEqualTo("AWS rejected the request (Invalid filter pattern)");
  }
}
