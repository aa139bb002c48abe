package dev.taillight.collector.insights;

import static java.util.Objects.requireNonNull;

import dev.taillight.collector.LogSink;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.cloudwatch.AwsErrors;
import dev.taillight.collector.cloudwatch.Backoff;
import dev.taillight.collector.cloudwatch.RequestRateLimiter;
import dev.taillight.collector.cloudwatch.Sleeper;
import dev.taillight.collector.parse.LineParser;
import dev.taillight.collector.parse.ParsedLine;
import dev.taillight.collector.parse.PlatformRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

/**
 * Fetches the whole invocations around matched lines from CloudWatch Logs (FilterLogEvents on the lines' log
 * streams) and hands every event, in time order per stream, to a sink (a Collector recording into the index).
 *
 * <pre>
 * A Logs Insights row is one line of an invocation. A log stream is one execution environment, which runs one
 * invocation at a time, so the line's invocation is the one between the last START at or before the line and
 * the first REPORT after it (from the INIT_START before that START when it was a cold start).
 *
 *   0. A matched REPORT line that states its durations needs no look-up: the invocation began Duration + Init
 *      Duration + Restore Duration (and a little slack) before it.
 *   1. Boundaries: the platform lines (START, REPORT, INIT_START, RESTORE_START, and their JSON log format
 *      twins) within a minute of each matched line, with a filter pattern so only those lines travel; one
 *      request covers every stream of the log group with a matched line in the same few minutes (up to 100
 *      streams). Lines whose START or REPORT is not that close are looked up again within 16 minutes (Lambda's
 *      longest invocation plus its init).
 *   2. Invocations: per stream, every event from each invocation's first to its last boundary (overlapping
 *      ranges merged), unfiltered. A line whose boundaries were not found still gets the minute around it.
 * </pre>
 *
 * <p>Events carry CloudWatch's event ids, so the index stores each once however often it is fetched (also by
 * {@code pull}). Requests share one {@link RequestRateLimiter} (FilterLogEvents has a small per-account quota);
 * throttling is retried with back-off. Blocking; not thread-safe; the client is not closed.
 */
public final class InvocationFetcher {
  /** How far around a matched line its boundaries are looked for first. */
  static final long NEAR_MS = 60_000;

  /** How far they are looked for when not found near: Lambda's 15-minute timeout plus init and a margin. */
  static final long FAR_MS = 16 * 60_000;

  /** Lines that bound invocations, as a CloudWatch filter pattern (any of the quoted phrases). */
  static final String BOUNDARY_PATTERN = "?\"START RequestId\" ?\"REPORT RequestId\" ?\"INIT_START\" "
      + "?\"RESTORE_START\" ?\"platform.start\" ?\"platform.report\" ?\"platform.initStart\" "
      + "?\"platform.restoreStart\"";

  private final CloudWatchLogsClient client;
  private final RequestRateLimiter limiter;
  private final Sleeper sleeper;
  private final Backoff backoff;
  private final int maxRetries;
  private final LineParser parser = LineParser.create();
  private long requests;

  private InvocationFetcher(CloudWatchLogsClient client, RequestRateLimiter limiter, Sleeper sleeper,
      Backoff backoff, int maxRetries) {
    this.client = requireNonNull(client, "client");
    this.limiter = requireNonNull(limiter, "limiter");
    this.sleeper = requireNonNull(sleeper, "sleeper");
    this.backoff = requireNonNull(backoff, "backoff");
    this.maxRetries = maxRetries;
  }

  /** A fetcher at 4 requests per second (below the FilterLogEvents quota), with standard back-off. */
  public static InvocationFetcher create(CloudWatchLogsClient client) {
    return create(client, RequestRateLimiter.create(4), Sleeper.system());
  }

  /** A fetcher with the given limiter and sleeper (tests pass ones that do not wait). */
  public static InvocationFetcher create(CloudWatchLogsClient client, RequestRateLimiter limiter,
      Sleeper sleeper) {
    return new InvocationFetcher(client, limiter, sleeper, Backoff.standard(), 8);
  }

  /**
   * What a fetch delivered.
   *
   * @param invocations distinct requests whose START or REPORT line was delivered
   * @param events events delivered to the sink
   * @param bytes bytes of their messages
   * @param requests FilterLogEvents requests made
   */
  public record Result(int invocations, long events, long bytes, long requests) {}

  /** A time range of one stream, both ends inclusive. */
  record Range(long from, long to) {}

