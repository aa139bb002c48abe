package dev.taillight.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

class MotoServerTest {

  @Test
  void real_sdk_client_round_trips_an_event_through_moto() {
    String group = MotoServer.unique("/aws/lambda/moto-check");
    try (CloudWatchLogsClient logs = MotoServer.shared().logsClient()) {
      logs.createLogGroup(b -> b.logGroupName(group));
      logs.createLogStream(b -> b.logGroupName(group).logStreamName("s1"));
      logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s1")
          .logEvents(InputLogEvent.builder().timestamp(System.currentTimeMillis()).message("hello").build()));
      var events = logs.filterLogEvents(b -> b.logGroupName(group)).events();
      assertThat(events).extracting(e -> e.message()).containsExactly("hello");
    }
  }
}
