package dev.taillight.collector.parse;

import dev.taillight.collector.TraceIds;
import dev.taillight.collector.parse.PlatformRecord.Type;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads Lambda's TEXT platform lines. Fields are matched by label, never by position; labels and values may be
 * separated by TABs, runs of spaces or line breaks (the REPORT line's XRAY part sometimes sits on its own line).
 * Hand-scanned: no regular expressions, no allocation beyond the values kept.
 */
final class TextPlatformParser {
  private TextPlatformParser() {}

  /** The version most functions run (one String for all their START lines). */
  private static final String LATEST = "$LATEST";

  /** Returns the record for a platform line, or null when {@code m} is not one. Never throws. */
  static PlatformRecord parse(String m) {
    if (m.length() < 4) {
      return null;
    }
    Type type;
    int pos;
    switch (m.charAt(0)) {
      case 'S':
        if (!m.startsWith("START RequestId:")) {
          return null;
        }
        type = Type.START;
        pos = 5;
        break;
      case 'E':
        if (m.startsWith("END RequestId:")) {
          type = Type.END;
          pos = 3;
        } else if (m.startsWith("EXTENSION")) {
          type = Type.EXTENSION;
          pos = 9;
        } else {
          return null;
        }
        break;
      case 'R':
        if (m.startsWith("REPORT RequestId:")) {
          type = Type.REPORT;
          pos = 6;
        } else if (m.startsWith("RESTORE_START")) {
          type = Type.RESTORE_START;
          pos = 13;
        } else if (m.startsWith("RESTORE_REPORT")) {
          type = Type.RESTORE_REPORT;
          pos = 14;
        } else if (m.startsWith("RESTORE_RUNTIME_DONE")) {
          type = Type.RESTORE_RUNTIME_DONE;
          pos = 20;
        } else if (m.startsWith("RequestId: ") && m.indexOf(" Error: ") > 0) {
          type = Type.RUNTIME_EXIT;
          pos = 0;
        } else {
          return null;
        }
        break;
      case 'I':
        if (m.startsWith("INIT_START")) {
          type = Type.INIT_START;
          pos = 10;
        } else if (m.startsWith("INIT_REPORT")) {
          type = Type.INIT_REPORT;
          pos = 11;
        } else if (m.startsWith("INIT_RUNTIME_DONE")) {
          type = Type.INIT_RUNTIME_DONE;
          pos = 17;
        } else {
          return null;
        }
        break;
      case 'T':
        if (m.startsWith("TELEMETRY")) {
          type = Type.TELEMETRY;
          pos = 9;
        } else if (m.startsWith("Task timed out after ")) {
          return timeout(m, 0, null);
        } else {
          return null;
        }
        break;
      case 'X':
        if (!m.startsWith("XRAY TraceId:")) {
          return null;
        }
        type = Type.XRAY;
        pos = 0;
        break;
      default:
        return null;
    }
    if (pos > 0 && pos < m.length() && !Scan.isWs(m.charAt(pos)) && m.charAt(pos) != ':') {
      return null; // e.g. "STARTED ..." or "EXTENSIONS"
    }
    PlatformRecord quick = switch (type) {
      case REPORT -> report(m);
      case START, END -> startOrEnd(m, type);
      default -> null;
    };
    return quick != null ? quick : general(m, type, pos);
  }

  /** The record of a platform line of {@code type} whose fields start at {@code pos}, read word by word. */
  static PlatformRecord general(String m, Type type, int pos) {
    PlatformRecord.Builder b = new PlatformRecord.Builder(type);
    fields(m, pos, b);
    if (type == Type.INIT_REPORT && b.durationMs == null) {
      b.durationMs = b.initDurationMs;
    }
    if (type == Type.RESTORE_REPORT && b.durationMs == null) {
      b.durationMs = b.restoreDurationMs;
    }
    return b.build();
  }

  /**
   * A REPORT line as Lambda writes it: {@code REPORT RequestId: ID} then {@code Label: value[ ms|MB]} fields each
   * after a TAB or line break, every label one of REPORT's. Read field by field, with no word-by-word label
   * matching; null when the line is written any other way ({@link #general} reads it then, with the same result
   * for the lines this one reads).
   */
  static PlatformRecord report(String m) {
    int n = m.length();
    int p = 18; // "REPORT RequestId: "
    if (!m.startsWith("REPORT RequestId: ")) {
      return null;
    }
    int idEnd = Scan.wordEnd(m, p);
    if (idEnd == p || idEnd >= n || m.charAt(idEnd) != '\t') {
      return null;
    }
    String requestId = RequestIds.of(m, p, idEnd);
    Double duration = null;
    Double billed = null;
    Double billedRestore = null;
    Integer memory = null;
    Integer maxMemory = null;
    Double init = null;
    Double restore = null;
    String status = null;
    String errorType = null;
    String traceId = null;
    String segmentId = null;
    Boolean sampled = null;
    p = idEnd;
    while (true) {
      char c;
      while (p < n && ((c = m.charAt(p)) == '\t' || c == '\n' || c == '\r')) {
        p++;
      }
      if (p >= n) {
        return new PlatformRecord(Type.REPORT, requestId, duration, billed, memory, maxMemory, init, restore,
            billedRestore, status, errorType, null, traceId, segmentId, sampled, null, null, null, null, null);
      }
      int field = reportField(m, p);
      if (field < 0) {
        return null;
      }
      int vs = p + REPORT_LABELS[field].length();
      int ve = Scan.wordEnd(m, vs);
      if (ve == vs) {
        return null;
      }
      p = ve;
      if (p < n && m.charAt(p) == ' ') {
        if ((m.startsWith(" ms", p) || m.startsWith(" MB", p)) && (p + 3 == n || Scan.isWs(m.charAt(p + 3)))) {
          p += 3;
        } else {
          return null;
        }
      }
      if (p < n && (c = m.charAt(p)) != '\t' && c != '\n' && c != '\r') {
        return null;
      }
      switch (field) {
        case 0 -> duration = num(m, vs, ve);
        case 1 -> billed = num(m, vs, ve);
        case 2 -> billedRestore = num(m, vs, ve);
        case 3 -> memory = integer(m, vs, ve);
        case 4 -> maxMemory = integer(m, vs, ve);
        case 5 -> init = num(m, vs, ve);
        case 6 -> restore = num(m, vs, ve);
        case 7 -> status = m.substring(vs, ve).toLowerCase(Locale.ROOT);
        case 8 -> errorType = m.substring(vs, ve);
        case 9 -> traceId = traceId(m, vs, ve);
        case 10 -> segmentId = m.substring(vs, ve);
        default -> sampled = isTrue(m, vs, ve);
      }
    }
  }

  /**
   * {@link TraceIds#normalize} of {@code m[vs, ve)}: an X-Ray id ({@code 1-5759e988-bd862e3fe1be46a994272793}) is
   * read in place into the 32-digit form (one copy, not a substring and then a copy); other forms go through
   * {@link TraceIds#normalize}.
   */
  static String traceId(String m, int vs, int ve) {
    if (ve - vs == 35 && m.charAt(vs) == '1' && m.charAt(vs + 1) == '-' && m.charAt(vs + 10) == '-') {
      byte[] hex = new byte[32];
      // the 8 digits of the time, then the 24 random ones
      int zero = lowerHex(m, vs + 2, vs + 10, hex, 0) | lowerHex(m, vs + 11, ve, hex, 8);
      if (zero < 0) {
        return TraceIds.normalize(m.substring(vs, ve));
      }
      return zero == 0 ? null : new String(hex, StandardCharsets.ISO_8859_1);
    }
    return TraceIds.normalize(m.substring(vs, ve));
  }

  /**
   * Copies the hex digits {@code m[from, to)} in lower case into {@code hex} from {@code at}; returns -1 when one is
   * not a hex digit, else 0 when all are '0' and a positive number when one is not. One test per digit, whatever it
   * is: branching on digit or letter mispredicts on random ids.
   */
  private static int lowerHex(String m, int from, int to, byte[] hex, int at) {
    int zero = 0;
    for (int i = from; i < to; i++) {
      char c = m.charAt(i);
      byte d = c < 128 ? LOWER_HEX[c] : 0;
      if (d == 0) {
        return -1;
      }
      zero |= d ^ '0';
      hex[at++] = d;
    }
    return zero;
  }

  /** Per ASCII character: the hex digit in lower case, or 0 for a character that is not one. */
  private static final byte[] LOWER_HEX = new byte[128];

  static {
    for (char c : "0123456789abcdef".toCharArray()) {
      LOWER_HEX[c] = (byte) c;
    }
    for (char c : "ABCDEF".toCharArray()) {
      LOWER_HEX[c] = (byte) (c + ('a' - 'A'));
    }
  }

  /** Whether {@code m[vs, ve)} is {@code true} in any case. */
  private static boolean isTrue(String m, int vs, int ve) {
    return ve - vs == 4 && (m.charAt(vs) | 0x20) == 't' && (m.charAt(vs + 1) | 0x20) == 'r'
        && (m.charAt(vs + 2) | 0x20) == 'u' && (m.charAt(vs + 3) | 0x20) == 'e';
  }

  /**
   * {@code START RequestId: ID Version: V} and {@code END RequestId: ID} as Lambda writes them (one space after
   * each colon, nothing but blanks after the last value); null for any other way of writing them ({@link #general}
   * reads those, with the same result for the lines this one reads).
   */
  static PlatformRecord startOrEnd(String m, Type type) {
    int n = m.length();
    int p = type == Type.START ? 17 : 15; // "START RequestId: ", "END RequestId: "
    if (p >= n || m.charAt(p - 1) != ' ' || m.charAt(p - 2) != ':') {
      return null;
    }
    int idEnd = Scan.wordEnd(m, p);
    if (idEnd == p) {
      return null;
    }
    String version = null;
    int rest = idEnd;
    if (type == Type.START) {
      if (!m.startsWith(" Version: ", idEnd)) {
        return null;
      }
      int vs = idEnd + 10;
      int ve = Scan.wordEnd(m, vs);
      if (ve == vs) {
        return null;
      }
      version = ve - vs == 7 && m.startsWith(LATEST, vs) ? LATEST : m.substring(vs, ve);
      rest = ve;
    }
    if (Scan.skipWs(m, rest) != n) {
      return null;
    }
    return new PlatformRecord(type, RequestIds.of(m, p, idEnd), null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, version, null);
  }

  private static final String[] REPORT_LABELS = {"Duration: ", "Billed Duration: ", "Billed Restore Duration: ",
    "Memory Size: ", "Max Memory Used: ", "Init Duration: ", "Restore Duration: ", "Status: ", "Error Type: ",
    "XRAY TraceId: ", "SegmentId: ", "Sampled: "};

  /** The index in {@link #REPORT_LABELS} of the label at {@code p}, or -1. */
  private static int reportField(String m, int p) {
    int f;
    switch (m.charAt(p)) {
      case 'D' -> f = 0;
      case 'B' -> f = m.startsWith("Billed D", p) ? 1 : 2;
      case 'M' -> f = m.startsWith("Me", p) ? 3 : 4;
      case 'I' -> f = 5;
      case 'R' -> f = 6;
      case 'S' -> f = m.startsWith("St", p) ? 7 : m.startsWith("Se", p) ? 10 : 11;
      case 'E' -> f = 8;
      case 'X' -> f = 9;
      default -> {
        return -1;
      }
    }
    return m.startsWith(REPORT_LABELS[f], p) ? f : -1;
  }

  /** A {@code Task timed out after N seconds} line starting at {@code at}. */
  static PlatformRecord timeout(String m, int at, String requestId) {
    PlatformRecord.Builder b = new PlatformRecord.Builder(Type.TIMEOUT);
    b.requestId = requestId;
    b.status = "timeout";
    int vs = at + "Task timed out after ".length();
    int ve = Scan.wordEnd(m, vs);
    double secs = Scan.decimal(m, vs, ve);
    if (!Double.isNaN(secs)) {
      b.timeoutSeconds = secs;
    }
    b.errorType = "Sandbox.Timedout";
    b.errorMessage = Scan.restTrimmed(m, at);
    return b.build();
  }

  private static void fields(String m, int pos, PlatformRecord.Builder b) {
    int n = m.length();
    int i = pos;
    int labelStart = -1;
    while (i < n) {
      i = Scan.skipWs(m, i);
      if (i >= n) {
        break;
      }
      int ws = i;
      int we = Scan.wordEnd(m, i);
      i = we;
      if (labelStart < 0) {
        labelStart = ws;
      }
      if (m.charAt(we - 1) != ':') {
        continue;
      }
      int le = we - 1;
      if (le <= labelStart) {
        labelStart = -1;
        continue;
      }
      int vs = Scan.skipWs(m, we);
      if (Scan.labelIs(m, labelStart, le, "Error")) {
        // runtime exit: "Error: Runtime exited with error: exit status 1" then the error type on the next line
        int eol = m.indexOf('\n', vs);
        int end = eol < 0 ? n : eol;
        b.errorMessage = Scan.restTrimmed(m.substring(0, end), vs);
        if (eol >= 0) {
          int ts = Scan.skipWs(m, eol);
          if (ts < n) {
            b.errorType = m.substring(ts, Scan.wordEnd(m, ts));
          }
        }
        if (b.errorType == null) {
          // some runtimes put the type on the same line after the message
          int lastSpace = b.errorMessage.lastIndexOf(' ');
          String last = lastSpace < 0 ? null : b.errorMessage.substring(lastSpace + 1);
          if (last != null && last.startsWith("Runtime.")) {
            b.errorType = last;
            b.errorMessage = b.errorMessage.substring(0, lastSpace).trim();
          } else {
            b.errorType = "Runtime.ExitError";
          }
        }
        b.status = "error";
        return;
      }
      int ve = Scan.wordEnd(m, vs);
      apply(m, labelStart, le, vs, ve, b);
      i = ve;
      int us = Scan.skipWs(m, i);
      int ue = Scan.wordEnd(m, us);
      if (ue - us == 2 && (m.startsWith("ms", us) || m.startsWith("MB", us))) {
        i = ue;
      }
      labelStart = -1;
    }
  }

  private static void apply(String m, int ls, int le, int vs, int ve, PlatformRecord.Builder b) {
    if (vs >= ve) {
      return;
    }
    switch (m.charAt(ls)) {
      case 'R':
        if (Scan.labelIs(m, ls, le, "RequestId")) {
          b.requestId = RequestIds.of(m, vs, ve);
        } else if (Scan.labelIs(m, ls, le, "Restore Duration")) {
          b.restoreDurationMs = num(m, vs, ve);
        } else if (Scan.labelIs(m, ls, le, "Runtime Version")) {
          b.runtimeVersion = m.substring(vs, ve);
        }
        return;
      case 'D':
        if (Scan.labelIs(m, ls, le, "Duration")) {
          b.durationMs = num(m, vs, ve);
        }
        return;
      case 'B':
        if (Scan.labelIs(m, ls, le, "Billed Duration")) {
          b.billedDurationMs = num(m, vs, ve);
        } else if (Scan.labelIs(m, ls, le, "Billed Restore Duration")) {
          b.billedRestoreDurationMs = num(m, vs, ve);
        }
        return;
      case 'M':
        if (Scan.labelIs(m, ls, le, "Memory Size")) {
          b.memorySizeMb = integer(m, vs, ve);
        } else if (Scan.labelIs(m, ls, le, "Max Memory Used")) {
          b.maxMemoryUsedMb = integer(m, vs, ve);
        }
        return;
      case 'I':
        if (Scan.labelIs(m, ls, le, "Init Duration")) {
          b.initDurationMs = num(m, vs, ve);
        }
        return;
      case 'S':
        if (Scan.labelIs(m, ls, le, "Status")) {
          b.status = m.substring(vs, ve).toLowerCase(Locale.ROOT);
        } else if (Scan.labelIs(m, ls, le, "SegmentId")) {
          b.segmentId = m.substring(vs, ve);
        } else if (Scan.labelIs(m, ls, le, "Sampled")) {
          b.sampled = m.regionMatches(true, vs, "true", 0, 4) && ve - vs == 4;
        }
        return;
      case 'E':
        if (Scan.labelIs(m, ls, le, "Error Type")) {
          b.errorType = m.substring(vs, ve);
        }
        return;
      case 'P':
        if (Scan.labelIs(m, ls, le, "Phase")) {
          b.phase = m.substring(vs, ve).toLowerCase(Locale.ROOT);
        }
        return;
      case 'V':
        if (Scan.labelIs(m, ls, le, "Version")) {
          b.version = m.substring(vs, ve);
        }
        return;
      default:
        if (Scan.labelEndsWith(m, ls, le, "TraceId")) {
          b.traceId = TraceIds.normalize(m.substring(vs, ve));
        }
    }
  }

  private static Double num(String m, int vs, int ve) {
    double d = Scan.decimal(m, vs, ve);
    return Double.isNaN(d) ? null : d;
  }

  private static Integer integer(String m, int vs, int ve) {
    double d = Scan.decimal(m, vs, ve);
    return Double.isNaN(d) ? null : (int) Math.round(d);
  }
}
