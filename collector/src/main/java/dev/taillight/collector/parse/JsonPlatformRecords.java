package dev.taillight.collector.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taillight.collector.TraceIds;
import dev.taillight.collector.parse.PlatformRecord.Type;
import java.util.Locale;

/** Reads the {@code record} of a {@code {"time","type":"platform.*","record":{...}}} JSON platform line. */
final class JsonPlatformRecords {
  private JsonPlatformRecords() {}

  static PlatformRecord read(String type, JsonNode record) {
    PlatformRecord.Builder b = new PlatformRecord.Builder(type(type));
    if (record == null || !record.isObject()) {
      return b.build();
    }
    b.requestId = text(record, "requestId");
    b.status = lower(text(record, "status"));
    b.errorType = text(record, "errorType");
    b.phase = lower(text(record, "phase"));
    b.initType = text(record, "initializationType");
    b.runtimeVersion = text(record, "runtimeVersion");
    b.version = text(record, "version");
    if (b.version == null) {
      b.version = text(record, "functionVersion");
    }
    JsonNode metrics = record.get("metrics");
    if (metrics != null && metrics.isObject()) {
      Double duration = number(metrics, "durationMs");
      switch (b.type) {
        case INIT_REPORT -> {
          b.initDurationMs = duration;
          b.durationMs = duration;
        }
        case RESTORE_REPORT -> {
          b.restoreDurationMs = duration;
          b.durationMs = duration;
        }
        default -> b.durationMs = duration;
      }
      b.billedDurationMs = number(metrics, "billedDurationMs");
      Double mem = number(metrics, "memorySizeMB");
      b.memorySizeMb = mem == null ? null : (int) Math.round(mem);
      Double used = number(metrics, "maxMemoryUsedMB");
      b.maxMemoryUsedMb = used == null ? null : (int) Math.round(used);
      Double init = number(metrics, "initDurationMs");
      if (init != null) {
        b.initDurationMs = init;
      }
      Double restore = number(metrics, "restoreDurationMs");
      if (restore != null) {
        b.restoreDurationMs = restore;
      }
      b.billedRestoreDurationMs = number(metrics, "billedRestoreDurationMs");
    }
    JsonNode tracing = record.get("tracing");
    if (tracing != null && tracing.isObject()) {
      String value = text(tracing, "value");
      b.traceId = TraceIds.normalize(value);
      if (value != null) {
        int parent = value.indexOf("Parent=");
        if (parent >= 0) {
          int e = value.indexOf(';', parent);
          b.segmentId = value.substring(parent + 7, e < 0 ? value.length() : e);
        }
        int sampled = value.indexOf("Sampled=");
        if (sampled >= 0 && sampled + 8 < value.length()) {
          b.sampled = value.charAt(sampled + 8) == '1';
        }
      }
      if (b.segmentId == null) {
        b.segmentId = text(tracing, "spanId");
      }
    }
    if (b.status != null && b.status.equals("timeout") && b.errorType == null && b.type == Type.REPORT) {
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

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
  }

  private static Double number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    try {
      return Double.valueOf(v.asText());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
