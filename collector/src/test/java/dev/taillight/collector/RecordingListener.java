package dev.taillight.collector;

import java.util.ArrayList;
import java.util.List;

/** Records everything a collector tells its listeners, in order. */
public final class RecordingListener implements InvocationListener {
  public final List<LogLine> lines = new ArrayList<>();
  public final List<Invocation> started = new ArrayList<>();
  public final List<Invocation> finished = new ArrayList<>();
  public final List<SpanData> spans = new ArrayList<>();

  @Override
  public synchronized void onLine(LogLine line) {
    lines.add(line);
  }

  @Override
  public synchronized void onInvocationStarted(Invocation invocation) {
    started.add(invocation);
  }

  @Override
  public synchronized void onInvocationFinished(Invocation invocation) {
    finished.add(invocation);
  }

  @Override
  public synchronized void onSpan(SpanData span) {
    spans.add(span);
  }

  /** The latest final snapshot of a request id. */
  public synchronized Invocation last(String requestId) {
    for (int i = finished.size() - 1; i >= 0; i--) {
      if (finished.get(i).requestId().equals(requestId)) {
        return finished.get(i);
      }
    }
    throw new AssertionError("no finished invocation " + requestId + " among " + finished.stream()
        .map(Invocation::requestId).toList());
  }
}