  /** A boundary line: its time, its kind and the request it names. */
  record Boundary(long ts, PlatformRecord.Type type, String requestId) {}

  /**
   * Fetches the invocations of {@code lines} into {@code sink}, stream after stream. {@code progress} is told
   * the number of events delivered so far, after every page.
   */
  public Result fetch(Collection<MatchedLine> lines, LogSink sink, Consumer<Long> progress)
      throws InterruptedException {
    Map<String, Map<String, List<MatchedLine>>> byGroup = new LinkedHashMap<>();
    for (MatchedLine l : lines) {
      byGroup.computeIfAbsent(l.logGroup(), k -> new LinkedHashMap<>())
          .computeIfAbsent(l.logStream(), k -> new ArrayList<>()).add(l);
    }
    long before = requests;
    Set<String> requestIds = new HashSet<>();
    long[] counts = new long[2];
    for (Map.Entry<String, Map<String, List<MatchedLine>>> g : byGroup.entrySet()) {
      String group = g.getKey();
      for (Map.Entry<String, List<Range>> e : invocationRanges(group, g.getValue()).entrySet()) {
        String stream = e.getKey();
        for (Range r : merge(e.getValue())) {
          read(group, List.of(stream), r, null, ev -> {
            counts[0]++;
            counts[1] += ev.message().getBytes(StandardCharsets.UTF_8).length;
            if (ev.message().contains("RequestId") || ev.message().contains("platform.")) {
              PlatformRecord p = parser.parse(ev.message(), group, stream).platform();
              if (p != null && p.requestId() != null && (p.type() == PlatformRecord.Type.START
                  || p.type() == PlatformRecord.Type.REPORT)) {
                requestIds.add(p.requestId());
              }
            }
            sink.accept(ev);
          });
          progress.accept(counts[0]);
        }
      }
    }
    return new Result(requestIds.size(), counts[0], counts[1], requests - before);
  }

  /**
   * A matched line's time, the request it reports when it is a REPORT line (else null), and for a REPORT line
   * that states its duration, the invocation's range computed from it (else null).
   */
  record Anchor(long ts, String reportOf, Range known) {}

  /** How much earlier than REPORT minus its durations the invocation's first line may be. */
  static final long REPORT_SLACK_MS = 100;

  /** Most log streams one FilterLogEvents request names. */
  static final int MAX_STREAMS = 100;

  /** Longest time span of one boundary look-up shared by several streams. */
  static final long MAX_SHARED_SPAN_MS = 10 * 60_000;

  /**
   * The invocation ranges of the matched lines of one log group, per stream (distinct, in time order). Boundary
   * look-ups are shared: one request reads the boundary lines of every stream with a matched line in the same
   * few minutes.
   */
  Map<String, List<Range>> invocationRanges(String group, Map<String, List<MatchedLine>> byStream)
      throws InterruptedException {
    Map<String, List<Range>> out = new LinkedHashMap<>();
    Map<String, List<Anchor>> unknown = new LinkedHashMap<>();
    for (Map.Entry<String, List<MatchedLine>> e : byStream.entrySet()) {
      List<Range> ranges = out.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
      for (MatchedLine l : e.getValue()) {
        Anchor a = anchor(l, group, e.getKey());
        if (a.known() != null) {
          ranges.add(a.known());
        } else {
          unknown.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(a);
        }
      }
    }
    Map<String, List<Anchor>> unresolved = resolve(group, unknown, NEAR_MS, out, false);
    resolve(group, unresolved, FAR_MS, out, true);
    for (Map.Entry<String, List<Range>> e : out.entrySet()) {
      e.setValue(e.getValue().stream().distinct().sorted(Comparator.comparingLong(Range::from)).toList());
    }
    return out;
  }

  /**
   * Looks up the boundaries within {@code around} of the anchors and adds the ranges found to {@code out};
   * returns the anchors left unresolved (or, when {@code last}, gives those the minute around them).
   */
  private Map<String, List<Anchor>> resolve(String group, Map<String, List<Anchor>> anchors, long around,
      Map<String, List<Range>> out, boolean last) throws InterruptedException {
    Map<String, List<Anchor>> unresolved = new LinkedHashMap<>();
    if (anchors.isEmpty()) {
      return unresolved;
    }
    Map<String, List<Boundary>> bounds = boundaries(group, anchors, around);
    for (Map.Entry<String, List<Anchor>> e : anchors.entrySet()) {
      List<Boundary> bs = bounds.getOrDefault(e.getKey(), List.of());
      for (Anchor a : e.getValue()) {
        Range r = range(bs, a);
        if (r != null) {
          out.get(e.getKey()).add(r);
        } else if (last) {
          out.get(e.getKey()).add(new Range(a.ts() - NEAR_MS, a.ts() + NEAR_MS));
        } else {
          unresolved.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(a);
        }
      }
    }
    return unresolved;
  }

