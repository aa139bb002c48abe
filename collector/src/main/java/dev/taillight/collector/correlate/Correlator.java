package dev.taillight.collector.correlate;

import static java.util.Objects.requireNonNull;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationListener;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.Pricing;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.SpanData;
import dev.taillight.collector.Trace;
import dev.taillight.collector.TraceIds;
import dev.taillight.collector.correlate.InvocationState.Phase;
import dev.taillight.collector.correlate.StreamState.InitMark;
import dev.taillight.collector.correlate.StreamState.Pending;
import dev.taillight.collector.parse.ParsedLine;
import dev.taillight.collector.parse.PlatformRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Folds parsed lines into invocations, per log stream, and spans into traces.
 *
 * <h2>How lines find their invocation</h2>
 *
 * A Lambda log stream is one execution environment, which runs one invocation at a time. So each stream is a
 * timeline of intervals {@code [START, END/REPORT]}, one per request id, and:
 * <ol>
 *   <li>A line that names a request id (platform lines, {@code ts\treqid\tLEVEL} lines, JSON records with a
 *       request id, span lines through {@code faas.invocation_id}) joins that invocation, wherever it falls.
 *       If the invocation is unknown it is created ({@link InvocationListener#onInvocationStarted}); its START may
 *       still come later.</li>
 *   <li>A line that names none (plain {@code System.out}, stack traces) joins the invocation of its stream whose
 *       <em>closed</em> interval [START, END] contains the line's timestamp: that is final, because the
 *       environment runs one invocation at a time.</li>
 *   <li>Otherwise the line is <em>pending</em>: held in its stream and retried whenever a START, END or REPORT
 *       of that stream arrives. An interval with no END yet is open-ended and not final (CloudWatch delivers out
 *       of order by seconds, across pages: the START of the next invocation may still come), so a line it covers
 *       waits for that END. A line that has waited {@code grace} joins the latest-started invocation whose
 *       interval, open or closed, contains it (so a long-running invocation shows its plain lines {@code grace}
 *       late), or is emitted without a request id when none does (init-phase output, lines between
 *       invocations). Platform lines without a request id (INIT_START, INIT_REPORT, RESTORE_*, EXTENSION) are
 *       never held: they join the covering invocation, or are emitted at once without a request id.</li>
 * </ol>
 *
 * <h2>When an invocation is finished</h2>
 *
 * END or REPORT moves it to <em>closing</em> with a deadline of {@code now + grace} on the injected clock; lines
 * and spans arriving meanwhile still join it. At the deadline ({@link #tick()}) listeners get the final snapshot
 * ({@link InvocationListener#onInvocationFinished}) and the invocation leaves the live set for a bounded set of
 * recent invocations ({@code maxRecent}, oldest dropped first). A line, span or REPORT that arrives later for a
 * recent invocation joins it and the invocation is emitted again at the next tick: <b>listeners may receive
 * onInvocationFinished more than once per request id; the later snapshot replaces the earlier one.</b> An
 * invocation with no END/REPORT is declared LOST when its stream has been quiet for {@code lostAfter}, or when a
 * later invocation of the same stream has finished (the environment runs one at a time; not true for Lambda
 * Managed Instances, where such invocations wait for the quiet timeout instead... and are then LOST too).
 *
 * <h2>Cold starts</h2>
 *
 * INIT_START and RESTORE_START leave an <em>init mark</em> in the stream (INIT_REPORT/RESTORE_REPORT add their
 * durations and failure to the mark). The first invocation that STARTs at or after a mark, with no other START
 * between, is the cold one, whichever of the two lines arrived first. After a timeout or crash the environment is
 * re-initialised with a new INIT_START, so the next invocation is cold again. REPORT's Init/Restore Duration and a
 * span's {@code faas.coldstart} also mark a cold start.
 *
 * <h2>Memory</h2>
 *
 * Live invocations are held until finished; finished ones stay only in the bounded recent set (and in each
 * stream's last few, for late lines); pending lines at most {@code grace}; a stream quiet for {@code lostAfter}
 * with nothing live is dropped; traces are an LRU of {@code maxTraces}.
 *
 * <p>Not thread-safe: one thread at a time (the {@code Collector} serialises callers). Listener exceptions are
 * caught and counted.
 */
public final class Correlator {
  private final LongSupplier clock;
  private final Pricing pricing;
  private final long graceMillis;
  private final long lostAfterMillis;
  private final InvocationListener listener;

  /** The streams by group and stream name ({@link #streamHash}). */
  private final OpenTable<StreamState> streams = new OpenTable<>(64);
  /** The same streams in the order first seen, for the passes over all of them. */
  private final List<StreamState> streamList = new ArrayList<>();
  /** The log group names of the streams, each once. */
  private final Map<String, String> groupNames = new HashMap<>();
  /** The streams holding pending lines: a tick expires those, not every stream's. */
  private final List<StreamState> pendingStreams = new ArrayList<>();
  /**
   * No stream can have been quiet for {@code lostAfter} before this clock time: the pass over all streams that
   * looks for quiet ones waits until then. At most the earliest {@code lastArrival + lostAfter}.
   */
  private long nextQuietCheck = Long.MAX_VALUE;
  /**
   * Every invocation in memory by request id ({@link InvocationState#hash}): the unfinished ones (OPEN, CLOSING) and
   * the last {@code maxRecent} finished ones. One table instead of a live and a recent one: an invocation is put once
   * and removed once.
   */
  private final OpenTable<InvocationState> known = new OpenTable<>(64);
  /** The finished invocations of {@link #known}, oldest first: the first leaves memory when there are too many. */
  private final RecentRing recent = new RecentRing();
  private final int maxRecent;
  private int liveCount;
  /**
   * The last few streams looked up, by the identity of the event's group and stream Strings: events of one
   * invocation usually share those Strings, and several invocations are delivered interleaved.
   */
  private final String[] cachedGroups = new String[STREAM_CACHE];
  private final String[] cachedStreams = new String[STREAM_CACHE];
  private final StreamState[] cachedStates = new StreamState[STREAM_CACHE];
  private int cacheNext;
  private static final int STREAM_CACHE = 8;
  private final ArrayDeque<InvocationState> closing = new ArrayDeque<>();
  private final List<InvocationState> dirty = new ArrayList<>();
  private final TraceIndex traces;
  private StreamState lastStream;

  private long started;
  private long finished;
  private long lost;
  private long updates;
  private long unattributed;
  private long listenerFailures;
  private int pendingCount;

  /**
   * @param clock milliseconds of the injected clock, used for grace and lost timeouts only (never compared with
   *     event timestamps)
   * @param grace how long a finished invocation waits for late lines, and a pending line for an invocation
   * @param lostAfter how long a stream must be quiet before its open invocation is declared LOST
   * @param maxRecent finished invocations kept for late lines and trace queries
   * @param maxTraces traces kept for trace queries
   */
  public Correlator(LongSupplier clock, Pricing pricing, long graceMillis, long lostAfterMillis, int maxRecent,
      int maxTraces, InvocationListener listener) {
    this.clock = requireNonNull(clock, "clock");
    this.pricing = requireNonNull(pricing, "pricing");
    this.graceMillis = graceMillis;
    this.lostAfterMillis = lostAfterMillis;
    this.listener = requireNonNull(listener, "listener");
    this.maxRecent = maxRecent;
    this.traces = new TraceIndex(maxTraces, 10_000);
  }

  /** Correlates one parsed event. */
  public void accept(RawEvent e, ParsedLine p) {
    accept(e, p, clock.getAsLong());
  }

  /** Correlates one parsed event that arrived at {@code now}, a reading of this correlator's clock. */
  public void accept(RawEvent e, ParsedLine p, long now) {
    StreamState st = stream(e.logGroup(), e.logStream());
    st.lastArrival = now;
    long quietAt = saturatedAdd(now, lostAfterMillis);
    if (quietAt < nextQuietCheck) {
      nextQuietCheck = quietAt;
    }
    switch (p.kind()) {
      case PLATFORM -> platform(st, e, p, now);
      case SPAN -> span(st, e, p, now);
      default -> app(st, e, p, now);
    }
  }

  // ---- application lines

  private void app(StreamState st, RawEvent e, ParsedLine p, long now) {
    InvocationState inv = p.requestId() != null ? findOrCreate(p.requestId(), st, e.timestamp())
        : closedCovering(st, e.timestamp());
    if (inv == null) {
      st.pending.add(new Pending(e, p, now)); // its LogLine is made when it is placed or given up on
      pendingCount++;
      if (!st.inPendingList) {
        st.inPendingList = true;
        pendingStreams.add(st);
      }
      return;
    }
    if (p.errorType() != null) {
      inv.appErrorType = p.errorType();
      inv.appErrorMessage = p.errorMessage();
    }
    attach(inv, e, p);
  }

  // ---- span lines

  private void span(StreamState st, RawEvent e, ParsedLine p, long now) {
    InvocationState inv = p.requestId() != null ? findOrCreate(p.requestId(), st, e.timestamp())
        : st.covering(e.timestamp());
    List<SpanData> spans = p.spans(); // by index: no iterator to allocate
    if (inv == null) {
      for (int i = 0; i < spans.size(); i++) {
        SpanData s = spans.get(i);
        traces.addSpan(s, s.invocationId());
        emitSpan(s);
      }
      emitLine(line(st, e, p, null));
      unattributed++;
      return;
    }
    attach(inv, e, p);
    for (int i = 0; i < spans.size(); i++) {
      SpanData s = spans.get(i);
      if (inv.addSpan(s)) {
        inv.traceEntry = traces.addSpan(s, inv.requestId);
        emitSpan(s);
      }
    }
    changed(inv);
  }

  // ---- platform lines

  private void platform(StreamState st, RawEvent e, ParsedLine p, long now) {
    PlatformRecord r = p.platform();
    long ts = e.timestamp();
    InvocationState inv;
    switch (r.type()) {
      case START -> {
        inv = findOrCreate(r.requestId(), st, ts);
        if (!inv.hasStart() || ts < inv.startTs) {
          inv.startTs = ts;
          st.resort(inv);
        }
        attach(inv, e, p);
        InitMark m = st.markBefore(inv.start());
        if (m != null && (m.owner == null || !m.owner.hasStart() || m.owner.startTs > inv.startTs)) {
          assignMark(st, m); // only an earlier START than the mark's owner changes who is cold
        }
        retryPending(st);
      }
      case END -> {
        inv = findOrCreate(r.requestId(), st, ts);
        inv.ended = true;
        inv.end(ts);
        attach(inv, e, p);
        close(inv, now);
        retryPending(st);
      }
      case REPORT -> {
        inv = findOrCreate(r.requestId(), st, ts);
        if (inv.lost) {
          inv.lost = false; // its REPORT was only late
          lost--;
        }
        inv.applyReport(r, ts);
        if (r.traceId() != null) {
          traces.addInvocation(r.traceId(), inv.requestId, inv.traceEntry);
        }
        st.lastReported = inv;
        attach(inv, e, p);
        close(inv, now);
        retryPending(st);
      }
      case XRAY -> {
        inv = st.lastReported != null ? st.lastReported : st.covering(ts);
        if (inv != null && r.traceId() != null && inv.reportTraceId == null) {
          inv.reportTraceId = r.traceId();
          traces.addInvocation(r.traceId(), inv.requestId, inv.traceEntry);
          changed(inv);
        }
        attachOrUnattributed(st, inv, e, p);
      }
      case TIMEOUT -> {
        inv = r.requestId() != null ? findOrCreate(r.requestId(), st, ts) : st.covering(ts);
        if (inv != null) {
          inv.timedOut = true;
          inv.timeoutMessage = r.errorMessage();
        }
        attachOrUnattributed(st, inv, e, p);
      }
      case RUNTIME_EXIT -> {
        inv = r.requestId() != null ? findOrCreate(r.requestId(), st, ts) : st.covering(ts);
        if (inv != null) {
          inv.crashType = r.errorType();
          inv.crashMessage = r.errorMessage();
        }
        attachOrUnattributed(st, inv, e, p);
      }
      case RUNTIME_DONE -> {
        inv = r.requestId() != null ? findOrCreate(r.requestId(), st, ts) : st.covering(ts);
        if (inv != null) {
          if ("timeout".equals(r.status())) {
            inv.timedOut = true;
          } else if (r.errorType() != null && inv.reportErrorType == null) {
            inv.reportErrorType = r.errorType();
          }
        }
        attachOrUnattributed(st, inv, e, p);
      }
      case INIT_START, RESTORE_START -> {
        InitMark m = null;
        for (int i = 0; i < st.markCount(); i++) {
          InitMark x = st.mark(i);
          // a report that arrived before its start line: same initialisation if no invocation began in between
          if (x.ts >= ts && x.owner == null && !startedBetween(st, ts, x.ts)) {
            m = x;
          }
        }
        if (m == null) {
          m = new InitMark(ts);
          st.addMark(m);
        }
        assignMark(st, m);
        attachOrUnattributed(st, st.covering(ts), e, p);
      }
      case INIT_REPORT, RESTORE_REPORT -> {
        InvocationState covering = st.covering(ts);
        if (r.type() == PlatformRecord.Type.INIT_REPORT && "invoke".equals(r.phase()) && covering != null) {
          // the environment initialised again inside this invocation (after a failed or suppressed init)
          covering.coldFromInit = true;
          if (covering.initDurationMs == null) {
            covering.initDurationMs = r.initDurationMs();
          }
          if (r.failed()) {
            covering.initFailure = r;
          }
          changed(covering);
        } else {
          InitMark m = st.markBefore(ts);
          if (m == null || (m.owner != null && m.owner.start() <= ts)) {
            m = new InitMark(ts);
            st.addMark(m);
          }
          if (r.type() == PlatformRecord.Type.INIT_REPORT) {
            m.initDurationMs = r.initDurationMs();
            if (r.failed()) {
              m.failure = r;
            }
          } else {
            m.restoreDurationMs = r.restoreDurationMs();
          }
          assignMark(st, m);
        }
        attachOrUnattributed(st, covering, e, p);
      }
      default -> attachOrUnattributed(st, st.covering(ts), e, p);
    }
  }

  private static boolean startedBetween(StreamState st, long from, long to) {
    for (int i = 0; i < st.invocationCount(); i++) {
      InvocationState x = st.invocation(i);
      if (x.hasStart() && x.startTs >= from && x.startTs < to) {
        return true;
      }
    }
    return false;
  }

  /** Gives an init mark to the first invocation that STARTed at or after it, if no other START came between. */
  private void assignMark(StreamState st, InitMark m) {
    InvocationState first = null;
    for (int i = 0; i < st.invocationCount(); i++) {
      InvocationState x = st.invocation(i);
      if (x.hasStart() && x.startTs >= m.ts && (first == null || x.startTs < first.startTs)) {
        first = x;
      }
    }
    if (m.owner != null && m.owner.hasStart() && (first == null || m.owner.startTs <= first.startTs)) {
      first = m.owner; // already given to the earliest START after it (which may have left the stream's window)
    }
    if (first == null) {
      return;
    }
    for (int i = 0; i < st.markCount(); i++) {
      InitMark other = st.mark(i);
      if (other != m && other.ts > m.ts && other.ts <= first.startTs) {
        return; // a later initialisation is the one this invocation started from
      }
    }
    if (m.owner != null && m.owner != first) {
      m.owner.coldFromInit = false;
      changed(m.owner);
    }
    m.owner = first;
    boolean change = !first.coldFromInit;
    first.coldFromInit = true;
    if (m.initDurationMs != null && first.initDurationMs == null) {
      first.initDurationMs = m.initDurationMs;
      change = true;
    }
    if (m.restoreDurationMs != null && first.restoreDurationMs == null) {
      first.restoreDurationMs = m.restoreDurationMs;
      change = true;
    }
    if (m.failure != null && first.initFailure != m.failure) {
      first.initFailure = m.failure;
      change = true;
    }
    if (change) {
      changed(first);
    }
  }

  // ---- attaching and emitting

  private void attachOrUnattributed(StreamState st, InvocationState inv, RawEvent e, ParsedLine p) {
    if (inv != null) {
      attach(inv, e, p);
    } else {
      emitLine(line(st, e, p, null));
      unattributed++;
    }
  }

  private void attach(InvocationState inv, RawEvent e, ParsedLine p) {
    LogLine line = line(inv.stream, e, p, inv.requestId);
    long start = inv.start();
    inv.addLine(line);
    if (inv.start() != start) {
      inv.stream.resort(inv); // an invocation known only from its lines got an earlier one: keep the order by start
    }
    changed(inv);
    emitLine(line);
  }

  /** Marks a finished invocation for re-emission at the next tick. */
  private void changed(InvocationState inv) {
    if (inv.phase == Phase.FINISHED && !inv.dirty) {
      inv.dirty = true;
      dirty.add(inv);
    }
  }

  private static LogLine line(StreamState st, RawEvent e, ParsedLine p, String requestId) {
    return new LogLine(e, st.function, p.kind(), p.level(), requestId, p.text());
  }

  private InvocationState findOrCreate(String requestId, StreamState st, long ts) {
    // lines naming a request id mostly follow one another in their stream; an unfinished invocation is in `known`
    // (the tail of its id, kept in the stream, tells most new request ids without reading that invocation, by then
    // long out of the CPU's caches)
    long tail = tail(requestId);
    InvocationState inv = st.lastJoined;
    if (inv != null && st.lastJoinedTail == tail && inv.phase != Phase.FINISHED && inv.requestId.equals(requestId)) {
      return inv;
    }
    int h = OpenTable.hash(requestId);
    inv = known(requestId, h);
    if (inv == null) {
      inv = create(requestId, h, st, ts);
    }
    st.lastJoined = inv;
    st.lastJoinedTail = tail;
    return inv;
  }

  /** The last four characters of an id packed in a long (with its length when shorter): ids that differ there differ. */
  static long tail(String id) {
    int n = id.length();
    long t = n;
    for (int i = Math.max(0, n - 4); i < n; i++) {
      t = (t << 16) | id.charAt(i);
    }
    return t;
  }

  private InvocationState known(String requestId, int h) {
    for (int i = known.first(h); known.at(i) != null; i = known.next(i)) {
      if (known.hashAt(i) == h && known.at(i).requestId.equals(requestId)) {
        return known.at(i);
      }
    }
    return null;
  }

  private InvocationState create(String requestId, int h, StreamState st, long ts) {
    InvocationState inv = new InvocationState(st, requestId, h, ts);
    known.add(inv, h);
    liveCount++;
    st.add(inv);
    started++;
    Invocation snapshot = inv.started();
    try {
      listener.onInvocationStarted(snapshot);
    } catch (RuntimeException ex) {
      listenerFailures++;
    }
    return inv;
  }

  private void close(InvocationState inv, long now) {
    if (inv.phase == Phase.OPEN) {
      inv.phase = Phase.CLOSING;
      inv.stream.openCount--;
      inv.deadline = now + graceMillis;
      closing.add(inv);
    } else {
      changed(inv);
    }
  }

  private void retryPending(StreamState st) {
    if (st.pending.isEmpty()) {
      return;
    }
    for (Iterator<Pending> it = st.pending.iterator(); it.hasNext(); ) {
      Pending pd = it.next();
      InvocationState inv = closedCovering(st, pd.event().timestamp());
      if (inv != null) {
        it.remove();
        pendingCount--;
        if (pd.parsed().errorType() != null) {
          inv.appErrorType = pd.parsed().errorType();
          inv.appErrorMessage = pd.parsed().errorMessage();
        }
        attach(inv, pd.event(), pd.parsed());
      }
    }
  }

  /**
   * The invocation whose closed interval [START, END] contains {@code ts}: final, since an environment runs one
   * invocation at a time. An open interval (no END yet) is not final: a START delivered late may still split it,
   * so lines it covers wait (at most {@code grace}) in the stream's pending lines.
   */
  private static InvocationState closedCovering(StreamState st, long ts) {
    InvocationState inv = st.covering(ts);
    return inv != null && inv.hasEnd() ? inv : null;
  }

  private void emitLine(LogLine line) {
    try {
      listener.onLine(line);
    } catch (RuntimeException ex) {
      listenerFailures++;
    }
  }

  private void emitSpan(SpanData span) {
    try {
      listener.onSpan(span);
    } catch (RuntimeException ex) {
      listenerFailures++;
    }
  }

  private void emitFinished(InvocationState inv) {
    inv.dirty = false;
    Invocation snapshot = inv.snapshot(pricing);
    try {
      listener.onInvocationFinished(snapshot);
    } catch (RuntimeException ex) {
      listenerFailures++;
    }
  }

  private void finish(InvocationState inv) {
    if (inv.phase == Phase.FINISHED) {
      return;
    }
    if (inv.phase == Phase.OPEN) {
      inv.stream.openCount--;
    }
    inv.phase = Phase.FINISHED;
    liveCount--;
    recent.add(inv);
    while (recent.size() > maxRecent) {
      // by the hash kept in the ring: the invocation leaving is long out of the CPU's caches
      int h = recent.oldestHash();
      known.remove(recent.removeOldest(), h);
    }
    finished++;
    emitFinished(inv);
    StreamState st = inv.stream;
    st.finished(inv);
    // the environment runs one invocation at a time: an older one still open will not end any more
    InvocationState older = null;
    for (int i = 0; st.openCount > 0 && i < st.unfinishedCount() && older == null; i++) {
      InvocationState other = st.unfinished(i);
      if (other.phase == Phase.OPEN && other.start() < inv.start()) {
        older = other;
      }
    }
    if (older != null) {
      for (InvocationState other : st.invocationsCopy()) {
        if (other != inv && other.phase == Phase.OPEN && other.start() < inv.start()) {
          declareLost(other);
        }
      }
    }
    st.trimFinished();
  }

  private void declareLost(InvocationState inv) {
    inv.lost = true;
    lost++;
    finish(inv);
  }

  // ---- time

  /** Emits what is due by the clock: invocations past their grace, expired pending lines, LOST invocations. */
  public void tick() {
    long now = clock.getAsLong();
    while (!closing.isEmpty() && (closing.peekFirst().deadline <= now
        || closing.peekFirst().phase == Phase.FINISHED)) {
      finish(closing.pollFirst());
    }
    expirePending(now, false);
    if (now >= nextQuietCheck) {
      quietStreams(now);
    }
    emitDirty();
  }

  /** Expires the pending lines due at {@code now} (all of them if {@code all}), in the streams holding some. */
  private void expirePending(long now, boolean all) {
    if (pendingStreams.isEmpty()) {
      return;
    }
    int kept = 0;
    for (int i = 0; i < pendingStreams.size(); i++) {
      StreamState st = pendingStreams.get(i);
      expirePending(st, now, all);
      if (st.pending.isEmpty()) {
        st.inPendingList = false;
      } else {
        pendingStreams.set(kept++, st);
      }
    }
    pendingStreams.subList(kept, pendingStreams.size()).clear();
  }

  /**
   * Declares LOST the open invocations of streams quiet for {@code lostAfter}, and forgets quiet streams that hold
   * nothing any more.
   */
  private void quietStreams(long now) {
    long next = Long.MAX_VALUE;
    int kept = 0;
    for (int i = 0; i < streamList.size(); i++) {
      StreamState st = streamList.get(i);
      boolean quiet = now - st.lastArrival >= lostAfterMillis;
      if (quiet) {
        for (InvocationState inv : st.invocationsCopy()) {
          if (inv.phase == Phase.OPEN) {
            declareLost(inv);
          }
        }
        if (!st.hasLive() && st.pending.isEmpty()) {
          streams.remove(st, st.hash);
          if (st == lastStream) {
            lastStream = null;
          }
          uncache(st);
          continue;
        }
      }
      next = Math.min(next, saturatedAdd(st.lastArrival, lostAfterMillis));
      streamList.set(kept++, st);
    }
    if (kept < streamList.size()) {
      streamList.subList(kept, streamList.size()).clear();
      groupNames.clear(); // keep the names of the groups that still have streams
      for (StreamState st : streamList) {
        groupNames.putIfAbsent(st.logGroup, st.logGroup);
      }
    }
    nextQuietCheck = next;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? (b < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }

  /**
   * Emits everything that is only waiting for time: closing invocations and pending lines, now. Open invocations
   * stay open.
   */
  public void flush() {
    while (!closing.isEmpty()) {
      finish(closing.pollFirst());
    }
    expirePending(0, true);
    emitDirty();
  }

  /**
   * No more events will come (the end of a file): flushes, then declares every invocation still open LOST.
   */
  public void finishAll() {
    flush();
    List<InvocationState> open = new ArrayList<>();
    for (InvocationState inv : known.values()) {
      if (inv.phase == Phase.OPEN) {
        open.add(inv);
      }
    }
    open.sort((a, b) -> Long.compare(a.start(), b.start())); // a stable order: by start, then as created
    for (InvocationState inv : open) {
      if (inv.phase == Phase.OPEN) {
        declareLost(inv);
      }
    }
    flush();
  }

  private void expirePending(StreamState st, long now, boolean all) {
    while (!st.pending.isEmpty() && (all || st.pending.peekFirst().arrival() + graceMillis <= now)) {
      Pending pd = st.pending.pollFirst();
      pendingCount--;
      InvocationState inv = st.covering(pd.event().timestamp());
      if (inv != null) {
        attach(inv, pd.event(), pd.parsed());
      } else {
        emitLine(line(st, pd.event(), pd.parsed(), null));
        unattributed++;
      }
    }
  }

  private void emitDirty() {
    if (dirty.isEmpty()) {
      return;
    }
    List<InvocationState> copy = new ArrayList<>(dirty);
    dirty.clear();
    for (InvocationState inv : copy) {
      if (inv.dirty) {
        updates++;
        emitFinished(inv);
      }
    }
  }

  // ---- queries

  /** The trace with this id (X-Ray or W3C form) from what was seen recently, or empty. */
  public Optional<Trace> trace(String id) {
    String traceId = TraceIds.normalize(id);
    if (traceId == null) {
      return Optional.empty();
    }
    TraceIndex.Entry e = traces.get(traceId);
    if (e == null) {
      return Optional.empty();
    }
    List<Invocation> invocations = new ArrayList<>();
    for (String rid : e.requestIds()) {
      InvocationState inv = known(rid, OpenTable.hash(rid));
      if (inv != null) {
        invocations.add(inv.snapshot(pricing));
      }
    }
    return Optional.of(new Trace(traceId, e.spans.toList(), invocations));
  }

  /** The current snapshot of an invocation still in memory (live or recent), or empty. */
  public Optional<Invocation> invocation(String requestId) {
    InvocationState inv = requestId == null ? null : known(requestId, OpenTable.hash(requestId));
    return inv == null ? Optional.empty() : Optional.of(inv.snapshot(pricing));
  }

  /** Snapshots of the invocations not finished yet (running or in their grace period), by start time. */
  public List<Invocation> live() {
    List<Invocation> out = new ArrayList<>(liveCount);
    for (InvocationState inv : known.values()) {
      if (inv.phase != Phase.FINISHED) {
        out.add(inv.snapshot(pricing));
      }
    }
    out.sort((a, b) -> Long.compare(a.startTime(), b.startTime()));
    return out;
  }

  public long started() {
    return started;
  }

  public long finished() {
    return finished;
  }

  public long lost() {
    return lost;
  }

  public long updates() {
    return updates;
  }

  public long unattributed() {
    return unattributed;
  }

  public long listenerFailures() {
    return listenerFailures;
  }

  public int liveCount() {
    return liveCount;
  }

  public int pendingCount() {
    return pendingCount;
  }

  // ---- streams

  private StreamState stream(String group, String stream) {
    for (int i = 0; i < STREAM_CACHE; i++) {
      if (cachedStreams[i] == stream && cachedGroups[i] == group) {
        return cachedStates[i];
      }
    }
    StreamState st = streamByName(group, stream);
    int slot = cacheNext;
    cacheNext = (slot + 1) & (STREAM_CACHE - 1);
    cachedGroups[slot] = group;
    cachedStreams[slot] = stream;
    cachedStates[slot] = st;
    return st;
  }

  private void uncache(StreamState st) {
    for (int i = 0; i < STREAM_CACHE; i++) {
      if (cachedStates[i] == st) {
        cachedGroups[i] = null;
        cachedStreams[i] = null;
        cachedStates[i] = null;
      }
    }
  }

  private StreamState streamByName(String group, String stream) {
    int h = streamHash(group, stream);
    StreamState last = lastStream;
    if (last != null && last.hash == h && last.logStream.equals(stream) && last.logGroup.equals(group)) {
      return last;
    }
    StreamState st = null;
    for (int i = streams.first(h); streams.at(i) != null; i = streams.next(i)) {
      StreamState x = streams.at(i);
      if (streams.hashAt(i) == h && x.logStream.equals(stream) && x.logGroup.equals(group)) {
        st = x;
        break;
      }
    }
    if (st == null) {
      // one String per group for all its streams: comparing it on lookups reads memory the other streams keep warm
      String canonical = groupNames.computeIfAbsent(group, g -> g);
      st = new StreamState(canonical, stream, functionName(canonical), h);
      streams.add(st, h);
      streamList.add(st);
    }
    lastStream = st;
    return st;
  }

  private static int streamHash(String group, String stream) {
    return OpenTable.mix(OpenTable.hash(stream) * 31 + OpenTable.hash(group));
  }

  /** The function name of a log group: {@code /aws/lambda/NAME} gives NAME, any other group is its own name. */
  public static String functionName(String logGroup) {
    return logGroup.startsWith("/aws/lambda/") && logGroup.length() > 12 ? logGroup.substring(12) : logGroup;
  }

  /** The finished invocations kept, oldest first, with their hashes: a ring that grows as needed. */
  private static final class RecentRing {
    private InvocationState[] invocations = new InvocationState[64];
    private int[] hashes = new int[64];
    private int head;
    private int size;

    int size() {
      return size;
    }

    void add(InvocationState inv) {
      if (size == invocations.length) {
        InvocationState[] i2 = new InvocationState[size * 2];
        int[] h2 = new int[size * 2];
        for (int k = 0; k < size; k++) {
          i2[k] = invocations[(head + k) % size];
          h2[k] = hashes[(head + k) % size];
        }
        invocations = i2;
        hashes = h2;
        head = 0;
      }
      int slot = (head + size) % invocations.length;
      invocations[slot] = inv;
      hashes[slot] = inv.hash;
      size++;
    }

    int oldestHash() {
      return hashes[head];
    }

    InvocationState removeOldest() {
      InvocationState inv = invocations[head];
      invocations[head] = null;
      head = (head + 1) % invocations.length;
      size--;
      return inv;
    }
  }
}
