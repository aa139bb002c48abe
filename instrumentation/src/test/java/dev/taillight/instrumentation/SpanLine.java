package dev.taillight.instrumentation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Reads a span line back with Jackson (an independent JSON parser) for assertions. */
final class SpanLine {
  private static final ObjectMapper JSON = new ObjectMapper();

  final String text;
  final JsonNode root;
  final List<JsonNode> spans = new ArrayList<>();

  private SpanLine(String text, JsonNode root) {
    this.text = text;
    this.root = root;
    root.path("resourceSpans").get(0).path("scopeSpans").get(0).path("spans").forEach(spans::add);
  }

  static SpanLine parse(String line) {
    if (!line.endsWith("\n") || line.indexOf('\n') != line.length() - 1) {
      throw new AssertionError("not exactly one line: " + line);
    }
    try {
      return new SpanLine(line, JSON.readTree(line));
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  /** The invocation span: the one carrying faas.invocation_id or faas.trigger. */
  JsonNode invocation() {
    for (JsonNode s : spans) {
      if (attrNode(s, "faas.trigger") != null) {
        return s;
      }
    }
    if (spans.isEmpty()) {
      throw new AssertionError("no spans in line");
    }
    return spans.get(spans.size() - 1);
  }

  JsonNode child(String name) {
    for (JsonNode s : spans) {
      if (s.path("name").asText().equals(name) && attrNode(s, "faas.trigger") == null) {
        return s;
      }
    }
    return null;
  }

  /** An attribute of the invocation span, else of the resource; typed: String, Long, Double, Boolean, List. */
  Object attr(String key) {
    JsonNode v = attrNode(invocation(), key);
    if (v == null) {
      v = find(root.path("resourceSpans").get(0).path("resource").path("attributes"), key);
    }
    return v == null ? null : value(v);
  }

  static Object attr(JsonNode span, String key) {
    JsonNode v = attrNode(span, key);
    return v == null ? null : value(v);
  }

  static JsonNode attrNode(JsonNode span, String key) {
    return find(span.path("attributes"), key);
  }

  private static JsonNode find(JsonNode attributes, String key) {
    for (JsonNode a : attributes) {
      if (a.path("key").asText().equals(key)) {
        return a.path("value");
      }
    }
    return null;
  }

  static Object value(JsonNode v) {
    if (v.has("stringValue")) {
      return v.get("stringValue").asText();
    }
    if (v.has("intValue")) {
      if (!v.get("intValue").isTextual()) {
        throw new AssertionError("intValue must be a string: " + v);
      }
      return Long.parseLong(v.get("intValue").asText());
    }
    if (v.has("doubleValue")) {
      return v.get("doubleValue").asDouble();
    }
    if (v.has("boolValue")) {
      return v.get("boolValue").asBoolean();
    }
    if (v.has("arrayValue")) {
      List<Object> list = new ArrayList<>();
      v.get("arrayValue").path("values").forEach(x -> list.add(value(x)));
      return list;
    }
    throw new AssertionError("unknown value " + v);
  }
}
