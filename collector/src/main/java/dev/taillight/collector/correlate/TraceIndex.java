package dev.taillight.collector.correlate;

import dev.taillight.collector.SpanData;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The spans and request ids of the most recently active traces, bounded: at most {@code maxTraces} traces (least
 * recently updated dropped first) and {@code maxSpansPerTrace} spans each.
 */
final class TraceIndex {
  private final int maxSpansPerTrace;
  private final LinkedHashMap<String, Entry> traces;

  TraceIndex(int maxTraces, int maxSpansPerTrace) {
    this.maxSpansPerTrace = maxSpansPerTrace;
    this.traces = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > maxTraces;
      }
    };
  }

  /** Records a span and, when known, the invocation it ran in. */
  void addSpan(SpanData span, String requestId) {
    Entry e = traces.computeIfAbsent(span.traceId(), k -> new Entry());
    SpanData old = e.spans.find(span.spanId());
    if (old != null && InvocationState.isTimeoutWarning(span) && !InvocationState.isTimeoutWarning(old)) {
      return; // the final span already replaced its warning
    }
    if (old != null || e.spans.size() < maxSpansPerTrace) {
      e.spans.put(span);
    }
    if (requestId != null) {
      e.addRequestId(requestId);
    }
  }

  /** Records that an invocation carries this trace id (REPORT's XRAY TraceId). */
  void addInvocation(String traceId, String requestId) {
    traces.computeIfAbsent(traceId, k -> new Entry()).addRequestId(requestId);
  }

  Entry get(String traceId) {
    return traces.get(traceId);
  }

  int size() {
    return traces.size();
  }

  static final class Entry {
    final SpanList spans = new SpanList();
    /** Request ids in the order first seen (usually one or two: searched, not hashed, until there are many). */
    private String[] requestIds = new String[1];
    private int requestCount;
    private Set<String> requestIndex;

    void addRequestId(String requestId) {
      if (requestIndex != null) {
        if (!requestIndex.add(requestId)) {
          return;
        }
      } else {
        for (int i = 0; i < requestCount; i++) {
          if (requestIds[i].equals(requestId)) {
            return;
          }
        }
        if (requestCount >= 16) {
          requestIndex = new HashSet<>(Arrays.asList(requestIds).subList(0, requestCount));
          requestIndex.add(requestId);
        }
      }
      if (requestCount == requestIds.length) {
        requestIds = Arrays.copyOf(requestIds, requestCount * 2);
      }
      requestIds[requestCount++] = requestId;
    }

    List<String> requestIds() {
      return Arrays.asList(requestIds).subList(0, requestCount);
    }
  }
}
