package dev.taillight.collector.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Packs the lines of one block (one log stream, in time order) into one compressed byte array and back.
 *
 * <p>A block is two compressed parts, so text search reads and inflates only the first. Part one, column by
 * column so that similar values sit together: format byte, line count, the first timestamp then the deltas,
 * ingestion times as offsets from the timestamp, kind codes, levels, the block's distinct request ids then each
 * line's index into them, and the messages of searchable lines. Part two: event ids, the messages of the other
 * lines (span lines, START/END/REPORT), and texts (only where a line's text differs from its message).
 * Numbers are variable-length, strings are UTF-8 with their length in front; each part is compressed with
 * {@link Deflater} (fastest level). Format 1 (everything in one part) is still read.
 */
final class BlockCodec {
  private static final int FORMAT = 2;

  /** One stored line of a block, as the index keeps it. */
  record Row(long ts, long ingest, String eventId, int kind, String level, String requestId, String message,
      String text) {

    /** Whether the full-text index holds this line (see {@link Codec#kindCode}). */
    boolean searchable() {
      return kind == 0 || kind == 2;
    }
  }

  /** A block as stored: {@code data} is all that text search reads, {@code more} the rest (null in format 1). */
  record Encoded(byte[] data, byte[] more) {}

  private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
  private final Inflater inflater = new Inflater();
  private final Out out = new Out();
  private byte[] buffer = new byte[1 << 16];
  private final Words.Distinct words = new Words.Distinct();

  /** Scratch space for collecting a block's words on the thread that uses this codec. */
  Words.Distinct words() {
    return words;
  }

  /** Encodes rows (in time order) into a compressed block; not thread-safe. */
  Encoded encode(List<Row> rows) {
    Out o = out;
    o.reset();
    o.varint(FORMAT);
    o.varint(rows.size());
    long prev = rows.isEmpty() ? 0 : rows.get(0).ts();
    o.zigzag(prev);
    for (int i = 1; i < rows.size(); i++) {
      long ts = rows.get(i).ts();
      o.zigzag(ts - prev);
      prev = ts;
    }
    for (Row r : rows) {
      o.zigzag(r.ingest() - r.ts());
    }
    for (Row r : rows) {
      o.varint(r.kind());
    }
    for (Row r : rows) {
      o.nullableString(r.level());
    }
    Map<String, Integer> requests = new HashMap<>();
    List<String> requestList = new ArrayList<>();
    for (Row r : rows) {
      if (r.requestId() != null && requests.putIfAbsent(r.requestId(), requests.size()) == null) {
        requestList.add(r.requestId());
      }
    }
    o.varint(requestList.size());
    for (String req : requestList) {
      o.string(req);
    }
    for (Row r : rows) {
      o.varint(r.requestId() == null ? 0 : requests.get(r.requestId()) + 1);
    }
    for (Row r : rows) {
      if (r.searchable()) {
        o.string(r.message());
      }
    }
    byte[] data = compress(o);
    o.reset();
    for (Row r : rows) {
      o.string(r.eventId());
    }
    for (Row r : rows) {
      if (!r.searchable()) {
        o.string(r.message());
      }
    }
    for (Row r : rows) {
      o.nullableString(r.text() == null || r.text().equals(r.message()) ? null : r.text());
    }
    return new Encoded(data, compress(o));
  }

  private byte[] compress(Out o) {
    deflater.reset();
    deflater.setInput(o.bytes, 0, o.size);
    deflater.finish();
    ByteArrayOutputStream compressed = new ByteArrayOutputStream(Math.max(64, o.size / 4));
    compressed.write(o.size >>> 24);
    compressed.write(o.size >>> 16);
    compressed.write(o.size >>> 8);
    compressed.write(o.size);
    while (!deflater.finished()) {
      int n = deflater.deflate(buffer);
      compressed.write(buffer, 0, n);
    }
    return compressed.toByteArray();
  }

  private byte[] inflate(byte[] block) {
    int size = (block[0] & 0xff) << 24 | (block[1] & 0xff) << 16 | (block[2] & 0xff) << 8 | (block[3] & 0xff);
    byte[] raw = new byte[size];
    inflater.reset();
    inflater.setInput(block, 4, block.length - 4);
    try {
      int done = 0;
      while (done < size) {
        int n = inflater.inflate(raw, done, size - done);
        if (n == 0 && (inflater.finished() || inflater.needsInput())) {
          break;
        }
        done += n;
      }
      if (done != size) {
        throw new IllegalStateException("damaged log block in the index (" + done + " of " + size + " bytes)");
      }
    } catch (DataFormatException e) {
      throw new IllegalStateException("damaged log block in the index: " + e.getMessage(), e);
    }
    return raw;
  }

  /**
   * Decodes a block; with {@code more} null only what text search needs: time, ingestion time, kind, level,
   * request id, and the message of searchable lines (event id, text and other messages are null). Not
   * thread-safe.
   */
  List<Row> decode(byte[] data, byte[] more) {
    In in = new In(inflate(data));
    int format = (int) in.varint();
    if (format == 1) {
      return decodeFormat1(in);
    }
    if (format != FORMAT) {
      throw new IllegalStateException("log block of unknown format " + format + " in the index");
    }
    int n = (int) in.varint();
    long[] ts = in.timestamps(n);
    long[] ingest = in.ingestionTimes(ts);
    int[] kinds = in.varints(n);
    String[] levels = in.nullableStrings(n);
    String[] requests = in.strings((int) in.varint());
    int[] req = in.varints(n);
    String[] msgs = new String[n];
    for (int i = 0; i < n; i++) {
      if (kinds[i] == 0 || kinds[i] == 2) {
        msgs[i] = in.string();
      }
    }
    String[] eids = new String[n];
    String[] txts = new String[n];
    if (more != null) {
      In rest = new In(inflate(more));
      eids = rest.strings(n);
      for (int i = 0; i < n; i++) {
        if (!(kinds[i] == 0 || kinds[i] == 2)) {
          msgs[i] = rest.string();
        }
      }
      for (int i = 0; i < n; i++) {
        String t = rest.nullableString();
        txts[i] = t == null ? msgs[i] : t;
      }
    }
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(new Row(ts[i], ingest[i], eids[i], kinds[i], levels[i], req[i] == 0 ? null : requests[req[i] - 1],
          msgs[i], txts[i]));
    }
    return rows;
  }

  /** The first layout (schema 2, before blocks were split in two): everything in {@code data}. */
  private static List<Row> decodeFormat1(In in) {
    int n = (int) in.varint();
    long[] ts = in.timestamps(n);
    String[] eids = in.strings(n);
    long[] ingest = in.ingestionTimes(ts);
    int[] kinds = in.varints(n);
    String[] levels = in.nullableStrings(n);
    String[] requests = in.strings((int) in.varint());
    int[] req = in.varints(n);
    String[] msgs = in.strings(n);
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String txt = in.nullableString();
      rows.add(new Row(ts[i], ingest[i], eids[i], kinds[i], levels[i], req[i] == 0 ? null : requests[req[i] - 1],
          msgs[i], txt == null ? msgs[i] : txt));
    }
    return rows;
  }

  /** Growable output with variable-length numbers and length-prefixed UTF-8 strings. */
  private static final class Out {
    byte[] bytes = new byte[1 << 16];
    int size;

    void reset() {
      size = 0;
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    void varint(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        bytes[size++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      bytes[size++] = (byte) v;
    }

    void zigzag(long v) {
      varint((v << 1) ^ (v >> 63));
    }

    void string(String s) {
      lengthAndUtf8(s, 0);
    }

    void nullableString(String s) {
      if (s == null) {
        varint(0);
        return;
      }
      lengthAndUtf8(s, 1);
    }

    /**
     * The UTF-8 length of {@code s} plus {@code extra} as a varint, then the UTF-8 bytes. ASCII text (the common
     * case) is copied char by char without an intermediate array.
     */
    private void lengthAndUtf8(String s, int extra) {
      int n = s.length();
      ensure(10 + n);
      int mark = size;
      varint(n + (long) extra);
      byte[] b = bytes;
      int p = size;
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          size = mark;
          byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
          varint(utf8.length + (long) extra);
          ensure(utf8.length);
          System.arraycopy(utf8, 0, bytes, size, utf8.length);
          size += utf8.length;
          return;
        }
        b[p++] = (byte) c;
      }
      size = p;
    }
  }

  private static final class In {
    private final byte[] b;
    private int pos;

    In(byte[] b) {
      this.b = b;
    }

    long varint() {
      long v = 0;
      int shift = 0;
      while (true) {
        byte x = b[pos++];
        v |= (long) (x & 0x7F) << shift;
        if (x >= 0) {
          return v;
        }
        shift += 7;
      }
    }

    long zigzag() {
      long v = varint();
      return (v >>> 1) ^ -(v & 1);
    }

    String string() {
      int len = (int) varint();
      String s = new String(b, pos, len, StandardCharsets.UTF_8);
      pos += len;
      return s;
    }

    String nullableString() {
      int len = (int) varint();
      if (len == 0) {
        return null;
      }
      String s = new String(b, pos, len - 1, StandardCharsets.UTF_8);
      pos += len - 1;
      return s;
    }

    /** {@code n} timestamps: the first as written, each later one as the difference to the one before. */
    long[] timestamps(int n) {
      long[] ts = new long[n];
      long prev = n == 0 ? 0 : zigzag();
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          prev += zigzag();
        }
        ts[i] = prev;
      }
      return ts;
    }

    /** The ingestion times of {@code ts.length} lines, each written as its distance from the line's time. */
    long[] ingestionTimes(long[] ts) {
      long[] ingest = new long[ts.length];
      for (int i = 0; i < ts.length; i++) {
        ingest[i] = ts[i] + zigzag();
      }
      return ingest;
    }

    int[] varints(int n) {
      int[] v = new int[n];
      for (int i = 0; i < n; i++) {
        v[i] = (int) varint();
      }
      return v;
    }

    String[] strings(int n) {
      String[] v = new String[n];
      for (int i = 0; i < n; i++) {
        v[i] = string();
      }
      return v;
    }

    String[] nullableStrings(int n) {
      String[] v = new String[n];
      for (int i = 0; i < n; i++) {
        v[i] = nullableString();
      }
      return v;
    }
  }
}
