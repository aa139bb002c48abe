package dev.taillight.collector.correlate;

import dev.taillight.collector.SpanData;
import dev.taillight.collector.internal.FrozenList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * Spans by span id in the order first seen; putting a span whose id is there replaces it in place (as a {@link
 * java.util.LinkedHashMap} would). Most invocations and traces hold two or three spans, so they are kept in a small
 * array and found by comparing ids; an index map is built only past {@value #INDEX_AFTER} spans. Not thread-safe.
 */
final class SpanList {
  private static final int INDEX_AFTER = 16;

  private SpanData[] spans = new SpanData[2];
  private int size;
  /** Whether a list from {@link #toList} shares {@link #spans}: it is then copied before it changes. */
  private boolean shared;
  private HashMap<String, Integer> index;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  SpanData get(int i) {
    return spans[i];
  }

  /** The span with this id, or null. */
  SpanData find(String spanId) {
    int i = indexOf(spanId);
    return i < 0 ? null : spans[i];
  }

  /** The index of the span with this id, or -1. */
  int indexOf(String spanId) {
    if (index != null) {
      Integer i = index.get(spanId);
      return i == null ? -1 : i;
    }
    for (int i = 0; i < size; i++) {
      if (spans[i].spanId().equals(spanId)) {
        return i;
      }
    }
    return -1;
  }

  /** Adds the span, or replaces the one with its id in place. */
  void put(SpanData span) {
    put(span, indexOf(span.spanId()));
  }

  /** {@link #put(SpanData)} for a span whose id is at {@code i} ({@link #indexOf}), or new when -1. */
  void put(SpanData span, int i) {
    if (shared) {
      spans = Arrays.copyOf(spans, size == spans.length && i < 0 ? size * 2 : spans.length);
      shared = false;
    }
    if (i >= 0) {
      spans[i] = span;
      return;
    }
    if (size == spans.length) {
      spans = Arrays.copyOf(spans, size * 2);
    }
    spans[size] = span;
    if (index != null) {
      index.put(span.spanId(), size);
    } else if (size + 1 > INDEX_AFTER) {
      index = new HashMap<>(64);
      for (int k = 0; k <= size; k++) {
        index.put(spans[k].spanId(), k);
      }
    }
    size++;
  }

  /** The spans, in the order first seen, as an immutable list (sharing the array, copied before it changes). */
  List<SpanData> toList() {
    if (size == 0) {
      return List.of();
    }
    shared = true;
    return FrozenList.sharing(spans, size);
  }
}
