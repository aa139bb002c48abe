package dev.taillight.collector.correlate;

import dev.taillight.collector.SpanData;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
    SpanData old = e.spans.get(span.spanId());
    if (old != null && InvocationState.isTimeoutWarning(span) && !InvocationState.isTimeoutWarning(old)) {
      return; // the final span already replaced its warning
    }
    if (old != null || e.spans.size() < maxSpansPerTrace) {
      e.spans.put(span.spanId(), span);
    }
    if (requestId != null) {
      e.requestIds.add(requestId);
    }
  }

  /** Records that an invocation carries this trace id (REPORT's XRAY TraceId). */
  void addInvocation(String traceId, String requestId) {
    traces.computeIfAbsent(traceId, k -> new Entry()).requestIds.add(requestId);
  }

  Entry get(String traceId) {
    return traces.get(traceId);
  }

  int size() {
    return traces.size();
  }

  static final class Entry {
    final LinkedHashMap<String, SpanData> spans = new LinkedHashMap<>();
    final Set<String> requestIds = new LinkedHashSet<>();
  }
}
