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
  /**
   * The entry looked up last and its trace id: the spans of one span line share their trace, so their lookups after
   * the first skip the map. Being the last one accessed, it is already the newest in the LRU order.
   */
  private String lastTraceId;
  private Entry lastEntry;

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
    Entry e = entry(span.traceId());
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
    entry(traceId).addRequestId(requestId);
  }

  private Entry entry(String traceId) {
    if (lastEntry != null && lastTraceId != null && lastTraceId.equals(traceId)) {
      return lastEntry;
    }
    Entry e = traces.computeIfAbsent(traceId, k -> new Entry());
    lastTraceId = traceId;
    lastEntry = e;
    return e;
  }

  Entry get(String traceId) {
    lastTraceId = null; // a query reorders the LRU: the cached entry may no longer be the newest
    lastEntry = null;
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