  private Anchor anchor(MatchedLine l, String group, String stream) {
    ParsedLine p = parser.parse(l.message(), group, stream);
    PlatformRecord r = p.platform();
    if (r == null || r.type() != PlatformRecord.Type.REPORT || r.requestId() == null) {
      return new Anchor(l.timestamp(), null, null);
    }
    Range known = null;
    if (r.durationMs() != null) {
      double ms = r.durationMs() + (r.initDurationMs() == null ? 0 : r.initDurationMs())
          + (r.restoreDurationMs() == null ? 0 : r.restoreDurationMs());
      known = new Range(l.timestamp() - (long) Math.ceil(ms) - REPORT_SLACK_MS, l.timestamp());
    }
    return new Anchor(l.timestamp(), r.requestId(), known);
  }

  /**
   * The invocation around an anchor from the stream's boundary lines (sorted by time): from the last START at or
   * before it (the START of the same request for a REPORT line; from the INIT_START or RESTORE_START that began
   * its environment when there is one right before) to the first REPORT of that request after the START (or up
   * to the next START when its REPORT is missing); null when the START, or any later boundary, is not among them.
   */
  static Range range(List<Boundary> bs, Anchor a) {
    int s = -1;
    for (int i = 0; i < bs.size() && bs.get(i).ts() <= a.ts(); i++) {
      Boundary b = bs.get(i);
      if (b.type() == PlatformRecord.Type.START && (a.reportOf() == null || a.reportOf().equals(b.requestId()))) {
        s = i;
      }
    }
    if (s < 0) {
      return null;
    }
    long begin = begin(bs, s);
    if (a.reportOf() != null) {
      return new Range(begin, a.ts());
    }
    String id = bs.get(s).requestId();
    for (int i = s + 1; i < bs.size(); i++) {
      Boundary b = bs.get(i);
      if (b.type() == PlatformRecord.Type.REPORT && (id == null || b.requestId() == null
          || id.equals(b.requestId()))) {
        return new Range(begin, Math.max(b.ts(), a.ts()));
      }
      if (b.type() == PlatformRecord.Type.START) {
        return new Range(begin, Math.max(a.ts(), b.ts() - 1)); // no REPORT: up to the next START
      }
    }
    return null;
  }

  /** Where the invocation whose START is {@code bs[startIndex]} begins: an INIT_START/RESTORE_START right before. */
  private static long begin(List<Boundary> bs, int startIndex) {
    long begin = bs.get(startIndex).ts();
    for (int j = startIndex - 1; j >= 0; j--) {
      PlatformRecord.Type t = bs.get(j).type();
      if (t == PlatformRecord.Type.INIT_START || t == PlatformRecord.Type.RESTORE_START) {
        begin = bs.get(j).ts();
      } else if (t == PlatformRecord.Type.START || t == PlatformRecord.Type.REPORT) {
        break;
      }
    }
    return begin;
  }

  /** [ts - around, ts + around] for each anchor, overlapping windows merged. */
  static List<Range> windows(List<Long> sortedAnchors, long around) {
    List<Range> w = new ArrayList<>();
    for (long ts : sortedAnchors) {
      w.add(new Range(ts - around, ts + around));
    }
    return merge(w);
  }

