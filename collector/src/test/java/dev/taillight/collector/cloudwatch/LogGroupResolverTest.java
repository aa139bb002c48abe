package dev.taillight.collector.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.testing.MotoServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.LoggingConfig;

class LogGroupResolverTest {
  private static final MotoServer MOTO = MotoServer.shared();

  private final CloudWatchLogsClient logs = MOTO.logsClient();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final String app = MotoServer.unique("shop");

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    logs.close();
  }

  /** Lambda that knows one function with a custom log group. */
  static final class FakeLambda implements LambdaClient {
    final String function;
    final String group;

    FakeLambda(String function, String group) {
      this.function = function;
      this.group = group;
    }

    @Override
    public GetFunctionConfigurationResponse getFunctionConfiguration(GetFunctionConfigurationRequest r) {
      if (!r.functionName().equals(function)) {
        throw software.amazon.awssdk.services.lambda.model.ResourceNotFoundException.builder().statusCode(404)
            .message("Function not found").build();
      }
      return GetFunctionConfigurationResponse.builder().functionName(function)
          .loggingConfig(LoggingConfig.builder().logGroup(group).logFormat("JSON").build()).build();
    }

    @Override
    public String serviceName() {
      return "lambda";
    }

    @Override
    public void close() {}
  }

  private LambdaClient motoLambda(java.net.URI endpoint) {
    LambdaClient l = LambdaClient.builder().endpointOverride(endpoint).region(MotoServer.REGION)
        .credentialsProvider(MotoServer.credentials()).build();
    closeables.add(l);
    return l;
  }

  private void group(String name) {
    logs.createLogGroup(b -> b.logGroupName(name));
  }

  private LogGroupResolver resolver(LambdaClient lambda) {
    return LogGroupResolver.create(logs, lambda, RequestRateLimiter.create(500));
  }

  @Test
  void a_function_name_maps_to_its_default_group_and_says_why_when_lambda_does_not_know_it() throws Exception {
    LogGroupResolver.Resolution r = resolver(motoLambda(MOTO.endpoint())).resolve(List.of(app + "-orders"));

    assertThat(r.logGroups()).containsExactly("/aws/lambda/" + app + "-orders");
    assertThat(r.notes()).containsExactly("no Lambda function " + app + "-orders in this account and region; using "
        + "/aws/lambda/" + app + "-orders");
  }

  @Test
  void a_function_with_a_custom_log_group_in_its_logging_config_uses_that_group() throws Exception {
    LogGroupResolver r = resolver(new FakeLambda(app + "-api", "/shared/" + app));

    assertThat(r.functionLogGroup(app + "-api"))
        .isEqualTo(new LogGroupResolver.FunctionLogGroup(app + "-api", "/shared/" + app, true, null));
    assertThat(r.resolve(List.of("arn:aws:lambda:us-east-1:123456789012:function:" + app + "-api:prod")).logGroups())
        .containsExactly("/aws/lambda/" + app + "-api"); // the fake knows the bare name only
  }

  @Test
  void when_lambda_denies_the_call_the_default_group_is_used_with_a_note() throws Exception {
    FaultProxy deny = new FaultProxy(MOTO.endpoint(), (op, n) -> FaultProxy.Fault.DENY);
    closeables.add(deny);

    LogGroupResolver.FunctionLogGroup f = resolver(motoLambda(deny.uri())).functionLogGroup("orders");

    assertThat(f.logGroup()).isEqualTo("/aws/lambda/orders");
    assertThat(f.note()).isEqualTo("cannot read the configuration of orders (lambda:GetFunctionConfiguration is "
        + "not allowed); assuming its log group is /aws/lambda/orders");
  }

  @Test
  void prefixes_and_patterns_find_existing_groups() throws Exception {
    group("/aws/lambda/" + app + "-orders-api");
    group("/aws/lambda/" + app + "-orders-worker");
    group("/aws/lambda/" + app + "-payments");
    group("/custom/" + app + "/orders");
    LogGroupResolver r = resolver(null);

    assertThat(r.resolve(List.of(app + "-orders-*")).logGroups())
        .containsExactly("/aws/lambda/" + app + "-orders-api", "/aws/lambda/" + app + "-orders-worker");
    assertThat(r.resolve(List.of("/aws/lambda/" + app + "-orders")).logGroups())
        .containsExactly("/aws/lambda/" + app + "-orders-api", "/aws/lambda/" + app + "-orders-worker");
    assertThat(r.resolve(List.of("*" + app + "*orders*")).logGroups()).containsExactlyInAnyOrder(
        "/aws/lambda/" + app + "-orders-api", "/aws/lambda/" + app + "-orders-worker", "/custom/" + app + "/orders");
    assertThat(r.resolve(List.of(app + "-*-worker")).logGroups())
        .containsExactly("/aws/lambda/" + app + "-orders-worker");
    assertThat(r.resolve(List.of("/aws/lambda/" + app + "-payments", app + "-payments")).logGroups())
        .containsExactly("/aws/lambda/" + app + "-payments");
  }

  @Test
  void a_group_that_does_not_exist_is_kept_to_wait_for_and_reported() throws Exception {
    LogGroupResolver.Resolution r = resolver(null).resolve(List.of("/aws/lambda/" + app + "-soon", app + "-nothing*"));

    assertThat(r.logGroups()).containsExactly("/aws/lambda/" + app + "-soon");
    assertThat(r.missing()).containsExactly("/aws/lambda/" + app + "-soon", app + "-nothing*");
    assertThat(r.notes()).containsExactly("log group /aws/lambda/" + app + "-soon does not exist (yet); waiting for it",
        "no log group matches " + app + "-nothing*");
  }

  @Test
  void similar_groups_are_offered_for_a_misspelled_name() throws Exception {
    group("/aws/lambda/" + app + "-checkout");
    group("/aws/lambda/" + app + "-checkout-v2");
    group("/aws/lambda/" + app + "-shipping");

    List<String> similar = resolver(null).similar("/aws/lambda/" + app + "-chekout");

    assertThat(similar).startsWith("/aws/lambda/" + app + "-checkout").contains("/aws/lambda/" + app + "-checkout-v2")
        .doesNotContain("/aws/lambda/" + app + "-shipping");
  }

  @Test
  void lambda_log_groups_are_listed_newest_event_first() throws Exception {
    long now = System.currentTimeMillis();
    for (String f : List.of("-old", "-new", "-empty")) {
      group("/aws/lambda/" + app + f);
    }
    put("/aws/lambda/" + app + "-old", now - 60_000);
    put("/aws/lambda/" + app + "-new", now - 1_000);

    List<LogGroupResolver.LambdaLogGroup> mine = resolver(null).lambdaLogGroups().stream()
        .filter(g -> g.functionName().startsWith(app)).toList();

    assertThat(mine).extracting(LogGroupResolver.LambdaLogGroup::functionName)
        .containsExactly(app + "-new", app + "-old", app + "-empty");
    assertThat(mine.get(0).lastEventTime()).isEqualTo(now - 1_000);
    assertThat(mine.get(2).lastEventTime()).isEqualTo(-1);
  }

  private void put(String group, long ts) {
    logs.createLogStream(b -> b.logGroupName(group).logStreamName("s"));
    logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s")
        .logEvents(InputLogEvent.builder().timestamp(ts).message("x").build()));
  }
}
