package dev.taillight.collector.store;

import dev.taillight.collector.store.BlockCodec.Row;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes and deletes log blocks on one connection (inside the caller's write transaction): a block row (with the
 * hashes of its request ids) and its full-text document, kept in step. After a run of inserts, the caller writes the
 * blocks' documents with {@link #writeDocuments}, at the latest before it commits.
 *
 * <p>A block holds up to {@link #MAX_LINES} lines of one log stream (and function), in time order; each line
 * is stored once across all blocks (see {@link StoreWriter} for how duplicates are dropped). Blocks never
 * change once written: retention that keeps part of a block writes the kept lines as a new block and deletes
 * the old one, so a block id always means the same lines.
 */
final class Blocks implements AutoCloseable {
  /** Most lines in one block. */
  static final int MAX_LINES = 1024;

  private final BlockCodec codec = new BlockCodec();
  private final PreparedStatement insertBlock;
  private final PreparedStatement insertFts;
  private final PreparedStatement deleteBlock;
  private final PreparedStatement deleteFts;
  private final PreparedStatement selectData;
  private final PreparedStatement selectOverlapping;

  Blocks(Connection c) throws SQLException {
    // RETURNING rather than getGeneratedKeys: the driver would run a second statement after every insert
    insertBlock = c.prepareStatement("INSERT INTO blocks (grp, stream, fn, min_ts, max_ts, n, reqs, data, more)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    insertFts = c.prepareStatement("INSERT INTO blocks_fts (rowid, msg) VALUES (?, ?)");
    deleteBlock = c.prepareStatement("DELETE FROM blocks WHERE id = ?");
    deleteFts = c.prepareStatement("DELETE FROM blocks_fts WHERE rowid = ?");
    selectData = c.prepareStatement("SELECT data, more FROM blocks WHERE id = ?");
    selectOverlapping = c.prepareStatement("SELECT id FROM blocks WHERE grp = ? AND stream = ? AND max_ts >= ?"
        + " AND min_ts <= ?");
  }

  /** Writes rows (in time order, no duplicates) as one or more blocks; returns the new block ids. */
  List<Long> insert(long grp, long stream, long fn, List<Row> rows) throws SQLException {
    List<Long> ids = new ArrayList<>();
    for (List<Row> chunk : chunks(rows)) {
      ids.add(insert(grp, stream, fn, prepare(codec, chunk)));
    }
    return ids;
  }

  /** Rows split into block-sized runs. */
  static List<List<Row>> chunks(List<Row> rows) {
    List<List<Row>> out = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += MAX_LINES) {
      out.add(rows.subList(from, Math.min(rows.size(), from + MAX_LINES)));
    }
    return out;
  }

  /** A block ready to insert: encoded, with its full-text document and request-id hashes. */
  record Prepared(List<Row> rows, BlockCodec.Encoded encoded, String doc, byte[] reqs) {}

  /** Encodes one block's rows (at most {@link #MAX_LINES}); no database work, so any thread may do it. */
  static Prepared prepare(BlockCodec codec, List<Row> rows) {
    Set<Long> hashes = new LinkedHashSet<>();
    Words.Distinct words = codec.words();
    words.clear();
    String lastRequest = null;
    for (Row r : rows) {
      String req = r.requestId();
      if (req != null && !req.equals(lastRequest)) { // a request's lines mostly sit together
        hashes.add(Codec.requestHash(req));
        lastRequest = req;
      }
      if (r.searchable()) {
        words.add(r.message());
      }
    }
    // the document is the block's distinct words: the index only needs to know which blocks hold a word
    String doc = words.document();
    ByteBuffer reqs = ByteBuffer.allocate(hashes.size() * 8);
    hashes.forEach(reqs::putLong);
    return new Prepared(rows, codec.encode(rows), doc, reqs.array());
  }

  /** Inserts a prepared block of this group, stream and function; returns its id. */
  long insert(long grp, long stream, long fn, Prepared b) throws SQLException {
    List<Row> rows = b.rows();
    PreparedStatement p = insertBlock;
    p.setLong(1, grp);
    p.setLong(2, stream);
    p.setLong(3, fn);
    p.setLong(4, rows.get(0).ts());
    p.setLong(5, rows.get(rows.size() - 1).ts());
    p.setInt(6, rows.size());
    p.setBytes(7, b.reqs());
    p.setBytes(8, b.encoded().data());
    p.setBytes(9, b.encoded().more());
    long id;
    try (ResultSet keys = p.executeQuery()) {
      keys.next();
      id = keys.getLong(1);
    }
    if (!b.doc().isEmpty()) {
      insertFts.setLong(1, id);
      insertFts.setString(2, b.doc());
      insertFts.addBatch(); // written by writeDocuments, see there
    }
    return id;
  }

  /**
   * Writes the full-text documents of the blocks inserted since the last call; the caller runs this after a run
   * of inserts and before it commits. The documents wait because SQLite's full-text index writes what it holds
   * in memory to a new segment on disk whenever another statement of the transaction begins: one document per
   * block insert meant one tiny segment per block, and merging them cost more than all the rest of the write
   * (about 1.7 us of the writer's 4.4 us per event). Written together, a run's documents become one segment.
   */
  void writeDocuments() throws SQLException {
    insertFts.executeBatch();
  }

  /** Forgets the documents not yet written (the transaction is being rolled back). */
  void discardDocuments() {
    try {
      insertFts.clearBatch();
    } catch (SQLException ignored) {
      // best effort after a failure
    }
  }

  /** Deletes a block with its full-text document. */
  void delete(long id) throws SQLException {
    deleteBlock.setLong(1, id);
    deleteBlock.executeUpdate();
    deleteFts.setLong(1, id);
    deleteFts.executeUpdate();
  }

  /** Ids of the blocks of this stream whose time range overlaps {@code [minTs, maxTs]}. */
  List<Long> overlapping(long grp, long stream, long minTs, long maxTs) throws SQLException {
    selectOverlapping.setLong(1, grp);
    selectOverlapping.setLong(2, stream);
    selectOverlapping.setLong(3, minTs);
    selectOverlapping.setLong(4, maxTs);
    List<Long> ids = new ArrayList<>();
    try (ResultSet rs = selectOverlapping.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  /** The lines of a block. */
  List<Row> read(long id) throws SQLException {
    selectData.setLong(1, id);
    try (ResultSet rs = selectData.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("log block " + id + " vanished");
      }
      byte[] more = rs.getBytes(2);
      List<Row> rows = codec.decode(rs.getBytes(1), more == null ? new byte[0] : more);
      return rows;
    }
  }

  BlockCodec codec() {
    return codec;
  }

  @Override
  public void close() {
    for (PreparedStatement p : List.of(insertBlock, insertFts, deleteBlock, deleteFts,
        selectData, selectOverlapping)) {
      try {
        p.close();
      } catch (SQLException ignored) {
        // closing
      }
    }
  }
}
