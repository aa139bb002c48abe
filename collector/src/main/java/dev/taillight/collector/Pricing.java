package dev.taillight.collector;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * Lambda prices used to estimate what an invocation cost: billed duration × memory (GB-seconds) × the price of its
 * architecture, plus the price of one request.
 *
 * <p>The defaults are AWS's published on-demand prices for US East (N. Virginia), first volume tier: x86_64
 * USD 0.0000166667 per GB-second, arm64 USD 0.0000133334 per GB-second, USD 0.20 per million requests (source:
 * https://aws.amazon.com/lambda/pricing/). Not included: volume discounts beyond the first tier, Savings Plans,
 * the free tier, ephemeral storage above 512 MB, provisioned concurrency, SnapStart cache and restore charges.
 * Other regions and contracts override the numbers with {@link #builder()}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Pricing {
  /** The x86_64 architecture name, as {@code aws.lambda.architecture} writes it. */
  public static final String X86_64 = "x86_64";
  /** The arm64 (Graviton) architecture name. */
  public static final String ARM64 = "arm64";

  private static final Pricing DEFAULTS = builder().build();

  private final double x86PerGbSecond;
  private final double armPerGbSecond;
  private final double perRequest;
  private final String defaultArchitecture;

  private Pricing(Builder b) {
    this.x86PerGbSecond = b.x86PerGbSecond;
    this.armPerGbSecond = b.armPerGbSecond;
    this.perRequest = b.perRequest;
    this.defaultArchitecture = b.defaultArchitecture;
  }

  /** The published US East (N. Virginia) prices, x86_64 when the architecture is unknown. */
  public static Pricing defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** USD per GB-second for {@code architecture} ({@code x86_64} or {@code arm64}; null means the default). */
  public double perGbSecond(String architecture) {
    String arch = architecture == null ? defaultArchitecture
        : architecture.equals(X86_64) || architecture.equals(ARM64) ? architecture // as spans write it: no copy
        : architecture.toLowerCase(Locale.ROOT);
    return arch.equals(ARM64) || arch.equals("aarch64") ? armPerGbSecond : x86PerGbSecond;
  }

  /** USD per request. */
  public double perRequest() {
    return perRequest;
  }

  /** The architecture assumed when a span does not say. */
  public String defaultArchitecture() {
    return defaultArchitecture;
  }

  /**
   * The estimated cost in USD of one invocation, or null when the billed duration or the memory size is unknown.
   * Memory is converted at 1024 MB per GB, as AWS bills it.
   */
  public Double cost(Double billedDurationMs, Integer memorySizeMb, String architecture) {
    if (billedDurationMs == null || memorySizeMb == null) {
      return null;
    }
    double gbSeconds = (billedDurationMs / 1000.0) * (memorySizeMb / 1024.0);
    return gbSeconds * perGbSecond(architecture) + perRequest;
  }

  @Override
  public String toString() {
    return "Pricing[x86_64=" + x86PerGbSecond + "/GB-s, arm64=" + armPerGbSecond + "/GB-s, request=" + perRequest
        + ", default=" + defaultArchitecture + "]";
  }

  /** Builds a {@link Pricing}; unset values keep the published US East defaults. */
  public static final class Builder {
    private double x86PerGbSecond = 0.0000166667;
    private double armPerGbSecond = 0.0000133334;
    private double perRequest = 0.20 / 1_000_000;
    private String defaultArchitecture = X86_64;

    private Builder() {}

    public Builder x86PerGbSecond(double usd) {
      this.x86PerGbSecond = nonNegative(usd, "x86PerGbSecond");
      return this;
    }

    public Builder arm64PerGbSecond(double usd) {
      this.armPerGbSecond = nonNegative(usd, "arm64PerGbSecond");
      return this;
    }

    public Builder perRequest(double usd) {
      this.perRequest = nonNegative(usd, "perRequest");
      return this;
    }

    /** {@code x86_64} or {@code arm64}: what to assume when a span does not carry aws.lambda.architecture. */
    public Builder defaultArchitecture(String architecture) {
      String a = requireNonNull(architecture, "architecture").toLowerCase(Locale.ROOT);
      if (!a.equals(X86_64) && !a.equals(ARM64)) {
        throw new IllegalArgumentException("architecture must be x86_64 or arm64, not " + architecture);
      }
      this.defaultArchitecture = a;
      return this;
    }

    public Pricing build() {
      return new Pricing(this);
    }

    private static double nonNegative(double v, String name) {
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException(name + " must be a non-negative price, not " + v);
      }
      return v;
    }
  }
}
