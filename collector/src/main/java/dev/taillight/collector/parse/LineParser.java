package dev.taillight.collector.parse;

import dev.taillight.collector.LineKind;
import dev.taillight.collector.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Turns one log message into a {@link ParsedLine}: a platform line (TEXT or JSON format), a span line (OTLP JSON
 * or the {@code __otel_otlp_stdout} envelope), or an application line with its level and request id.
 *
 * <p>Contract: never throws on input. A line that looks structured but does not parse (truncated JSON, a broken
 * envelope) comes back as a plain {@link LineKind#APP} line with {@link ParsedLine#failure()} set, so nothing is
 * lost and the caller can count it. Thread-safe and stateless: one instance may be shared by all threads.
 *
 * <p>Speed: platform and text application lines are hand-scanned (no regular expressions); only lines whose first
 * non-blank character is {@code &#123;} are read as JSON, by a small pull reader over the String ({@link
 * JsonCursor}) that copies nothing but the values it keeps.
 */
public final class LineParser {
  private static final int MAX_ENVELOPE_BYTES = 64 * 1024 * 1024;

  private LineParser() {}

  /** A parser. */
  public static LineParser create() {
    return new LineParser();
  }

  /** Parses a message whose log group and stream are unknown. */
  public ParsedLine parse(String message) {
    return parse(message, null, null);
  }

  /**
   * Parses one message. {@code logGroup} and {@code logStream} are copied into the spans of a span line (they may
   * be null).
   */
  public ParsedLine parse(String message, String logGroup, String logStream) {
    try {
      return doParse(message, logGroup, logStream);
    } catch (RuntimeException | StackOverflowError e) {
      // a parser bug must not lose the line
      return ParsedLine.failed(Scan.trimEnd(message), ParseFailure.MALFORMED_JSON);
    }
  }

  private ParsedLine doParse(String m, String group, String stream) {
    if (m.isEmpty()) {
      return ParsedLine.app(null, null, m);
    }
    char c = m.charAt(0);
    if (c == '{' || ((c == ' ' || c == '\t') && Scan.skipWs(m, 0) < m.length() && m.charAt(Scan.skipWs(m, 0)) == '{')) {
      return parseJson(m, group, stream);
    }
    if (c >= 'A' && c <= 'Z') {
      PlatformRecord r = TextPlatformParser.parse(m);
      if (r != null) {
        return ParsedLine.platform(r, Scan.trimEnd(m));
      }
    }
    return AppText.parse(m);
  }

  // ---- JSON lines

  /**
   * Span lines are recognised by their top-level field ({@code resourceSpans}, {@code __otel_otlp_stdout}): at
   * once when it comes first (as the writers put it), else while {@link #jsonRecord} scans the top level.
   */
  private ParsedLine parseJson(String m, String group, String stream) {
    int first = Scan.skipWs(m, 0);
    if (m.startsWith("{\"resourceSpans\"", first)) {
      ParsedLine spans = otlp(m, group, stream);
      if (spans != null) {
        return spans;
      }
    } else if (m.startsWith("{\"__otel_otlp_stdout\"", first)) {
      ParsedLine envelope = envelope(m, group, stream);
      if (envelope != null) {
        return envelope;
      }
    }
    return jsonRecord(m, group, stream);
  }

  /** An OTLP/JSON span line, a failure, or null when it holds no span. */
  private static ParsedLine otlp(String m, String group, String stream) {
    {
      List<SpanData> spans = new ArrayList<>(4);
      try {
        JsonCursor c = new JsonCursor(m);
        OtlpJson.request(c, null, group, stream, spans);
        if (!c.atEnd()) {
          throw JsonCursor.MALFORMED;
        }
      } catch (JsonCursor.Malformed e) {
        return ParsedLine.failed(Scan.trimEnd(m), ParseFailure.MALFORMED_JSON);
      } catch (RuntimeException e) {
        return ParsedLine.failed(Scan.trimEnd(m), ParseFailure.BAD_SPAN_LINE);
      }
      return spans.isEmpty() ? null : spanLine(m, spans);
    }
  }

