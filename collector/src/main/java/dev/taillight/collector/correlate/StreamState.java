package dev.taillight.collector.correlate;

import dev.taillight.collector.RawEvent;
import dev.taillight.collector.parse.ParsedLine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** One log stream's timeline: its recent invocations, init marks and lines waiting for an invocation. */
final class StreamState {
  /** Finished invocations kept per stream for late lines, beyond the live ones. */
  static final int KEEP_FINISHED = 8;
  /** Init marks kept per stream. */
  static final int KEEP_MARKS = 4;

  final String logGroup;
  final String logStream;
  final String function;
  /** The correlator's hash of group and stream. */
  final int hash;
  long lastArrival;
  /** Invocations of this stream in memory (live and a few finished), ordered by start. */
  final List<InvocationState> invocations = new ArrayList<>(4);
  /**
   * Those of {@link #invocations} not finished yet (OPEN or CLOSING), in the order created: the check for older open
   * invocations reads these few instead of every invocation kept.
   */
  final List<InvocationState> unfinished = new ArrayList<>(2);
  /** How many of {@link #unfinished} are OPEN: when none is, a finished invocation leaves no older one open. */
  int openCount;
  /** The invocation the last line naming a request id joined: the next such line usually joins it too. */
  InvocationState lastJoined;
  /** {@link Correlator#tail} of the request id of {@link #lastJoined}. */
  long lastJoinedTail;
  /** Whether the stream is in the correlator's list of streams holding pending lines. */
  boolean inPendingList;
  /**
   * Those of {@link #invocations} that are FINISHED, in the order they finished: trimming tells them apart by
   * reference, without reading the invocations (long out of the CPU's caches by then).
   */
  private final List<InvocationState> finished = new ArrayList<>(KEEP_FINISHED + 1);
  /** Environment (re)initialisations: INIT_START / RESTORE_START and what their reports said. */
  final ArrayDeque<InitMark> marks = new ArrayDeque<>(2);
  /** Lines with no request id that no invocation covers yet. */
  final ArrayDeque<Pending> pending = new ArrayDeque<>(2);
  /** The invocation whose REPORT came last: an {@code XRAY TraceId} line on its own completes it. */
  InvocationState lastReported;

  StreamState(String logGroup, String logStream, String function, int hash) {
    this.logGroup = logGroup;
    this.logStream = logStream;
    this.function = function;
    this.hash = hash;
  }

  /** The latest-started invocation whose [start, end] contains {@code ts}, or null. */
  InvocationState covering(long ts) {
    // ordered by start: the first from the end that covers ts is the latest-started one
    for (int i = invocations.size() - 1; i >= 0; i--) {
      InvocationState inv = invocations.get(i);
      if (inv.covers(ts)) {
        return inv;
      }
    }
    return null;
  }

  void add(InvocationState inv) {
    int i = invocations.size();
    while (i > 0 && invocations.get(i - 1).start() > inv.start()) {
      i--;
    }
    invocations.add(i, inv);
    if (inv.phase != InvocationState.Phase.FINISHED) {
      unfinished.add(inv);
      if (inv.phase == InvocationState.Phase.OPEN) {
        openCount++;
      }
    }
  }

  /**
   * Keeps the order by start after {@code inv}'s start moved (its START arrived after its first line). Only its
   * neighbours need a look: the rest was in order (and stays unread: finished invocations are cold in memory).
   */
  void resort(InvocationState inv) {
    int i = invocations.size() - 1;
    while (i >= 0 && invocations.get(i) != inv) {
      i--;
    }
    if (i < 0) {
      return;
    }
    long start = inv.start();
    if ((i > 0 && invocations.get(i - 1).start() > start)
        || (i < invocations.size() - 1 && start > invocations.get(i + 1).start())) {
      invocations.sort((a, b) -> Long.compare(a.start(), b.start())); // stable: equal starts keep their order
    }
  }

  /** Records that {@code inv} (of this stream) finished. */
  void finished(InvocationState inv) {
    if (unfinished.remove(inv)) {
      finished.add(inv);
    }
  }

  /** Drops the earliest-started finished invocations beyond {@link #KEEP_FINISHED}. */
  void trimFinished() {
    for (int i = 0; finished.size() > KEEP_FINISHED && i < invocations.size(); ) {
      InvocationState x = invocations.get(i);
      int k = 0;
      while (k < finished.size() && finished.get(k) != x) {
        k++;
      }
      if (k < finished.size()) {
        invocations.remove(i);
        finished.remove(k);
        if (x == lastReported) {
          lastReported = null;
        }
        if (x == lastJoined) {
          lastJoined = null;
        }
      } else {
        i++;
      }
    }
  }

  boolean hasLive() {
    return !unfinished.isEmpty();
  }

  /** The latest mark at or before {@code ts}, or null. */
  InitMark markBefore(long ts) {
    InitMark best = null;
    for (InitMark m : marks) {
      if (m.ts <= ts && (best == null || m.ts >= best.ts)) {
        best = m;
      }
    }
    return best;
  }

  /** An environment initialisation seen in the stream. */
  static final class InitMark {
    final long ts;
    Double initDurationMs;
    Double restoreDurationMs;
    dev.taillight.collector.parse.PlatformRecord failure;
    InvocationState owner; // the cold invocation it was given to

    InitMark(long ts) {
      this.ts = ts;
    }
  }

  /** A line waiting for an invocation to cover it. */
  record Pending(RawEvent event, ParsedLine parsed, long arrival) {}
}
