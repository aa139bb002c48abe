package dev.taillight.collector.correlate;

import dev.taillight.collector.SpanData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The spans and request ids of the most recently active traces, bounded: at most {@code maxTraces} traces (least
 * recently updated dropped first) and {@code maxSpansPerTrace} spans each.
 */
final class TraceIndex {
  private final int maxTraces;
  private final int maxSpansPerTrace;
  /** The entries by trace id ({@link OpenTable#hash}). */
  private final OpenTable<Entry> traces = new OpenTable<>(64);
  /** The least recently updated entry (dropped first) and the most recent one, of a list linked through entries. */
  private Entry eldest;
  private Entry newest;
  /** The entry looked up last: the spans of one span line share their trace, so their lookups after the first skip
   * the table. Being the last one accessed, it is already the newest. */
  private Entry lastEntry;

  TraceIndex(int maxTraces, int maxSpansPerTrace) {
    this.maxTraces = maxTraces;
    this.maxSpansPerTrace = maxSpansPerTrace;
  }

  /** Records a span and, when known, the invocation it ran in; returns the entry of its trace. */
  Entry addSpan(SpanData span, String requestId) {
    Entry e = entry(span.traceId());
    int at = e.spans.indexOf(span.spanId());
    SpanData old = at < 0 ? null : e.spans.get(at);
    if (old != null && InvocationState.isTimeoutWarning(span) && !InvocationState.isTimeoutWarning(old)) {
      return e; // the final span already replaced its warning
    }
    if (old != null || e.spans.size() < maxSpansPerTrace) {
      e.spans.put(span, at);
    }
    if (requestId != null) {
      e.addRequestId(requestId);
    }
    return e;
  }

  /**
   * Records that an invocation carries this trace id (REPORT's XRAY TraceId). {@code hint} is the entry its spans
   * went to, or null: when it is this trace's and still held, it spares the lookup.
   */
  void addInvocation(String traceId, String requestId, Entry hint) {
    Entry e;
    if (hint != null && hint.held && hint.traceId.equals(traceId)) {
      e = hint;
      if (e != newest) {
        unlink(e);
        link(e);
      }
      lastEntry = e;
    } else {
      e = entry(traceId);
    }
    e.addRequestId(requestId);
  }

  /** The entry of this trace, made the newest; created (dropping the eldest beyond {@code maxTraces}) if new. */
  private Entry entry(String traceId) {
    Entry last = lastEntry;
    if (last != null && last.traceId.equals(traceId)) {
      return last;
    }
    int h = OpenTable.hash(traceId);
    Entry e = find(traceId, h);
    if (e == null) {
      e = new Entry(traceId, h);
      traces.add(e, h);
      link(e);
      if (traces.size() > maxTraces) {
        Entry gone = eldest;
        unlink(gone);
        traces.remove(gone, gone.hash);
        gone.held = false;
      }
    } else if (e != newest) {
      unlink(e);
      link(e);
    }
    lastEntry = e;
    return e;
  }

  private Entry find(String traceId, int h) {
    for (int i = traces.first(h); traces.at(i) != null; i = traces.next(i)) {
      if (traces.hashAt(i) == h && traces.at(i).traceId.equals(traceId)) {
        return traces.at(i);
      }
    }
    return null;
  }

  /** Appends {@code e} as the newest. */
  private void link(Entry e) {
    e.older = newest;
    e.newer = null;
    if (newest != null) {
      newest.newer = e;
    } else {
      eldest = e;
    }
    newest = e;
  }

  private void unlink(Entry e) {
    if (e.older != null) {
      e.older.newer = e.newer;
    } else {
      eldest = e.newer;
    }
    if (e.newer != null) {
      e.newer.older = e.older;
    } else {
      newest = e.older;
    }
    e.older = null;
    e.newer = null;
  }

  /** The entry of this trace, or null; a trace looked up counts as recently used. */
  Entry get(String traceId) {
    Entry e = find(traceId, OpenTable.hash(traceId));
    if (e != null && e != newest) {
      unlink(e);
      link(e);
      lastEntry = null;
    }
    return e;
  }

  int size() {
    return traces.size();
  }

  static final class Entry {
    final String traceId;
    final int hash;
    /** Whether the index still holds it (false once dropped as the eldest). */
    boolean held = true;
    Entry older;
    Entry newer;
    final SpanList spans = new SpanList();
    /**
     * Request ids in the order first seen (usually one: held in a field, then searched, not hashed, until there are
     * many): {@code firstRequestId}, then {@code requestIds[0, requestCount - 1)}.
     */
    private String firstRequestId;
    private String[] requestIds;
    private int requestCount;
    private Set<String> requestIndex;

    void addRequestId(String requestId) {
      if (firstRequestId == null) {
        firstRequestId = requestId;
        requestCount = 1;
        return;
      }
      if (firstRequestId.equals(requestId)) {
        return;
      }
      if (requestIndex != null) {
        if (!requestIndex.add(requestId)) {
          return;
        }
      } else {
        for (int i = 0; i < requestCount - 1; i++) {
          if (requestIds[i].equals(requestId)) {
            return;
          }
        }
        if (requestCount >= 16) {
          requestIndex = new HashSet<>(requestIds());
          requestIndex.add(requestId);
        }
      }
      if (requestIds == null) {
        requestIds = new String[2];
      } else if (requestCount - 1 == requestIds.length) {
        requestIds = Arrays.copyOf(requestIds, requestIds.length * 2);
      }
      requestIds[requestCount - 1] = requestId;
      requestCount++;
    }

    Entry(String traceId, int hash) {
      this.traceId = traceId;
      this.hash = hash;
    }

    List<String> requestIds() {
      if (firstRequestId == null) {
        return List.of();
      }
      List<String> ids = new ArrayList<>(requestCount);
      ids.add(firstRequestId);
      for (int i = 0; i < requestCount - 1; i++) {
        ids.add(requestIds[i]);
      }
      return ids;
    }
  }
}
