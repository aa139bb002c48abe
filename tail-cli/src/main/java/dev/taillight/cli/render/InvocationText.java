package dev.taillight.cli.render;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationStatus;
import java.util.ArrayList;
import java.util.List;

/** The words of an invocation header, shared by plain output and the TUI. */
public final class InvocationText {
  private InvocationText() {}

  /** Status word: {@code OK}, {@code ERROR}, {@code TIMEOUT}, {@code CRASH}, {@code INIT FAILED}, ... */
  public static String status(InvocationStatus status) {
    return switch (status) {
      case RUNNING -> "RUNNING";
      case OK -> "OK";
      case ERROR -> "ERROR";
      case TIMEOUT -> "TIMEOUT";
      case CRASH -> "CRASH";
      case INIT_FAILURE -> "INIT FAILED";
      case LOST -> "LOST";
    };
  }

  /** Cold start words, or null for a warm invocation: {@code COLD init 412.3 ms}, with restore for SnapStart. */
  public static String cold(Invocation inv) {
    if (!inv.coldStart()) {
      return null;
    }
    StringBuilder sb = new StringBuilder("COLD");
    if (inv.initDurationMs() != null) {
      sb.append(" init ").append(Format.ms(inv.initDurationMs()));
    }
    if (inv.restoreDurationMs() != null) {
      sb.append(" restore ").append(Format.ms(inv.restoreDurationMs()));
    }
    return sb.toString();
  }

  /** Duration, billed duration, memory and cost, each only when known. */
  public static List<String> facts(Invocation inv) {
    List<String> facts = new ArrayList<>(4);
    if (inv.durationMs() != null) {
      facts.add(Format.ms(inv.durationMs()));
    }
    if (inv.billedDurationMs() != null) {
      facts.add("billed " + Format.ms(inv.billedDurationMs()));
    }
    if (inv.maxMemoryUsedMb() != null || inv.memorySizeMb() != null) {
      facts.add("mem " + (inv.maxMemoryUsedMb() == null ? "?" : inv.maxMemoryUsedMb()) + "/"
          + (inv.memorySizeMb() == null ? "?" : inv.memorySizeMb()) + " MB");
    }
    if (inv.costUsd() != null) {
      facts.add(Format.usd(inv.costUsd()));
    }
    return facts;
  }

  /** The error words for a failed invocation ({@code Runtime.ExitError: ...}), or null. */
  public static String error(Invocation inv) {
    if (inv.errorType() == null && inv.errorMessage() == null) {
      return null;
    }
    if (inv.errorMessage() == null) {
      return inv.errorType();
    }
    return inv.errorType() == null ? inv.errorMessage() : inv.errorType() + ": " + inv.errorMessage();
  }
}
