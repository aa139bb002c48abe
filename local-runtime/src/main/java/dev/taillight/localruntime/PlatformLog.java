package dev.taillight.localruntime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formats the platform lines Lambda writes into a function's log stream, in TEXT or JSON log format.
 *
 * <p>TEXT shapes follow real CloudWatch lines (see the samples named in {@code src/test/resources/README.md}):
 * fields are {@code Label: value} separated by TABs, REPORT ends each field with a TAB and carries its X-Ray
 * part on a second line. JSON shapes follow Lambda's JSON log format ({@code platform.initStart},
 * {@code platform.initReport}, {@code platform.start}, {@code platform.report}). Methods return {@code null}
 * when the format has no such line (e.g. {@code END} in JSON). Pure functions; thread-safe.
 */
final class PlatformLog {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private PlatformLog() {}

  static String isoMillis(Instant t) {
    return ISO_MILLIS.format(t);
  }

  static String initStart(LogFormat format, Instant time, String initType, String runtimeVersion,
      String runtimeVersionArn, String functionName, String functionVersion) {
    if (format == LogFormat.TEXT) {
      return "INIT_START Runtime Version: " + runtimeVersion + "\tRuntime Version ARN: " + runtimeVersionArn;
    }
    ObjectNode record = JSON.createObjectNode();
    record.put("initializationType", initType);
    record.put("phase", "init");
    record.put("runtimeVersion", runtimeVersion);
    record.put("runtimeVersionArn", runtimeVersionArn);
    record.put("functionName", functionName);
    record.put("functionVersion", functionVersion);
    return json(time, "platform.initStart", record);
  }

  /**
   * INIT_REPORT. TEXT has it only for a failed or timed-out init ({@code status} not {@code success}); JSON
   * always.
   */
  static String initReport(LogFormat format, Instant time, String initType, String phase, double durationMs,
      String status, String errorType) {
    if (format == LogFormat.TEXT) {
      if ("success".equals(status)) {
        return null;
      }
      StringBuilder b = new StringBuilder("INIT_REPORT Init Duration: ").append(ms2(durationMs))
          .append(" ms\tPhase: ").append(phase).append("\tStatus: ").append(status);
      if (errorType != null) {
        b.append("\tError Type: ").append(errorType);
      }
      return b.toString();
    }
    ObjectNode record = JSON.createObjectNode();
    record.put("initializationType", initType);
    record.put("phase", phase);
    record.put("status", status);
    if (errorType != null) {
      record.put("errorType", errorType);
    }
    record.putObject("metrics").put("durationMs", round3(durationMs));
    return json(time, "platform.initReport", record);
  }

  static String start(LogFormat format, Instant time, String requestId, String version, XRay xray) {
    if (format == LogFormat.TEXT) {
      return "START RequestId: " + requestId + " Version: " + version;
    }
    ObjectNode record = JSON.createObjectNode();
    record.put("requestId", requestId);
    record.put("version", version);
    if (xray != null) {
      ObjectNode tracing = record.putObject("tracing");
      tracing.put("spanId", xray.segmentId());
      tracing.put("type", "X-Amzn-Trace-Id");
      tracing.put("value", xray.header());
    }
    return json(time, "platform.start", record);
  }

  static String end(LogFormat format, String requestId) {
    return format == LogFormat.TEXT ? "END RequestId: " + requestId : null;
  }

  /** The numbers and outcome a REPORT line carries. */
  record Report(String requestId, double durationMs, long billedDurationMs, int memorySizeMb,
      long maxMemoryUsedMb, double initDurationMs, String status, String errorType, XRay xray) {}

