package dev.taillight.collector.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dictionary of log group, stream and function names, cached in memory. Ids never change once assigned
 * (retention keeps names), so caches shared by threads stay valid; several processes agree on ids because
 * they are assigned inside write transactions.
 */
final class Names {
  @SuppressWarnings("unchecked")
  private final Map<String, Long>[] ids = new Map[] {
    new ConcurrentHashMap<String, Long>(), new ConcurrentHashMap<String, Long>(), new ConcurrentHashMap<String, Long>()
  };
  private final Map<Long, String> names = new ConcurrentHashMap<>();

  /** Returns the id of a name, creating it; call inside a write transaction on {@code c}. */
  long idOrCreate(Connection c, int kind, String name) throws SQLException {
    Long id = ids[kind].get(name);
    if (id != null) {
      return id;
    }
    try (PreparedStatement ins = c.prepareStatement("INSERT OR IGNORE INTO names (kind, name) VALUES (?, ?)")) {
      ins.setInt(1, kind);
      ins.setString(2, name);
      ins.executeUpdate();
    }
    Long created = lookup(c, kind, name);
    if (created == null) {
      throw new SQLException("name " + name + " vanished after insert");
    }
    return created;
  }

  /** Returns the id of an existing name, or null when the index has never seen it. */
  Long id(Connection c, int kind, String name) throws SQLException {
    Long id = ids[kind].get(name);
    return id != null ? id : lookup(c, kind, name);
  }

  private Long lookup(Connection c, int kind, String name) throws SQLException {
    try (PreparedStatement sel = c.prepareStatement("SELECT id FROM names WHERE kind = ? AND name = ?")) {
      sel.setInt(1, kind);
      sel.setString(2, name);
      try (ResultSet rs = sel.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        long id = rs.getLong(1);
        ids[kind].put(name, id);
        names.put(id, name);
        return id;
      }
    }
  }

  /** Returns the name with this id. */
  String name(Connection c, long id) throws SQLException {
    String name = names.get(id);
    if (name != null) {
      return name;
    }
    try (PreparedStatement sel = c.prepareStatement("SELECT kind, name FROM names WHERE id = ?")) {
      sel.setLong(1, id);
      try (ResultSet rs = sel.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the index refers to an unknown name id " + id);
        }
        String n = rs.getString(2);
        names.put(id, n);
        ids[rs.getInt(1)].put(n, id);
        return n;
      }
    }
  }
}