  /** Overlapping or touching ranges merged, in time order. */
  static List<Range> merge(List<Range> ranges) {
    List<Range> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(Range::from));
    List<Range> out = new ArrayList<>();
    for (Range r : sorted) {
      if (!out.isEmpty() && r.from() <= out.get(out.size() - 1).to() + 1) {
        Range last = out.remove(out.size() - 1);
        out.add(new Range(last.from(), Math.max(last.to(), r.to())));
      } else {
        out.add(r);
      }
    }
    return out;
  }

  /** A time window and the streams whose boundary lines are read in it. */
  record Lookup(Range window, List<String> streams) {}

  /**
   * The boundary look-ups for the anchors: every stream's windows, sorted, overlapping ones merged while the
   * merged span stays within {@link #MAX_SHARED_SPAN_MS} (or one window) and names at most {@link #MAX_STREAMS}
   * streams.
   */
  static List<Lookup> lookups(Map<String, List<Long>> anchorTimes, long around) {
    record Item(String stream, Range window) {}
    List<Item> items = new ArrayList<>();
    for (Map.Entry<String, List<Long>> e : anchorTimes.entrySet()) {
      for (Range w : windows(e.getValue().stream().sorted().toList(), around)) {
        items.add(new Item(e.getKey(), w));
      }
    }
    items.sort(Comparator.comparingLong((Item i) -> i.window().from()));
    List<Lookup> out = new ArrayList<>();
    Range span = null;
    Set<String> streams = new LinkedHashSet<>();
    for (Item i : items) {
      if (span != null) {
        long to = Math.max(span.to(), i.window().to());
        boolean overlaps = i.window().from() <= span.to() + 1;
        boolean fits = to - span.from() <= Math.max(MAX_SHARED_SPAN_MS, 2 * around + 1);
        boolean room = streams.contains(i.stream()) || streams.size() < MAX_STREAMS;
        if (overlaps && fits && room) {
          span = new Range(span.from(), to);
          streams.add(i.stream());
          continue;
        }
        out.add(new Lookup(span, List.copyOf(streams)));
        streams.clear();
      }
      span = i.window();
      streams.add(i.stream());
    }
    if (span != null) {
      out.add(new Lookup(span, List.copyOf(streams)));
    }
    return out;
  }

  private Map<String, List<Boundary>> boundaries(String group, Map<String, List<Anchor>> anchors, long around)
      throws InterruptedException {
    Map<String, List<Long>> times = new LinkedHashMap<>();
    anchors.forEach((stream, as) -> times.put(stream, as.stream().map(Anchor::ts).toList()));
    Map<String, List<Boundary>> out = new LinkedHashMap<>();
    for (Lookup l : lookups(times, around)) {
      read(group, l.streams(), l.window(), BOUNDARY_PATTERN, ev -> {
        ParsedLine p = parser.parse(ev.message(), group, ev.logStream());
        if (p.platform() != null) {
          PlatformRecord.Type t = p.platform().type();
          if (t == PlatformRecord.Type.START || t == PlatformRecord.Type.REPORT
              || t == PlatformRecord.Type.INIT_START || t == PlatformRecord.Type.RESTORE_START) {
            out.computeIfAbsent(ev.logStream(), k -> new ArrayList<>())
                .add(new Boundary(ev.timestamp(), t, p.platform().requestId()));
          }
        }
      });
    }
    for (List<Boundary> bs : out.values()) {
      bs.sort(Comparator.comparingLong(Boundary::ts));
    }
    return out;
  }

  /** Every event of the streams in {@code range} (both ends inclusive) matching {@code pattern} (null: all). */
  private void read(String group, List<String> streams, Range range, String pattern, Consumer<RawEvent> each)
      throws InterruptedException {
    String token = null;
    do {
      FilterLogEventsRequest.Builder b = FilterLogEventsRequest.builder().logGroupName(group)
          .logStreamNames(streams).startTime(Math.max(0, range.from())).endTime(range.to() + 1).nextToken(token);
      if (pattern != null) {
        b.filterPattern(pattern);
      }
      FilterLogEventsResponse r = call(b.build());
      for (FilteredLogEvent e : r.events()) {
        if (e.timestamp() == null || e.message() == null || e.eventId() == null) {
          continue;
        }
        if (e.logStreamName() == null && streams.size() != 1) {
          continue;
        }
        each.accept(new RawEvent(group, e.logStreamName() == null ? streams.get(0) : e.logStreamName(), e.timestamp(),
            e.ingestionTime() == null ? 0 : e.ingestionTime(), e.eventId(), e.message()));
      }
      token = r.nextToken() == null || r.nextToken().isEmpty() || r.nextToken().equals(token) ? null
          : r.nextToken();
    } while (token != null);
  }

  private FilterLogEventsResponse call(FilterLogEventsRequest request) throws InterruptedException {
    int attempt = 0;
    while (true) {
      limiter.acquire();
      requests++;
      try {
        return client.filterLogEvents(request);
      } catch (SdkException e) {
        if (!AwsErrors.isThrottling(e) || ++attempt > maxRetries) {
          throw e;
        }
        limiter.penalize(backoff.delay(attempt));
        sleeper.sleep(backoff.delay(attempt));
      }
    }
  }
}
