package dev.taillight.collector.parse;

import dev.taillight.collector.SpanData;
import dev.taillight.collector.TraceIds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Mutable span fields filled by the OTLP JSON and protobuf readers. */
final class SpanBuilder {
  private static final String[] KINDS = {"INTERNAL", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"};
  private static final String[] STATUS = {"UNSET", "OK", "ERROR"};

  String traceId;
  String spanId;
  String parentSpanId;
  String name = "";
  String kind = "INTERNAL";
  long start;
  long end;
  String statusCode = "UNSET";
  String statusMessage;
  final Map<String, Object> attributes = new HashMap<>(64);
  final List<SpanData.Event> events = new ArrayList<>(2);
  final List<SpanData.Link> links = new ArrayList<>(0);

  void kind(long k) {
    kind = kindName(k);
  }

  void kind(String k) {
    if (k != null) {
      kind = kindName(k);
    }
  }

  void status(long c) {
    statusCode = statusName(c);
  }

  void status(String c) {
    if (c != null) {
      statusCode = statusName(c);
    }
  }

  /** The kind name of an OTLP span kind number (0 unspecified and unknown numbers are INTERNAL). */
  static String kindName(long k) {
    return k >= 0 && k < KINDS.length ? KINDS[(int) k] : "INTERNAL";
  }

  /** The kind name of {@code SPAN_KIND_SERVER}, {@code SERVER}, {@code server}... */
  static String kindName(String k) {
    String s = k.toUpperCase(Locale.ROOT);
    if (s.startsWith("SPAN_KIND_")) {
      s = s.substring(10);
    }
    return s.equals("UNSPECIFIED") ? "INTERNAL" : s;
  }

  /** The status name of an OTLP status code number. */
  static String statusName(long c) {
    return c >= 0 && c < STATUS.length ? STATUS[(int) c] : "UNSET";
  }

  /** The status name of {@code STATUS_CODE_ERROR}, {@code ERROR}, {@code error}... */
  static String statusName(String c) {
    String s = c.toUpperCase(Locale.ROOT);
    if (s.startsWith("STATUS_CODE_")) {
      s = s.substring(12);
    }
    return s;
  }

  /** Returns the span, or null when it lacks a usable trace id or span id. */
  SpanData build(Map<String, Object> resource, String fallbackService, String logGroup, String logStream) {
    String t = TraceIds.normalize(traceId);
    String s = spanId(spanId);
    if (t == null || s == null) {
      return null;
    }
    Map<String, Object> attrs = attributes;
    if (!resource.isEmpty()) {
      // span attributes win over resource attributes; SpanData copies the result once
      for (Map.Entry<String, Object> r : resource.entrySet()) {
        attrs.putIfAbsent(r.getKey(), r.getValue());
      }
    }
    Object service = attrs.get("service.name");
    return new SpanData(t, s, spanId(parentSpanId), name, kind, start, end, statusCode, statusMessage,
        service != null ? service.toString() : fallbackService, attrs, events, links, logGroup, logStream);
  }

  /** Normalises a span id given as 16 hex digits or as base64 of 8 bytes; null for absent or all-zero ids. */
  static String spanId(String id) {
    if (id == null || id.isEmpty()) {
      return null;
    }
    String s = id;
    if (s.length() == 12 && s.endsWith("=")) {
      s = base64ToHex(s);
    }
    if (s == null || s.length() != 16) {
      return null;
    }
    for (int i = 0; i < 16; i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'F') {
        s = s.toLowerCase(Locale.ROOT);
      } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return null;
      }
    }
    return s.equals("0000000000000000") ? null : s;
  }

  /** A trace id given as hex, X-Ray form, or base64 of 16 bytes (the protobuf JSON mapping). */
  static String traceId(String id) {
    if (id != null && id.length() == 24 && id.endsWith("==")) {
      return base64ToHex(id);
    }
    return id;
  }

  static String hex(byte[] b, int off, int len) {
    return HexFormat.of().formatHex(b, off, off + len);
  }

  private static String base64ToHex(String s) {
    try {
      byte[] b = java.util.Base64.getDecoder().decode(s);
      return hex(b, 0, b.length);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