  private static ParsedLine spanLine(String m, List<SpanData> spans) {
    String requestId = null;
    for (SpanData s : spans) {
      String id = s.invocationId();
      if (id != null) {
        requestId = id;
        if (s.parentSpanId() == null || "SERVER".equals(s.kind()) || "CONSUMER".equals(s.kind())) {
          break;
        }
      }
    }
    return new ParsedLine(LineKind.SPAN, null, requestId, Scan.trimEnd(m), null, List.copyOf(spans), null, null,
        null);
  }

  /** A JSON log record: a platform.* line, or an application record with level/request id/message. */
  private ParsedLine jsonRecord(String m, String group, String stream) {
    String type = null;
    int record = -1;
    String requestId = null;
    boolean idShaped = false; // requestId is known to be shaped like a Lambda request id
    String level = null;
    String message = null;
    String errorType = null;
    String errorMessage = null;
    boolean spanFieldSeen = m.startsWith("{\"resourceSpans\"") || m.startsWith("{\"__otel_otlp_stdout\"");
    try {
      JsonCursor c = new JsonCursor(m);
      c.beginObject();
      // fields written compactly with plain string, number or literal values are read here, straight off the line;
      // from the first field written any other way (nested, escaped, spaced, a span line's field...) the cursor
      // reads on as if it had read these
      int n = m.length();
      int p = c.position();
      int read = -1; // the position after the last field read here
      while (p < n - 3 && m.charAt(p) == '"') {
        int ks = p + 1;
        int ke = ks;
        char k = 0;
        while (ke < n && (k = m.charAt(ke)) != '"' && k != '\\') {
          ke++;
        }
        int v = ke + 2;
        if (k != '"' || v >= n || m.charAt(ke + 1) != ':') {
          break;
        }
        int field = recordField(m, ks, ke);
        char v0 = m.charAt(v);
        int ve; // the end of the value
        if (v0 == '"') {
          ve = v + 1;
          char ch = 0;
          while (ve < n && (ch = m.charAt(ve)) != '"' && ch != '\\') {
            ve++;
          }
          if (ch != '"' || ve >= n || field == RESOURCE_SPANS || field == OTEL_STDOUT) {
            break;
          }
          switch (field) {
            case TYPE -> type = m.substring(v + 1, ve);
            case REQUEST_ID -> {
              // a Lambda request id or none (the check at the end would drop any other value)
              requestId = ve - v - 1 == 36 ? RequestIds.lambdaId(m, v + 1) : null;
              idShaped = requestId != null;
            }
            case LEVEL -> level = m.substring(v + 1, ve);
            case MESSAGE -> message = m.substring(v + 1, ve);
            case ERROR_TYPE -> errorType = m.substring(v + 1, ve);
            case ERROR_MESSAGE -> errorMessage = m.substring(v + 1, ve);
            default -> {
              // not kept
            }
          }
          ve++;
        } else if (field != OTHER) {
          break; // (numbers, literals and nested values of the fields kept: the cursor's rules)
        } else if (v0 == 't' || v0 == 'f' || v0 == 'n') {
          String word = v0 == 't' ? "true" : v0 == 'f' ? "false" : "null";
          if (!m.startsWith(word, v)) {
            break;
          }
          ve = v + word.length();
        } else if ((v0 >= '0' && v0 <= '9') || v0 == '-') {
          ve = v + 1;
          char d;
          while (ve < n && (((d = m.charAt(ve)) >= '0' && d <= '9') || d == '.' || d == 'e' || d == 'E' || d == '-'
              || d == '+')) {
            ve++;
          }
        } else {
          break;
        }
        if (ve >= n) {
          break;
        }
        read = ve;
        char after = m.charAt(ve);
        if (after != ',') {
          break;
        }
        p = ve + 1;
      }
      if (read >= 0) {
        c.memberRead(read);
      }
      while (c.nextField()) {
        int field = recordField(c);
        if (!spanFieldSeen && (field == RESOURCE_SPANS || field == OTEL_STDOUT)) {
          // a span line whose writer did not put this field first
          spanFieldSeen = true;
          ParsedLine spans = field == RESOURCE_SPANS ? otlp(m, group, stream) : envelope(m, group, stream);
          if (spans != null) {
            return spans;
          }
        }
        int next = c.peek();
        if (next == '{' || next == '[') {
          if (field == RECORD && next == '{') {
            record = c.position();
          }
          c.skipValue();
          continue;
        }
        switch (field) {
          case TYPE -> type = c.text();
          case REQUEST_ID -> {
            requestId = c.peek() == '"' && c.rawString() ? RequestIds.of(m, c.valueStart(), c.valueEnd()) : c.text();
            idShaped = false;
          }
          case LEVEL -> level = c.text();
          case MESSAGE -> message = c.text();
          case ERROR_TYPE -> errorType = c.text();
          case ERROR_MESSAGE -> errorMessage = c.text();
          default -> c.skipValue();
        }
      }
      // trailing garbage after the object makes it malformed too
      if (!c.atEnd()) {
        return ParsedLine.failed(Scan.trimEnd(m), ParseFailure.MALFORMED_JSON);
      }
      if (type != null && type.startsWith("platform.")) {
        if (record < 0) {
          return ParsedLine.failed(Scan.trimEnd(m), ParseFailure.BAD_PLATFORM_LINE);
        }
        return ParsedLine.platform(JsonPlatformRecords.read(type, new JsonCursor(m, record, m.length())),
            Scan.trimEnd(m));
      }
    } catch (RuntimeException e) {
      return ParsedLine.failed(Scan.trimEnd(m), ParseFailure.MALFORMED_JSON);
    }
    if (requestId != null && !idShaped && !(requestId.length() == 36 && Scan.isRequestIdAt(requestId, 0))) {
      requestId = null; // an application's own "requestId" (an HTTP request's, say) is not Lambda's
    }
    String lvl = Scan.level(level);
    if (lvl == null && errorType != null) {
      lvl = "ERROR";
    }
    String text = message != null ? message : errorMessage != null && errorType != null
        ? errorType + ": " + errorMessage : Scan.trimEnd(m);
    return new ParsedLine(LineKind.APP, lvl, requestId, text, null, List.of(), errorType, errorMessage, null);
  }

