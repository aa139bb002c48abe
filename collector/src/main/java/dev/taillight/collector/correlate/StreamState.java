package dev.taillight.collector.correlate;

import dev.taillight.collector.RawEvent;
import dev.taillight.collector.parse.ParsedLine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
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
  /*
   * Three lists of this stream's invocations, held as arrays in the stream itself (not ArrayLists: one object fewer
   * to fetch when a stream, by then out of the CPU's caches, gets its next invocation or sees one finish).
   */
  /** Invocations of this stream in memory (live and a few finished), ordered by start: {@code [0, count)}. */
  private InvocationState[] invocations = new InvocationState[KEEP_FINISHED + 4];
  private int count;
  /**
   * Those of {@link #invocations} not finished yet (OPEN or CLOSING), in the order created: the check for older open
   * invocations reads these few instead of every invocation kept.
   */
  private InvocationState[] unfinished = new InvocationState[4];
  private int unfinishedCount;
  /**
   * Those of {@link #invocations} that are FINISHED, in the order they finished: trimming tells them apart by
   * reference, without reading the invocations (long out of the CPU's caches by then).
   */
  private InvocationState[] finished = new InvocationState[KEEP_FINISHED + 1];
  private int finishedCount;
  /** How many of the unfinished invocations are OPEN: when none is, a finished one leaves no older one open. */
  int openCount;
  /** The invocation the last line naming a request id joined: the next such line usually joins it too. */
  InvocationState lastJoined;
  /** {@link Correlator#tail} of the request id of {@link #lastJoined}. */
  long lastJoinedTail;
  /** Whether the stream is in the correlator's list of streams holding pending lines. */
  boolean inPendingList;
  /** Environment (re)initialisations: INIT_START / RESTORE_START and what their reports said. */
  /** The marks in the order seen, the oldest dropped beyond {@link #KEEP_MARKS}: {@code marks[0, markCount)}. */
  private final InitMark[] marks = new InitMark[KEEP_MARKS];
  private int markCount;
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

  /** How many invocations of this stream are in memory. */
  int invocationCount() {
    return count;
  }

  /** The {@code i}th invocation in memory, by start. */
  InvocationState invocation(int i) {
    return invocations[i];
  }

  /** A copy of the invocations in memory, by start (to change them while going through them). */
  List<InvocationState> invocationsCopy() {
    return new ArrayList<>(Arrays.asList(invocations).subList(0, count));
  }

  int unfinishedCount() {
    return unfinishedCount;
  }

  InvocationState unfinished(int i) {
    return unfinished[i];
  }

  /** The latest-started invocation whose [start, end] contains {@code ts}, or null. */
  InvocationState covering(long ts) {
    // ordered by start: the first from the end that covers ts is the latest-started one
    for (int i = count - 1; i >= 0; i--) {
      InvocationState inv = invocations[i];
      if (inv.covers(ts)) {
        return inv;
      }
    }
    return null;
  }

  void add(InvocationState inv) {
    int i = count;
    long start = inv.start();
    while (i > 0 && invocations[i - 1].start() > start) {
      i--;
    }
    if (count == invocations.length) {
      invocations = Arrays.copyOf(invocations, count * 2);
    }
    System.arraycopy(invocations, i, invocations, i + 1, count - i);
    invocations[i] = inv;
    count++;
    if (inv.phase != InvocationState.Phase.FINISHED) {
      if (unfinishedCount == unfinished.length) {
        unfinished = Arrays.copyOf(unfinished, unfinishedCount * 2);
      }
      unfinished[unfinishedCount++] = inv;
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
    int i = count - 1;
    while (i >= 0 && invocations[i] != inv) {
      i--;
    }
    if (i < 0) {
      return;
    }
    long start = inv.start();
    if ((i > 0 && invocations[i - 1].start() > start) || (i < count - 1 && start > invocations[i + 1].start())) {
      // stable: equal starts keep their order
      Arrays.sort(invocations, 0, count, (a, b) -> Long.compare(a.start(), b.start()));
    }
  }

  /** Records that {@code inv} (of this stream) finished. */
  void finished(InvocationState inv) {
    int k = indexOf(unfinished, unfinishedCount, inv);
    if (k < 0) {
      return;
    }
    System.arraycopy(unfinished, k + 1, unfinished, k, unfinishedCount - k - 1);
    unfinished[--unfinishedCount] = null;
    if (finishedCount == finished.length) {
      finished = Arrays.copyOf(finished, finishedCount * 2);
    }
    finished[finishedCount++] = inv;
  }

  /** Drops the earliest-started finished invocations beyond {@link #KEEP_FINISHED}. */
  void trimFinished() {
    for (int i = 0; finishedCount > KEEP_FINISHED && i < count; ) {
      InvocationState x = invocations[i];
      int k = indexOf(finished, finishedCount, x);
      if (k >= 0) {
        System.arraycopy(invocations, i + 1, invocations, i, count - i - 1);
        invocations[--count] = null;
        System.arraycopy(finished, k + 1, finished, k, finishedCount - k - 1);
        finished[--finishedCount] = null;
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

  /** The index of {@code x} in {@code a[0, n)}, compared by reference, or -1. */
  private static int indexOf(InvocationState[] a, int n, InvocationState x) {
    for (int i = 0; i < n; i++) {
      if (a[i] == x) {
        return i;
      }
    }
    return -1;
  }

  boolean hasLive() {
    return unfinishedCount > 0;
  }

  int markCount() {
    return markCount;
  }

  InitMark mark(int i) {
    return marks[i];
  }

  /** Adds a mark; the oldest added leaves beyond {@link #KEEP_MARKS}. */
  void addMark(InitMark m) {
    if (markCount == KEEP_MARKS) {
      System.arraycopy(marks, 1, marks, 0, KEEP_MARKS - 1);
      markCount--;
    }
    marks[markCount++] = m;
  }

  /** The latest mark at or before {@code ts}, or null. */
  InitMark markBefore(long ts) {
    InitMark best = null;
    for (int i = 0; i < markCount; i++) {
      InitMark m = marks[i];
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
