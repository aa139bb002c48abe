package dev.taillight.collector.store;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.SpanData;
import dev.taillight.collector.TraceIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Data items of one write transaction, encoded without the database (so a thread other than the writer can do
 * it): lines grouped per log stream, sorted, de-duplicated within the batch and packed into compressed blocks
 * with their full-text documents; the winning snapshot of each invocation and span, span attributes as JSON.
 * The writer then only resolves names, drops lines already stored (re-encoding the few series that had such
 * lines) and runs the SQL.
 *
 * <p>A transaction may come in several parts (see {@link #encodeParts}) so that the writer starts on the first
 * while the encoder still works on the next; the writer commits after the part marked {@link #last}.
 */
final class Batch {
  /**
   * The items as recorded, for writing them one by one when the transaction as a whole cannot be written; of a
   * transaction in several parts, each item is in exactly one part's list.
   */
  final List<Object> items;
  /** Whether this is the last part of its transaction: the writer commits after it. */
  boolean last;
  final List<Invocation> invocations = new ArrayList<>();
  /** Normalised trace id of each of {@link #invocations}. */
  final List<String> invocationTraces = new ArrayList<>();
  final List<Span> spans = new ArrayList<>();
  final List<PullCheckpoint> checkpoints = new ArrayList<>();
  final List<Series> series = new ArrayList<>();

  /** A span row ready to bind. */
  record Span(SpanData span, String trace, String attrs, String events, String links, boolean warning) {}

  /**
   * The new lines of one (log group, stream, function) in this batch: in time order (arrival order within a
   * millisecond), each event once, and the blocks they are packed into (with the keys of each block's last
   * millisecond, see {@link StoreWriter.Keys#last}).
   */
  record Series(String group, String stream, String function, List<BlockCodec.Row> rows,
      List<Blocks.Prepared> blocks, List<StoreWriter.Keys> keys) {

    /** Packs rows (in time order, no repeats) into block-sized, encoded blocks. */
    static Series of(String group, String stream, String function, List<BlockCodec.Row> rows, BlockCodec codec) {
      List<Blocks.Prepared> blocks = new ArrayList<>();
      List<StoreWriter.Keys> keys = new ArrayList<>();
      for (List<BlockCodec.Row> chunk : Blocks.chunks(rows)) {
        blocks.add(Blocks.prepare(codec, chunk));
        keys.add(StoreWriter.Keys.last(chunk));
      }
      return new Series(group, stream, function, rows, blocks, keys);
    }
  }

  private Batch(List<Object> items) {
    this.items = items;
  }

  /** Receives the parts of a transaction as they are encoded. */
  interface Parts {
    void accept(Batch part) throws InterruptedException;
  }

  /** Encodes data items (no control requests) as one whole transaction; {@code codec} is used by this thread only. */
  static Batch encode(List<Object> items, BlockCodec codec) {
    Batch[] out = new Batch[1];
    try {
      encodeParts(items, codec, Integer.MAX_VALUE, true, part -> out[0] = part);
    } catch (InterruptedException e) {
      throw new AssertionError(e); // this sink never waits
    }
    return out[0];
  }

  /**
   * Encodes data items (no control requests) as one or more parts, handing each to {@code parts} before encoding
   * the next: the first part holds the invocations, spans and checkpoints and, like every later part, the lines
   * of whole log streams until it has at least {@code linesPerPart} lines. When {@code endsTransaction}, the last
   * part ends the transaction. At least one part is always handed over. The first part's {@link #items} are all
   * of {@code items}; the later parts' are empty. {@code codec} is used by this thread only.
   */
  static void encodeParts(List<Object> items, BlockCodec codec, int linesPerPart, boolean endsTransaction,
      Parts parts) throws InterruptedException {
    Batch b = new Batch(items);
    // snapshots of one invocation (running, then finished) and lines of one span within a batch: only the one
    // that would win in the database is written
    Map<String, Invocation> invocations = new LinkedHashMap<>();
    Map<String, SpanData> spans = new LinkedHashMap<>();
    Map<StreamKey, List<LogLine>> groups = new LinkedHashMap<>();
    StreamKey last = null;
    List<LogLine> lastGroup = null;
    for (Object o : items) {
      if (o instanceof LogLine line) {
        RawEvent e = line.event();
        if (last == null || !last.is(e.logGroup(), e.logStream(), line.function())) {
          last = new StreamKey(e.logGroup(), e.logStream(), line.function());
          lastGroup = groups.computeIfAbsent(last, k -> new ArrayList<>());
        }
        lastGroup.add(line);
      } else if (o instanceof Invocation inv) {
        invocations.merge(inv.requestId() + '\n' + inv.logGroup() + '\n' + inv.logStream(), inv,
            (old, neu) -> old.status().finished() && !neu.status().finished() ? old : neu);
      } else if (o instanceof SpanData span) {
        spans.merge(span.traceId() + '\n' + span.spanId(), span,
            (old, neu) -> isWarning(neu) && !isWarning(old) ? old : neu);
      } else if (o instanceof PullCheckpoint cp) {
        b.checkpoints.add(cp);
      } else {
        throw new IllegalArgumentException("cannot record " + o);
      }
    }
    for (Invocation inv : invocations.values()) {
      b.invocations.add(inv);
      String trace = TraceIds.normalize(inv.traceId());
      b.invocationTraces.add(trace != null ? trace : inv.traceId());
    }
    for (SpanData span : spans.values()) {
      String trace = TraceIds.normalize(span.traceId());
      b.spans.add(new Span(span, trace != null ? trace : String.valueOf(span.traceId()),
          Codec.attrs(span.attributes()), Codec.events(span.events()), Codec.links(span.links()), isWarning(span)));
    }
    int lines = 0;
    for (Map.Entry<StreamKey, List<LogLine>> g : groups.entrySet()) {
      if (lines >= linesPerPart) {
        parts.accept(b);
        b = new Batch(List.of());
        lines = 0;
      }
      List<LogLine> group = g.getValue();
      lines += group.size();
      group.sort(java.util.Comparator.comparingLong(LogLine::timestamp)); // stable: arrival order within a ms
      List<BlockCodec.Row> rows = new ArrayList<>(group.size());
      for (int i = 0; i < group.size(); i++) {
        LogLine line = group.get(i);
        if (repeatsEarlier(group, i)) {
          continue;
        }
        RawEvent e = line.event();
        rows.add(new BlockCodec.Row(e.timestamp(), e.ingestionTime(), e.eventId(), Codec.kindCode(line),
            line.level(), line.requestId(), e.message(), line.text()));
      }
      StreamKey k = g.getKey();
      b.series.add(Series.of(k.group(), k.stream(), k.function(), rows, codec));
    }
    b.last = endsTransaction;
    parts.accept(b);
  }

  static boolean isWarning(SpanData span) {
    return Boolean.TRUE.equals(span.attributes().get("aws.lambda.timeout_warning"));
  }

  /** Whether an earlier line of the (time-sorted) group is the same event as line {@code i}. */
  private static boolean repeatsEarlier(List<LogLine> group, int i) {
    RawEvent e = group.get(i).event();
    for (int j = i - 1; j >= 0 && group.get(j).timestamp() == e.timestamp(); j--) {
      if (group.get(j).event().eventId().equals(e.eventId())) {
        return true;
      }
    }
    return false;
  }

  private record StreamKey(String group, String stream, String function) {
    boolean is(String g, String s, String f) {
      return java.util.Objects.equals(group, g) && java.util.Objects.equals(stream, s)
          && java.util.Objects.equals(function, f);
    }
  }
}
