package dev.taillight.collector.insights;

import java.util.List;

/**
 * A Logs Insights query that could not give results, explained for a user: one line of what happened
 * ({@link #getMessage()}), one of what to do ({@link #hint()}). AWS errors that are not specific to Logs Insights
 * (credentials, permissions, the network) are not wrapped: they reach the caller as SDK exceptions.
 */
public final class InsightsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the query gave no results. */
  public enum Kind {
    /** CloudWatch rejected the query text (MalformedQueryException). */
    MALFORMED_QUERY,
    /** The account's concurrent-query quota stayed exhausted through every retry (LimitExceededException). */
    TOO_MANY_QUERIES,
    /** Some log groups of the query do not exist ({@link #missingGroups()}). */
    MISSING_LOG_GROUPS,
    /** The query ended with status Failed or Unknown. */
    QUERY_FAILED,
    /** The query ran into Logs Insights' time limit (status Timeout). */
    QUERY_TIMED_OUT,
    /** The query was stopped (by us on Ctrl-C, or by someone else: status Cancelled). */
    CANCELLED
  }

  private final Kind kind;
  private final String hint;
  private final transient List<String> missingGroups;

  /**
   * @param kind why
   * @param message one line of what happened
   * @param hint what to do, or null
   * @param missingGroups for {@link Kind#MISSING_LOG_GROUPS} the groups that do not exist, else empty
   * @param cause the AWS error, or null
   */
  public InsightsException(Kind kind, String message, String hint, List<String> missingGroups, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.hint = hint;
    this.missingGroups = List.copyOf(missingGroups);
  }

  public Kind kind() {
    return kind;
  }

  /** What the user can do about it. */
  public String hint() {
    return hint;
  }

  /** For {@link Kind#MISSING_LOG_GROUPS}: the groups that do not exist; else empty. */
  public List<String> missingGroups() {
    return missingGroups == null ? List.of() : missingGroups;
  }
}