  private static final int OTHER = 0;
  private static final int TYPE = 1;
  private static final int REQUEST_ID = 2;
  private static final int LEVEL = 3;
  private static final int MESSAGE = 4;
  private static final int ERROR_TYPE = 5;
  private static final int ERROR_MESSAGE = 6;
  private static final int RECORD = 7;
  private static final int RESOURCE_SPANS = 8;
  private static final int OTEL_STDOUT = 9;

  /**
   * What the current field of a JSON log record is to {@link #jsonRecord}: the request id under any of the names
   * runtimes and loggers give it ({@code requestId}, {@code AWSRequestId}, {@code awsRequestId},
   * {@code function_request_id}, {@code request_id}, {@code aws_request_id}, {@code RequestId}), the level
   * ({@code level}, {@code log_level}, {@code levelname}, {@code severity}), the message ({@code message},
   * {@code msg}), ... Chosen by the name's length first, so a field is compared with one or two names, not all.
   */
  private static int recordField(JsonCursor c) {
    return recordField(c.source(), c.keyStart(), c.keyStart() + c.keyLength());
  }

  /** {@link #recordField(JsonCursor)} of the field name written at {@code m[ks, ke)}. */
  private static int recordField(String m, int ks, int ke) {
    switch (ke - ks) {
      case 3:
        return m.startsWith("msg", ks) ? MESSAGE : OTHER;
      case 4:
        return m.startsWith("type", ks) ? TYPE : OTHER;
      case 5:
        return m.startsWith("level", ks) ? LEVEL : OTHER;
      case 6:
        return m.startsWith("record", ks) ? RECORD : OTHER;
      case 7:
        return m.startsWith("message", ks) ? MESSAGE : OTHER;
      case 8:
        return m.startsWith("severity", ks) ? LEVEL : OTHER;
      case 9:
        if (m.startsWith("requestId", ks) || m.startsWith("RequestId", ks)) {
          return REQUEST_ID;
        }
        if (m.startsWith("log_level", ks) || m.startsWith("levelname", ks)) {
          return LEVEL;
        }
        return m.startsWith("errorType", ks) ? ERROR_TYPE : OTHER;
      case 10:
        return m.startsWith("request_id", ks) ? REQUEST_ID : OTHER;
      case 12:
        if (m.startsWith("AWSRequestId", ks) || m.startsWith("awsRequestId", ks)) {
          return REQUEST_ID;
        }
        return m.startsWith("errorMessage", ks) ? ERROR_MESSAGE : OTHER;
      case 13:
        return m.startsWith("resourceSpans", ks) ? RESOURCE_SPANS : OTHER;
      case 14:
        return m.startsWith("aws_request_id", ks) ? REQUEST_ID : OTHER;
      case 18:
        return m.startsWith("__otel_otlp_stdout", ks) ? OTEL_STDOUT : OTHER;
      case 19:
        return m.startsWith("function_request_id", ks) ? REQUEST_ID : OTHER;
      default:
        return OTHER;
    }
  }

