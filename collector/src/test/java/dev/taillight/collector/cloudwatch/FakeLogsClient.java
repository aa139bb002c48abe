package dev.taillight.collector.cloudwatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * An in-memory CloudWatch Logs that behaves like the real one where the polling algorithm cares: an event is
 * visible only once the clock passes its ingestion time (late and out of order), pages are offsets into the
 * current result (so an event that becomes visible mid-pagination can be skipped by that pass), pages can be
 * empty while a token remains, and faults can be scripted per call.
 */
final class FakeLogsClient implements CloudWatchLogsClient {
  record Stored(String group, String stream, long timestamp, long ingestionTime, String id, String message) {}

  private final TestClock clock;
  private final Map<String, List<Stored>> groups = new HashMap<>();
  private final int defaultPageSize;
  private int calls;
  /** Returns an exception to throw for call number n (1-based), or null to answer normally. */
  IntFunction<RuntimeException> faults = n -> null;
  /** Every n-th answer with more to come is an empty page (0 = never). */
  int emptyPageEvery;
  long latencyMillis = 30;
  final List<FilterLogEventsRequest> requests = new ArrayList<>();

  FakeLogsClient(TestClock clock, int defaultPageSize) {
    this.clock = clock;
    this.defaultPageSize = defaultPageSize;
  }

  synchronized void createGroup(String group) {
    groups.putIfAbsent(group, new ArrayList<>());
  }

  synchronized void put(Stored e) {
    groups.computeIfAbsent(e.group(), g -> new ArrayList<>()).add(e);
  }

  static AwsServiceException error(int status, String code) {
    return CloudWatchLogsException.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " from fake").build())
        .message(code).build();
  }

  @Override
  public synchronized FilterLogEventsResponse filterLogEvents(FilterLogEventsRequest r) {
    calls++;
    requests.add(r);
    clock.advance(latencyMillis);
    RuntimeException fault = faults.apply(calls);
    if (fault != null) {
      throw fault;
    }
    List<Stored> all = groups.get(r.logGroupName());
    if (all == null) {
      throw ResourceNotFoundException.builder().statusCode(400).message("The specified log group does not exist.")
          .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException")
              .errorMessage("The specified log group does not exist.").build()).build();
    }
    long now = clock.millis();
    long start = r.startTime() == null ? Long.MIN_VALUE : r.startTime();
    long end = r.endTime() == null ? Long.MAX_VALUE : r.endTime();
    List<Stored> visible = all.stream()
        .filter(e -> e.ingestionTime() <= now && e.timestamp() >= start && e.timestamp() <= end)
        .sorted(Comparator.comparingLong(Stored::timestamp).thenComparing(Stored::id))
        .toList();
    int offset = 0;
    int emptyCount = 0;
    if (r.nextToken() != null) {
      String[] parts = r.nextToken().split(":");
      offset = Integer.parseInt(parts[0]);
      emptyCount = Integer.parseInt(parts[1]);
    }
    int size = r.limit() == null ? defaultPageSize : r.limit();
    if (emptyPageEvery > 0 && offset < visible.size() && (calls % emptyPageEvery == 0)) {
      return FilterLogEventsResponse.builder().events(List.of()).nextToken(offset + ":" + (emptyCount + 1)).build();
    }
    int to = Math.min(visible.size(), offset + size);
    List<FilteredLogEvent> page = new ArrayList<>();
    for (Stored e : visible.subList(Math.min(offset, visible.size()), to)) {
      page.add(FilteredLogEvent.builder().logStreamName(e.stream()).timestamp(e.timestamp())
          .ingestionTime(e.ingestionTime()).eventId(e.id()).message(e.message()).build());
    }
    return FilterLogEventsResponse.builder().events(page)
        .nextToken(to < visible.size() ? to + ":" + emptyCount : null).build();
  }

  synchronized int calls() {
    return calls;
  }

  @Override
  public String serviceName() {
    return "logs";
  }

  @Override
  public void close() {}
}
