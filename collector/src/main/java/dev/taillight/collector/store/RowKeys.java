package dev.taillight.collector.store;

import dev.taillight.collector.TraceIds;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The 64-bit integer keys the index finds invocations and spans by (schema version 4): a request id, a trace id
 * or an invocation's request id on a span becomes an 8-byte integer in the index instead of 32 to 36 characters
 * of text, so the indexes that grow in random order are a third of the size (fewer pages written per commit). A
 * key may be shared by two ids: every lookup by key also compares the id itself.
 */
final class RowKeys {
  private RowKeys() {}

  /** The key of a request id: the same hash a block's {@code reqs} holds. */
  static long request(String requestId) {
    return Codec.requestHash(requestId);
  }

  /**
   * The key of a trace id as stored (32 lowercase hex digits when it is a W3C or X-Ray id): its first 8 digits
   * stay the key's high half, so X-Ray ids (whose first 8 digits are the start time in seconds) arrive in about
   * ascending key order; the low half mixes the other 24 digits. Ids whose first 8 digits are zero (64-bit ids
   * padded to 128) and any other text are hashed.
   */
  static long trace(String trace) {
    if (trace.length() == 32 && trace.equals(TraceIds.normalize(trace))) { // already in the stored form
      long hi = Long.parseUnsignedLong(trace, 0, 16, 16);
      long lo = Long.parseUnsignedLong(trace, 16, 32, 16);
      if (hi >>> 32 != 0) {
        return (hi & 0xFFFFFFFF00000000L) | ((hi ^ lo ^ (lo >>> 32)) & 0xFFFFFFFFL);
      }
    }
    return Codec.hash("trace", trace);
  }

  /** SQL functions {@code taillight_request_key(text)} and {@code taillight_trace_key(text)}, for converting rows. */
  static void register(Connection c) throws SQLException {
    org.sqlite.Function.create(c, "taillight_request_key", new KeyFunction(true), 1, org.sqlite.Function.FLAG_DETERMINISTIC);
    org.sqlite.Function.create(c, "taillight_trace_key", new KeyFunction(false), 1, org.sqlite.Function.FLAG_DETERMINISTIC);
  }

  static void unregister(Connection c) throws SQLException {
    org.sqlite.Function.destroy(c, "taillight_request_key");
    org.sqlite.Function.destroy(c, "taillight_trace_key");
  }

  private static final class KeyFunction extends org.sqlite.Function {
    private final boolean request;

    KeyFunction(boolean request) {
      this.request = request;
    }

    @Override
    protected void xFunc() throws SQLException {
      String v = value_text(0);
      if (v == null) {
        result();
      } else {
        result(request ? request(v) : trace(v));
      }
    }
  }
}
