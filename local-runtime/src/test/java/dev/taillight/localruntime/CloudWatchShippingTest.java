package dev.taillight.localruntime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.cloudwatch.CloudWatchLogsSink;
import dev.taillight.testing.MotoServer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

/** A locally run function's logs shipped with PutLogEvents (to moto_server) and read back with FilterLogEvents. */
@Timeout(90)
class CloudWatchShippingTest {

  @Test
  void logs_of_a_local_invocation_land_in_cloudwatch_in_the_environments_stream() {
    CloudWatchLogsClient logs = MotoServer.shared().logsClient();
    String group = MotoServer.unique("/aws/lambda/local-fn");
    CloudWatchLogsSink sink = CloudWatchLogsSink.create(logs);
    InvocationResult r;
    try (LocalRuntime rt = LocalRuntime.builder()
        .function(FunctionConfig.builder(LocalRuntimeTest.HANDLER).classpath(LocalRuntimeTest.CODE)
            .logGroup(group).build())
        .sink(sink).random(new Random(11)).reapIdleInBackground(false).build()) {
      r = rt.invoke("{\"action\":\"hello\"}");
    } finally {
      sink.close();
    }
    assertThat(sink.failed()).as(String.valueOf(sink.lastError())).isZero();

    List<FilteredLogEvent> events = logs.filterLogEventsPaginator(b -> b.logGroupName(group)).events().stream()
        .toList();
    assertThat(events).allSatisfy(e -> assertThat(e.logStreamName()).isEqualTo(r.logStream()));
    List<String> messages = events.stream().map(FilteredLogEvent::message).toList();
    assertThat(messages).contains("START RequestId: " + r.requestId() + " Version: $LATEST",
        "hello from stdout " + r.requestId(), "logger first line\nlogger second line",
        "END RequestId: " + r.requestId());
    assertThat(messages.get(0)).startsWith("INIT_START Runtime Version: ");
    assertThat(messages.get(messages.size() - 1)).startsWith("REPORT RequestId: " + r.requestId() + "\tDuration: ");
  }
}