  /**
   * REPORT. {@code status} is {@code success}, {@code error} (function error: TEXT shows no status), {@code
   * timeout}, or {@code failure} for a platform error such as {@code Runtime.ExitError} (TEXT shows {@code
   * Status: error} with the type).
   */
  static String report(LogFormat format, Instant time, Report r) {
    if (format == LogFormat.TEXT) {
      StringBuilder b = new StringBuilder("REPORT RequestId: ").append(r.requestId())
          .append("\tDuration: ").append(ms2(r.durationMs())).append(" ms")
          .append("\tBilled Duration: ").append(r.billedDurationMs()).append(" ms")
          .append("\tMemory Size: ").append(r.memorySizeMb()).append(" MB")
          .append("\tMax Memory Used: ").append(r.maxMemoryUsedMb()).append(" MB\t");
      if (r.initDurationMs() >= 0) {
        b.append("Init Duration: ").append(ms2(r.initDurationMs())).append(" ms\t");
      }
      if ("timeout".equals(r.status())) {
        b.append("Status: timeout\t");
      } else if ("failure".equals(r.status())) {
        b.append("Status: error\tError Type: ").append(r.errorType()).append('\t');
      }
      if (r.xray() != null) {
        b.append("\nXRAY TraceId: ").append(r.xray().traceId()).append("\tSegmentId: ")
            .append(r.xray().segmentId()).append("\tSampled: true");
      }
      return b.toString();
    }
    ObjectNode record = JSON.createObjectNode();
    record.put("requestId", r.requestId());
    record.put("status", r.status());
    if (r.errorType() != null) {
      record.put("errorType", r.errorType());
    }
    ObjectNode metrics = record.putObject("metrics");
    metrics.put("durationMs", round3(r.durationMs()));
    metrics.put("billedDurationMs", r.billedDurationMs());
    metrics.put("memorySizeMB", r.memorySizeMb());
    metrics.put("maxMemoryUsedMB", r.maxMemoryUsedMb());
    if (r.initDurationMs() >= 0) {
      metrics.put("initDurationMs", round3(r.initDurationMs()));
    }
    if (r.xray() != null) {
      ObjectNode tracing = record.putObject("tracing");
      tracing.put("spanId", r.xray().segmentId());
      tracing.put("type", "X-Amzn-Trace-Id");
      tracing.put("value", r.xray().header());
    }
    return json(time, "platform.report", record);
  }

  /** {@code 2024-05-20T16:29:48.019Z <requestId> Task timed out after 3.00 seconds} (TEXT only). */
  static String taskTimedOut(LogFormat format, Instant time, String requestId, double timeoutSeconds) {
    if (format != LogFormat.TEXT) {
      return null;
    }
    return isoMillis(time) + " " + requestId + " Task timed out after "
        + String.format(Locale.ROOT, "%.2f", timeoutSeconds) + " seconds";
  }

  /**
   * {@code RequestId: X Error: Runtime exited with error: exit status 1} and the error type on the next line,
   * as one event (TEXT only). Without a request id (during init) the line starts at {@code Error:}.
   */
  static String runtimeExited(LogFormat format, String requestId, String exitDescription, String errorType) {
    if (format != LogFormat.TEXT) {
      return null;
    }
    String prefix = requestId == null ? "" : "RequestId: " + requestId + " ";
    return prefix + "Error: Runtime exited with error: " + exitDescription + "\n" + errorType;
  }

  /** Go-style description of a process exit status, as Lambda prints it. */
  static String exitDescription(int exitValue) {
    if (exitValue > 128 && exitValue < 160) {
      int signal = exitValue - 128;
      String name = switch (signal) {
        case 6 -> "aborted";
        case 9 -> "killed";
        case 11 -> "segmentation fault";
        case 15 -> "terminated";
        default -> "signal " + signal;
      };
      return "signal: " + name;
    }
    return "exit status " + exitValue;
  }

  static String ms2(double ms) {
    return String.format(Locale.ROOT, "%.2f", ms);
  }

  private static double round3(double ms) {
    return Math.round(ms * 1000.0) / 1000.0;
  }

  private static String json(Instant time, String type, ObjectNode record) {
    ObjectNode root = JSON.createObjectNode();
    root.put("time", isoMillis(time));
    root.put("type", type);
    root.set("record", record);
    return root.toString();
  }
}
