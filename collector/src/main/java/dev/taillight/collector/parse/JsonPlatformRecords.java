package dev.taillight.collector.parse;

import dev.taillight.collector.TraceIds;
import dev.taillight.collector.parse.PlatformRecord.Type;
import java.util.Locale;

/** Reads the {@code record} of a {@code {"time","type":"platform.*","record":{...}}} JSON platform line. */
final class JsonPlatformRecords {
  private JsonPlatformRecords() {}

  /** Reads the record object at the cursor (null cursor: a record-less line). */
  static PlatformRecord read(String type, JsonCursor c) {
    PlatformRecord.Builder b = new PlatformRecord.Builder(type(type));
    Double duration = null;
    String tracingValue = null;
    String tracingSpanId = null;
    if (c != null) {
      c.beginObject();
      while (c.nextField()) {
        if (c.tryNull()) {
          continue;
        }
        if (c.fieldIs("requestId")) {
          b.requestId = c.text();
        } else if (c.fieldIs("status")) {
          b.status = lower(c.text());
        } else if (c.fieldIs("errorType")) {
          b.errorType = c.text();
        } else if (c.fieldIs("phase")) {
          b.phase = lower(c.text());
        } else if (c.fieldIs("initializationType")) {
          b.initType = c.text();
        } else if (c.fieldIs("runtimeVersion")) {
          b.runtimeVersion = c.text();
        } else if (c.fieldIs("version") || (c.fieldIs("functionVersion") && b.version == null)) {
          b.version = c.text();
        } else if (c.fieldIs("metrics") && c.peek() == '{') {
          c.beginObject();
          while (c.nextField()) {
            if (c.tryNull()) {
              continue;
            }
            if (c.fieldIs("durationMs")) {
              duration = number(c);
            } else if (c.fieldIs("billedDurationMs")) {
              b.billedDurationMs = number(c);
            } else if (c.fieldIs("memorySizeMB")) {
              b.memorySizeMb = integer(number(c));
            } else if (c.fieldIs("maxMemoryUsedMB")) {
              b.maxMemoryUsedMb = integer(number(c));
            } else if (c.fieldIs("initDurationMs")) {
              b.initDurationMs = number(c);
            } else if (c.fieldIs("restoreDurationMs")) {
              b.restoreDurationMs = number(c);
            } else if (c.fieldIs("billedRestoreDurationMs")) {
              b.billedRestoreDurationMs = number(c);
            } else {
              c.skipValue();
            }
          }
        } else if (c.fieldIs("tracing") && c.peek() == '{') {
          c.beginObject();
          while (c.nextField()) {
            if (c.fieldIs("value")) {
              tracingValue = c.text();
            } else if (c.fieldIs("spanId")) {
              tracingSpanId = c.text();
            } else {
              c.skipValue();
            }
          }
        } else {
          c.skipValue();
        }
      }
    }
    switch (b.type) {
      case INIT_REPORT -> {
        if (b.initDurationMs == null) {
          b.initDurationMs = duration;
        }
        b.durationMs = duration;
      }
      case RESTORE_REPORT -> {
        if (b.restoreDurationMs == null) {
          b.restoreDurationMs = duration;
        }
        b.durationMs = duration;
      }
      default -> b.durationMs = duration;
    }
    if (tracingValue != null) {
      b.traceId = TraceIds.normalize(tracingValue);
      int parent = tracingValue.indexOf("Parent=");
      if (parent >= 0) {
        int e = tracingValue.indexOf(';', parent);
        b.segmentId = tracingValue.substring(parent + 7, e < 0 ? tracingValue.length() : e);
      }
      int sampled = tracingValue.indexOf("Sampled=");
      if (sampled >= 0 && sampled + 8 < tracingValue.length()) {
        b.sampled = tracingValue.charAt(sampled + 8) == '1';
      }
    }
    if (b.segmentId == null) {
      b.segmentId = tracingSpanId;
    }
    if ("timeout".equals(b.status) && b.errorType == null && b.type == Type.REPORT) {
      b.errorType = "Sandbox.Timedout";
    }
    return b.build();
  }

  static Type type(String type) {
    return switch (type) {
      case "platform.initStart" -> Type.INIT_START;
      case "platform.initRuntimeDone" -> Type.INIT_RUNTIME_DONE;
      case "platform.initReport" -> Type.INIT_REPORT;
      case "platform.start" -> Type.START;
      case "platform.runtimeDone" -> Type.RUNTIME_DONE;
      case "platform.end" -> Type.END;
      case "platform.report" -> Type.REPORT;
      case "platform.restoreStart" -> Type.RESTORE_START;
      case "platform.restoreRuntimeDone" -> Type.RESTORE_RUNTIME_DONE;
      case "platform.restoreReport" -> Type.RESTORE_REPORT;
      case "platform.extension" -> Type.EXTENSION;
      case "platform.telemetrySubscription" -> Type.TELEMETRY;
      case "platform.logsDropped" -> Type.LOGS_DROPPED;
      default -> Type.OTHER;
    };
  }

  private static Double number(JsonCursor c) {
    int p = c.peek();
    if (p == '{' || p == '[' || p == 't' || p == 'f') {
      c.skipValue();
      return null;
    }
    try {
      return c.doubleValue();
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Integer integer(Double d) {
    return d == null ? null : (int) Math.round(d);
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
