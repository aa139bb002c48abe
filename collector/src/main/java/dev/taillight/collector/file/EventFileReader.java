package dev.taillight.collector.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taillight.collector.LogSink;
import dev.taillight.collector.RawEvent;
import java.io.IOException;
import java.io.Reader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one input for {@link FileSource}: detects the format and turns each event into a {@link RawEvent}.
 * Never throws for content; I/O errors propagate to {@link FileSource#run}.
 */
final class EventFileReader {
  private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build());

  static final String ISO_TIME =
      "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:Z|[+-]\\d{2}:?\\d{2})?";
  /** A JSON log record's own time ({@code "time"} of platform records, {@code "timestamp"} of app records). */
  private static final Pattern JSON_TIME =
      Pattern.compile("^\\{.{0,80}?\"(?:time|timestamp)\"\\s*:\\s*\"(" + ISO_TIME + ")\"");

  private final FileSource source;
  private final LineReader in;
  private final LogSink sink;
  private long lastTimestamp;
  private final Map<String, Integer> occurrences = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
      return size() > 10_000;
    }
  };

  EventFileReader(FileSource source, Reader reader, LogSink sink) {
    this.source = source;
    this.in = new LineReader(reader);
    this.sink = sink;
  }

  void read() throws IOException {
    String first;
    do {
      first = in.readLine();
    } while (first != null && first.isBlank());
    if (first == null) {
      source.detected(source.format() == FileSource.Format.AUTO ? FileSource.Format.TEXT : source.format());
      return;
    }
    long firstLineNo = in.lineNumber();
    FileSource.Format format = source.format() == FileSource.Format.AUTO ? detect(first) : source.format();
    source.detected(format);
    switch (format) {
      case AWS_JSON -> readDocuments(first, firstLineNo);
      case JSON_LINES -> readJsonLines(first, firstLineNo);
      default -> readText(first, firstLineNo);
    }
  }

  private static FileSource.Format detect(String first) {
    String t = first.strip();
    if (!t.startsWith("{") && !t.startsWith("[")) {
      return FileSource.Format.TEXT;
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(t);
    } catch (JsonProcessingException incomplete) {
      // a pretty-printed document spans many lines
      return FileSource.Format.AWS_JSON;
    }
    if (node == null) {
      return FileSource.Format.TEXT;
    }
    if (node.isArray() || node.has("events")) {
      return FileSource.Format.AWS_JSON;
    }
    if (node.isObject() && node.has("message") && node.has("timestamp") && !node.get("message").isContainerNode()
        && (node.has("eventId") || node.has("logStream") || node.has("logStreamName")
            || node.get("timestamp").isNumber())) {
      return FileSource.Format.JSON_LINES;
    }
    // e.g. Lambda's JSON log format: each line is a message, not an event
    return FileSource.Format.TEXT;
  }

  // ---- AWS CLI / API JSON ----

  private void readDocuments(String first, long firstLineNo) throws IOException {
    long lineOffset = firstLineNo - 1;
    Reader rest = in.remainderWith(first + "\n");
    try (JsonParser p = MAPPER.getFactory().createParser(rest)) {
      JsonToken root;
      while (!source.stopping() && (root = p.nextToken()) != null) {
        if (root == JsonToken.START_ARRAY) {
          readEventArray(p, lineOffset);
        } else if (root == JsonToken.START_OBJECT) {
          boolean sawEvents = false;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("events") && value == JsonToken.START_ARRAY) {
              sawEvents = true;
              readEventArray(p, lineOffset);
            } else {
              p.skipChildren();
            }
          }
          if (!sawEvents) {
            source.error(lineOffset + p.currentLocation().getLineNr(),
                "JSON document has no \"events\" array (expected the output of aws logs filter-log-events or "
                    + "get-log-events)");
          }
        } else {
          source.error(lineOffset + p.currentLocation().getLineNr(),
              "expected a JSON object or array, found " + p.getText());
        }
      }
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : lineOffset + e.getLocation().getLineNr();
      source.error(line, "not valid JSON (" + e.getOriginalMessage() + "); the rest of the document is not read");
    }
  }

  private void readEventArray(JsonParser p, long lineOffset) throws IOException {
    JsonToken t;
    while (!source.stopping() && (t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
      long line = lineOffset + p.currentLocation().getLineNr();
      JsonNode node = MAPPER.readTree(p);
      if (t != JsonToken.START_OBJECT) {
        source.error(line, "expected an event object, found " + node);
        continue;
      }
      RawEvent e = toEvent(node, line);
      if (e != null) {
        source.deliver(e, sink);
      }
    }
  }

  // ---- JSON lines ----

  private void readJsonLines(String first, long firstLineNo) throws IOException {
    String line = first;
    long no = firstLineNo;
    while (line != null && !source.stopping()) {
      if (!line.isBlank()) {
        JsonNode node = null;
        try {
          node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
          source.error(no, "not a JSON event object (" + e.getOriginalMessage() + ")");
        }
        if (node != null) {
          if (!node.isObject()) {
            source.error(no, "expected a JSON event object, found " + abbreviate(line));
          } else {
            RawEvent e = toEvent(node, no);
            if (e != null) {
              source.deliver(e, sink);
            }
          }
        }
      }
      line = in.readLine();
      no = in.lineNumber();
    }
  }

  /** Converts one event object; reports and returns null when it lacks what an event needs. */
  private RawEvent toEvent(JsonNode n, long line) {
    JsonNode message = n.get("message");
    if (message == null || message.isNull()) {
      source.error(line, "event has no \"message\"; skipped");
      return null;
    }
    if (message.isContainerNode()) {
      source.error(line, "event \"message\" is not a string; skipped");
      return null;
    }
    JsonNode ts = n.get("timestamp");
    Long timestamp = ts == null ? null : toMillis(ts);
    if (timestamp == null) {
      source.error(line, ts == null ? "event has no \"timestamp\"; skipped"
          : "event \"timestamp\" " + ts + " is neither epoch milliseconds nor an ISO-8601 time; skipped");
      return null;
    }
    String text = stripNewline(message.asText());
    String group = text(n, "logGroup", "logGroupName", source.defaultGroup());
    String stream = text(n, "logStream", "logStreamName", source.defaultStream());
    JsonNode it = n.get("ingestionTime");
    Long ingestion = it == null ? Long.valueOf(0) : toMillis(it);
    String id = text(n, "eventId", "id", null);
    lastTimestamp = timestamp;
    if (id == null || id.isEmpty()) {
      id = syntheticId(group, stream, timestamp, text);
    }
    return new RawEvent(group, stream, timestamp, ingestion == null ? 0 : ingestion, id, text);
  }

  private static String text(JsonNode n, String name, String alias, String fallback) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      v = n.get(alias);
    }
    return v == null || v.isNull() || v.isContainerNode() ? fallback : v.asText();
  }

  private static Long toMillis(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isNumber()) {
      return (long) v.asDouble();
    }
    if (v.isTextual()) {
      String s = v.asText().strip();
      if (s.matches("\\d{1,19}")) {
        try {
          return Long.parseLong(s);
        } catch (NumberFormatException e) {
          return null;
        }
      }
      return parseIso(s);
    }
    return null;
  }

  // ---- plain text ----

  private void readText(String first, long firstLineNo) throws IOException {
    String line = first;
    while (line != null && !source.stopping()) {
      if (!line.isBlank()) {
        source.deliver(textEvent(line), sink);
      }
      line = in.readLine();
    }
  }

  private RawEvent textEvent(String line) {
    String group = source.defaultGroup();
    String stream = source.defaultStream();
    String message = line;
    Long ts = null;
    int sp = line.indexOf(' ');
    if (sp > 0 && sp + 20 <= line.length() && isDigit(line.charAt(sp + 1))) {
      // sam logs: <stream> <time> <message>, where the stream is not itself a time
      int end = line.indexOf(' ', sp + 1);
      if (end > 0) {
        Long t = parseIso(line, sp + 1, end);
        if (t != null && parseIso(line, 0, sp) == null) {
          ts = t;
          stream = line.substring(0, sp);
          message = line.substring(end + 1);
        }
      }
    }
    if (ts == null && line.length() >= 19 && isDigit(line.charAt(0))) {
      int end = 0;
      while (end < line.length() && line.charAt(end) != '\t' && line.charAt(end) != ' ') {
        end++;
      }
      ts = parseIso(line, 0, end);
    } else if (ts == null && line.startsWith("{")) {
      Matcher json = JSON_TIME.matcher(line);
      if (json.find()) {
        ts = parseIso(json.group(1));
      }
    }
    long timestamp = ts != null ? ts : lastTimestamp;
    lastTimestamp = timestamp;
    return new RawEvent(group, stream, timestamp, 0L, syntheticId(group, stream, timestamp, message), message);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  // ---- helpers ----

  /** The plain synthetic id for the first occurrence, a numbered one for the n-th identical event. */
  private String syntheticId(String group, String stream, long timestamp, String message) {
    String id = RawEvent.syntheticId(group, stream, timestamp, message);
    int seen = occurrences.merge(id, 1, Integer::sum) - 1;
    return seen == 0 ? id : id + "-" + seen;
  }

  static Long parseIso(String s) {
    return parseIso(s, 0, s.length());
  }

  /**
   * Parses {@code yyyy-MM-ddTHH:mm:ss[.fraction][Z|+hh:mm|+hhmm]} in {@code s[from, to)} to epoch millis; no zone
   * means UTC (as {@code sam logs} prints). Returns null when the text is anything else.
   */
  static Long parseIso(String s, int from, int to) {
    if (to - from < 19 || s.charAt(from + 4) != '-' || s.charAt(from + 7) != '-' || s.charAt(from + 10) != 'T'
        || s.charAt(from + 13) != ':' || s.charAt(from + 16) != ':') {
      return null;
    }
    int year = digits(s, from, 4);
    int month = digits(s, from + 5, 2);
    int day = digits(s, from + 8, 2);
    int hour = digits(s, from + 11, 2);
    int minute = digits(s, from + 14, 2);
    int second = digits(s, from + 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 60) {
      return null;
    }
    int p = from + 19;
    int millis = 0;
    if (p < to && s.charAt(p) == '.') {
      p++;
      int n = 0;
      while (p < to && isDigit(s.charAt(p))) {
        if (n < 3) {
          millis = millis * 10 + (s.charAt(p) - '0');
        }
        n++;
        p++;
      }
      if (n == 0 || n > 9) {
        return null;
      }
      for (int i = n; i < 3; i++) {
        millis *= 10;
      }
    }
    int offsetSeconds = 0;
    if (p < to) {
      char c = s.charAt(p);
      if (c == 'Z' && p + 1 == to) {
        p++;
      } else if (c == '+' || c == '-') {
        int oh = to - p >= 3 ? digits(s, p + 1, 2) : -1;
        int om;
        if (to - p == 6 && s.charAt(p + 3) == ':') {
          om = digits(s, p + 4, 2);
        } else if (to - p == 5) {
          om = digits(s, p + 3, 2);
        } else {
          return null;
        }
        if (oh < 0 || om < 0 || oh > 18 || om > 59) {
          return null;
        }
        offsetSeconds = (c == '+' ? 1 : -1) * (oh * 3600 + om * 60);
      } else {
        return null;
      }
    }
    long epochDay;
    try {
      epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
    } catch (java.time.DateTimeException invalid) {
      return null;
    }
    return ((epochDay * 86_400 + hour * 3600L + minute * 60L + Math.min(second, 59)) - offsetSeconds) * 1000
        + millis;
  }

  private static int digits(String s, int at, int n) {
    int v = 0;
    for (int i = at; i < at + n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static String stripNewline(String s) {
    if (s.endsWith("\r\n")) {
      return s.substring(0, s.length() - 2);
    }
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
