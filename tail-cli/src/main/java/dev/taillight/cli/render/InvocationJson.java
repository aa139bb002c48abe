package dev.taillight.cli.render;

import dev.taillight.collector.Invocation;
import java.time.Instant;
import java.util.Locale;

/**
 * The JSON form of a finished invocation, one object per line: the {@code --format invocations} output of
 * {@code tail} and the {@code --format json} output of {@code search}. Field names and order are a contract,
 * documented in {@code docs/cli.md}.
 */
public final class InvocationJson {
  private InvocationJson() {}

  /** Cost to 6 significant digits: what the price inputs support, without floating-point noise. */
  static Double round(double usd) {
    return new java.math.BigDecimal(usd).round(new java.math.MathContext(6)).doubleValue();
  }

  public static String toJson(Invocation inv) {
    return Json.object()
        .put("function", inv.function())
        .put("logGroup", inv.logGroup())
        .put("logStream", inv.logStream())
        .put("requestId", inv.requestId())
        .put("startTime", Instant.ofEpochMilli(inv.startTime()).toString())
        .put("endTime", inv.endTime() == null ? null : Instant.ofEpochMilli(inv.endTime()).toString())
        .put("coldStart", inv.coldStart())
        .put("initDurationMs", inv.initDurationMs())
        .put("restoreDurationMs", inv.restoreDurationMs())
        .put("durationMs", inv.durationMs())
        .put("billedDurationMs", inv.billedDurationMs())
        .put("memorySizeMb", inv.memorySizeMb())
        .put("maxMemoryUsedMb", inv.maxMemoryUsedMb())
        .put("status", inv.status().name().toLowerCase(Locale.ROOT))
        .put("errorType", inv.errorType())
        .put("errorMessage", inv.errorMessage())
        .put("traceId", inv.traceId())
        .put("costUsd", inv.costUsd() == null ? null : round(inv.costUsd()))
        .put("lineCount", inv.lineCount())
        .toString();
  }
}