  // ---- __otel_otlp_stdout envelope

  /** Returns the span line, a failure, or null when the object turned out not to be an envelope. */
  private ParsedLine envelope(String m, String group, String stream) {
    String version = null;
    String source = null;
    String contentType = null;
    String encoding = null;
    String payload = null;
    Boolean base64 = null;
    List<SpanData> spans = new ArrayList<>(4);
    boolean inlinePayload = false;
    try {
      JsonCursor c = new JsonCursor(m);
      c.beginObject();
      while (c.nextField()) {
        if (c.fieldIs("__otel_otlp_stdout")) {
          version = c.text();
        } else if (c.fieldIs("source")) {
          source = c.text();
        } else if (c.fieldIs("content-type")) {
          contentType = c.text();
        } else if (c.fieldIs("content-encoding")) {
          encoding = c.text();
        } else if (c.fieldIs("base64")) {
          base64 = c.peek() == 't' || c.peek() == 'f' ? c.bool() : Boolean.valueOf(c.text());
        } else if (c.fieldIs("payload")) {
          int next = c.peek();
          if (next == '{') {
            OtlpJson.request(c, null, group, stream, spans);
            inlinePayload = true;
          } else if (next == '"') {
            payload = c.string();
          } else {
            c.skipValue();
          }
        } else {
          // headers, endpoint, method, level: the exporters also put content-type/encoding in headers in some
          // versions; the top-level fields win
          c.skipValue();
        }
      }
      if (!c.atEnd()) {
        throw JsonCursor.MALFORMED;
      }
    } catch (RuntimeException e) {
      return ParsedLine.failed(Scan.trimEnd(m), ParseFailure.MALFORMED_JSON);
    }
    if (version == null) {
      return null;
    }
    try {
      if (!inlinePayload) {
        if (payload == null) {
          return ParsedLine.failed(Scan.trimEnd(m), ParseFailure.BAD_ENVELOPE);
        }
        byte[] bytes = base64 == Boolean.FALSE && !"gzip".equalsIgnoreCase(encoding)
            ? payload.getBytes(StandardCharsets.UTF_8)
            : Base64.getDecoder().decode(payload);
        if ("gzip".equalsIgnoreCase(encoding) || isGzip(bytes)) {
          bytes = gunzip(bytes);
        }
        boolean jsonPayload = contentType != null && contentType.contains("json");
        if (jsonPayload) {
          JsonCursor c = new JsonCursor(new String(bytes, StandardCharsets.UTF_8));
          OtlpJson.request(c, source, group, stream, spans);
        } else {
          OtlpProto.request(bytes, source, group, stream, spans);
        }
      }
    } catch (IOException | RuntimeException e) {
      return ParsedLine.failed(Scan.trimEnd(m), ParseFailure.BAD_ENVELOPE);
    }
    if (source != null && inlinePayload) {
      // service.name from the resource wins; the envelope's source fills in when there is none
      List<SpanData> named = new ArrayList<>(spans.size());
      for (SpanData s : spans) {
        named.add(s.serviceName() != null ? s : new SpanData(s.traceId(), s.spanId(), s.parentSpanId(), s.name(),
            s.kind(), s.startEpochNanos(), s.endEpochNanos(), s.statusCode(), s.statusMessage(), source,
            s.attributes(), s.events(), s.links(), s.logGroup(), s.logStream()));
      }
      spans = named;
    }
    return spanLine(m, spans);
  }

  private static boolean isGzip(byte[] b) {
    return b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
  }

  private static byte[] gunzip(byte[] b) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(b.length * 4);
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
        if (out.size() > MAX_ENVELOPE_BYTES) {
          throw new IOException("envelope payload larger than " + MAX_ENVELOPE_BYTES + " bytes");
        }
      }
      return out.toByteArray();
    }
  }
}
