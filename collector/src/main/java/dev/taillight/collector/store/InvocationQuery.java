package dev.taillight.collector.store;

import dev.taillight.collector.InvocationStatus;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@link Store#search} and {@link Store#searchLines} look for. Every criterion left unset matches
 * everything; set criteria must all hold. Results come newest first.
 *
 * <pre>{@code
 * InvocationQuery q = InvocationQuery.builder()
 *     .functions("orders-api", "payments")
 *     .from(Instant.now().minus(Duration.ofHours(1)))
 *     .errorsOnly()
 *     .text("\"payment declined\" -retry")
 *     .limit(50)
 *     .build();
 * }</pre>
 *
 * @param functions function names (any of); empty for all
 * @param from earliest invocation start (inclusive), or null
 * @param to latest invocation start (exclusive), or null
 * @param statuses statuses (any of); empty for all
 * @param errorsOnly only failed invocations ({@link InvocationStatus#failed()})
 * @param timeoutsOnly only timed-out invocations
 * @param coldStart true for cold starts only, false for warm only, null for both
 * @param minDurationMs duration at least this many ms, or null
 * @param maxDurationMs duration at most this many ms, or null
 * @param text a filter pattern over log lines (see {@link FilterPattern}), or null; an invocation matches
 *     when one of its lines matches
 * @param traceId trace id in X-Ray or W3C form, or null
 * @param limit most results to return
 * @param withDetails whether returned invocations carry their lines and spans (otherwise both are empty)
 */
public record InvocationQuery(
    Set<String> functions,
    Instant from,
    Instant to,
    Set<InvocationStatus> statuses,
    boolean errorsOnly,
    boolean timeoutsOnly,
    Boolean coldStart,
    Double minDurationMs,
    Double maxDurationMs,
    String text,
    String traceId,
    int limit,
    boolean withDetails) {

  /** Results returned when no limit is given. */
  public static final int DEFAULT_LIMIT = 100;

  public InvocationQuery {
    functions = Set.copyOf(functions);
    statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(statuses);
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
  }

  /** A query that matches every invocation (newest {@link #DEFAULT_LIMIT}). */
  public static InvocationQuery all() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link InvocationQuery}. */
  public static final class Builder {
    private final Set<String> functions = new LinkedHashSet<>();
    private Instant from;
    private Instant to;
    private final Set<InvocationStatus> statuses = EnumSet.noneOf(InvocationStatus.class);
    private boolean errorsOnly;
    private boolean timeoutsOnly;
    private Boolean coldStart;
    private Double minDurationMs;
    private Double maxDurationMs;
    private String text;
    private String traceId;
    private int limit = DEFAULT_LIMIT;
    private boolean withDetails;

    private Builder() {}

    public Builder functions(String... names) {
      return functions(List.of(names));
    }

    public Builder functions(Iterable<String> names) {
      names.forEach(functions::add);
      return this;
    }

    /** Earliest invocation start (inclusive). */
    public Builder from(Instant from) {
      this.from = from;
      return this;
    }

    /** Latest invocation start (exclusive). */
    public Builder to(Instant to) {
      this.to = to;
      return this;
    }

    public Builder statuses(InvocationStatus... statuses) {
      this.statuses.addAll(List.of(statuses));
      return this;
    }

    public Builder errorsOnly() {
      this.errorsOnly = true;
      return this;
    }

    public Builder timeoutsOnly() {
      this.timeoutsOnly = true;
      return this;
    }

    /** True: cold starts only; false: warm invocations only; null: both. */
    public Builder coldStart(Boolean coldStart) {
      this.coldStart = coldStart;
      return this;
    }

    public Builder minDurationMs(double ms) {
      this.minDurationMs = ms;
      return this;
    }

    public Builder maxDurationMs(double ms) {
      this.maxDurationMs = ms;
      return this;
    }

    /** A filter pattern over log lines; see {@link FilterPattern}. Blank means none. */
    public Builder text(String pattern) {
      this.text = pattern == null || pattern.isBlank() ? null : pattern;
      return this;
    }

    public Builder traceId(String traceId) {
      this.traceId = traceId;
      return this;
    }

    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    /** Load each result's lines and spans too. */
    public Builder withDetails(boolean withDetails) {
      this.withDetails = withDetails;
      return this;
    }

    public InvocationQuery build() {
      if (text != null) {
        FilterPattern.parse(text); // fail here, with the pattern named, rather than at search time
      }
      if (minDurationMs != null && maxDurationMs != null && minDurationMs > maxDurationMs) {
        throw new IllegalArgumentException(
            "minimum duration " + minDurationMs + " ms is above maximum " + maxDurationMs + " ms");
      }
      return new InvocationQuery(functions, from, to, statuses, errorsOnly, timeoutsOnly, coldStart, minDurationMs, maxDurationMs, text, traceId,
          limit, withDetails);
    }
  }
}
