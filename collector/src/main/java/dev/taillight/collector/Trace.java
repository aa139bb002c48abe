package dev.taillight.collector;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One request across functions: every span with this trace id, and the invocations they ran in.
 *
 * @param traceId 32 lowercase hex digits
 * @param spans all spans of the trace, ordered by start time
 * @param invocations the invocations that carry this trace id or own one of its spans, ordered by start time
 */
public record Trace(String traceId, List<SpanData> spans, List<Invocation> invocations) {

  public Trace {
    requireNonNull(traceId, "traceId");
    List<SpanData> s = new ArrayList<>(spans);
    s.sort(Comparator.comparingLong(SpanData::startEpochNanos));
    spans = List.copyOf(s);
    List<Invocation> i = new ArrayList<>(invocations);
    i.sort(Comparator.comparingLong(Invocation::startTime));
    invocations = List.copyOf(i);
  }

  /** Spans whose parent is absent from this trace (the entry points, or orphans of missing spans). */
  public List<SpanData> roots() {
    List<SpanData> roots = new ArrayList<>();
    for (SpanData span : spans) {
      if (span.parentSpanId() == null || spans.stream().noneMatch(p -> p.spanId().equals(span.parentSpanId()))) {
        roots.add(span);
      }
    }
    return roots;
  }

  /** The direct children of a span, by start time. */
  public List<SpanData> children(String spanId) {
    return spans.stream().filter(s -> spanId.equals(s.parentSpanId())).toList();
  }

  /**
   * The invocation a span ran in: the one whose request id is the span's {@code faas.invocation_id}, else the one
   * whose own spans include it. Empty when that invocation is not part of this trace (not seen, or evicted).
   */
  public java.util.Optional<Invocation> invocationOf(SpanData span) {
    String id = span.invocationId();
    for (Invocation inv : invocations) {
      if (id != null && id.equals(inv.requestId())) {
        return java.util.Optional.of(inv);
      }
    }
    for (Invocation inv : invocations) {
      for (SpanData s : inv.spans()) {
        if (s.spanId().equals(span.spanId())) {
          return java.util.Optional.of(inv);
        }
      }
    }
    return java.util.Optional.empty();
  }

  /** The sum of the estimated costs of the trace's invocations that have one, or null when none has. */
  public Double totalCostUsd() {
    Double total = null;
    for (Invocation inv : invocations) {
      if (inv.costUsd() != null) {
        total = (total == null ? 0.0 : total) + inv.costUsd();
      }
    }
    return total;
  }
}
