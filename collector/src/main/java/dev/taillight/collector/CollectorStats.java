package dev.taillight.collector;

import dev.taillight.collector.parse.ParseFailure;
import java.util.Map;

/**
 * Counters of a {@link Collector} since it was built, for status lines.
 *
 * @param events events accepted
 * @param platformLines events parsed as platform lines
 * @param spanLines events parsed as span lines
 * @param appLines events kept as application lines (including those that failed to parse)
 * @param spans spans read from span lines
 * @param parseFailures structured-looking lines kept as plain text, per reason
 * @param invocationsStarted invocations seen
 * @param invocationsFinished final snapshots emitted (first emission per invocation)
 * @param invocationsLost invocations declared lost (no end seen)
 * @param updatesEmitted extra final snapshots emitted because a late line or span arrived after the first
 * @param openInvocations invocations in memory now (running, or ended and waiting out the grace period)
 * @param pendingLines lines held now because no invocation of their stream covers their timestamp yet
 * @param unattributedLines lines emitted without a request id (init phase, or no invocation ever covered them)
 * @param listenerFailures exceptions thrown by listeners (each is caught; the pipeline goes on)
 */
public record CollectorStats(
    long events,
    long platformLines,
    long spanLines,
    long appLines,
    long spans,
    Map<ParseFailure, Long> parseFailures,
    long invocationsStarted,
    long invocationsFinished,
    long invocationsLost,
    long updatesEmitted,
    int openInvocations,
    int pendingLines,
    long unattributedLines,
    long listenerFailures) {

  public CollectorStats {
    parseFailures = Map.copyOf(parseFailures);
  }

  /** All parse failures together. */
  public long parseFailureCount() {
    return parseFailures.values().stream().mapToLong(Long::longValue).sum();
  }
}
