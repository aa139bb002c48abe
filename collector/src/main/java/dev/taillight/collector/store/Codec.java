package dev.taillight.collector.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taillight.collector.LineKind;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.SpanData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Encodes what the index stores in compact forms: kinds as small ints, hashes, span attributes as JSON. */
final class Codec {
  private Codec() {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final TypeReference<List<Map<String, Object>>> LIST = new TypeReference<>() {};

  /**
   * The stored kind code of a line: 0 platform, 1 span, 2 application, 3 a platform START/END/REPORT line.
   * Codes 0 and 2 are full-text indexed; span lines (large OTLP JSON) and START/END/REPORT lines (everything
   * in them is in the invocation's columns) are not, which roughly halves the indexing work.
   */
  static int kindCode(LogLine line) {
    return switch (line.kind()) {
      case PLATFORM -> isInvocationSummary(line.event().message()) ? 3 : 0;
      case SPAN -> 1;
      case APP -> 2;
    };
  }

  private static boolean isInvocationSummary(String m) {
    if (m.startsWith("START RequestId:") || m.startsWith("END RequestId:") || m.startsWith("REPORT RequestId:")) {
      return true;
    }
    return m.startsWith("{") && (m.contains("\"type\":\"platform.start\"") || m.contains("\"type\":\"platform.report\"")
        || m.contains("\"type\":\"platform.runtimeDone\""));
  }

  static LineKind kind(int code) {
    return switch (code) {
      case 0, 3 -> LineKind.PLATFORM;
      case 1 -> LineKind.SPAN;
      default -> LineKind.APP;
    };
  }

  /** 64-bit hash of the concatenation of {@code a}, a separator and {@code b} (FNV-1a, then a finaliser). */
  static long hash(String a, String b) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < a.length(); i++) {
      h = (h ^ a.charAt(i)) * 0x100000001b3L;
    }
    h = (h ^ 0xFFFF) * 0x100000001b3L;
    for (int i = 0; i < b.length(); i++) {
      h = (h ^ b.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** The hash the {@code lines.rh} column holds for a request id. */
  static long requestHash(String requestId) {
    return hash("", requestId);
  }

  static String attrs(Map<String, Object> attributes) {
    StringBuilder b = new StringBuilder(64 + attributes.size() * 40);
    return Json.map(b, attributes) ? b.toString() : write(attributes);
  }

  static Map<String, Object> attrs(String json) {
    try {
      return JSON.readValue(json, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable attributes in the index: " + e.getOriginalMessage(), e);
    }
  }

  static String events(List<SpanData.Event> events) {
    return objects(events, e -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("n", e.name());
      m.put("t", e.epochNanos());
      m.put("a", e.attributes());
      return m;
    });
  }

  @SuppressWarnings("unchecked")
  static List<SpanData.Event> events(String json) {
    List<SpanData.Event> out = new ArrayList<>();
    for (Map<String, Object> m : readList(json)) {
      out.add(new SpanData.Event((String) m.get("n"), ((Number) m.get("t")).longValue(),
          (Map<String, Object>) m.get("a")));
    }
    return out;
  }

  static String links(List<SpanData.Link> links) {
    return objects(links, l -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("tr", l.traceId());
      m.put("sp", l.spanId());
      m.put("a", l.attributes());
      return m;
    });
  }

  /**
   * Span events or links as a JSON list of one object per item, each with the fields (in order) {@code fields}
   * gives; written by {@link Json} where it can, else by Jackson (the same text either way).
   */
  private static <T> String objects(List<T> items, java.util.function.Function<T, Map<String, Object>> fields) {
    if (items.isEmpty()) {
      return "[]";
    }
    List<Map<String, Object>> out = new ArrayList<>(items.size());
    StringBuilder b = new StringBuilder(128).append('[');
    boolean ok = true;
    for (T item : items) {
      Map<String, Object> m = fields.apply(item);
      if (ok && !out.isEmpty()) {
        b.append(',');
      }
      out.add(m);
      ok = ok && Json.map(b, m);
    }
    return ok ? b.append(']').toString() : write(out);
  }

  @SuppressWarnings("unchecked")
  static List<SpanData.Link> links(String json) {
    List<SpanData.Link> out = new ArrayList<>();
    for (Map<String, Object> m : readList(json)) {
      out.add(new SpanData.Link((String) m.get("tr"), (String) m.get("sp"), (Map<String, Object>) m.get("a")));
    }
    return out;
  }

  private static List<Map<String, Object>> readList(String json) {
    try {
      return JSON.readValue(json, LIST);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable span data in the index: " + e.getOriginalMessage(), e);
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("span data cannot be encoded: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Writes span data as JSON exactly as {@link #JSON} (Jackson with default settings) writes it, for the
   * values span data holds (String, Long, Integer, finite Double, Boolean, null, lists of those, maps of those by
   * string keys), without Jackson's per-call setup. Returns false for anything else, and the caller lets Jackson
   * write it.
   */
  static final class Json {
    private Json() {}

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static boolean map(StringBuilder b, Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          return false;
        }
        if (!first) {
          b.append(',');
        }
        first = false;
        string(b, key);
        b.append(':');
        if (!value(b, e.getValue())) {
          return false;
        }
      }
      b.append('}');
      return true;
    }

    private static boolean value(StringBuilder b, Object v) {
      if (v == null) {
        b.append("null");
      } else if (v instanceof String s) {
        string(b, s);
      } else if (v instanceof Long || v instanceof Integer) {
        b.append(((Number) v).longValue());
      } else if (v instanceof Boolean x) {
        b.append(x.booleanValue());
      } else if (v instanceof Double d) {
        if (!Double.isFinite(d)) {
          return false;
        }
        b.append(Double.toString(d));
      } else if (v instanceof Map<?, ?> m) {
        return map(b, m);
      } else if (v instanceof List<?> list) {
        b.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          Object x = list.get(i);
          if (x instanceof List<?> || !value(b, x)) {
            return false;
          }
        }
        b.append(']');
      } else {
        return false;
      }
      return true;
    }

    /** A JSON string: quote, backslash and control characters escaped as Jackson escapes them. */
    static void string(StringBuilder b, String s) {
      b.append('"');
      int n = s.length();
      int from = 0;
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x20 && c != '"' && c != '\\') {
          continue;
        }
        b.append(s, from, i);
        from = i + 1;
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          case '\t' -> b.append("\\t");
          case '\b' -> b.append("\\b");
          case '\f' -> b.append("\\f");
          default -> b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
        }
      }
      b.append(s, from, n).append('"');
    }
  }
}
