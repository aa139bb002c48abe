package dev.taillight.localruntime;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One function to run locally: its code, handler and the settings Lambda would have for it.
 *
 * <p>Build with {@link #builder(String)}; only the handler and at least one classpath entry are required:
 *
 * <pre>{@code
 * FunctionConfig fn = FunctionConfig.builder("com.example.Handler::handleRequest")
 *     .classpath(Path.of("target/fn.jar"))
 *     .memoryMb(512)
 *     .timeout(Duration.ofSeconds(3))
 *     .build();
 * }</pre>
 *
 * @param name function name ({@code AWS_LAMBDA_FUNCTION_NAME}); defaults to the handler's simple class name
 * @param handler the handler string as Lambda takes it, {@code package.Class::method} or {@code package.Class}
 * @param classpath the function's code: jars and/or class directories
 * @param memoryMb memory setting in MB (128..10240); sizes the child's heap (85%) and is reported in REPORT
 * @param timeout the function timeout; an invocation running longer is stopped and its environment reset
 * @param logFormat TEXT or JSON platform and logger lines
 * @param logGroup log group name, by default {@code /aws/lambda/<name>}
 * @param region {@code AWS_REGION}, default {@code us-east-1}
 * @param accountId account id used in the function ARN, default {@code 000000000000}
 * @param activeTracing whether invocations are sampled for tracing by default (Lambda's Active tracing mode);
 *     sampled invocations get an {@code XRAY} part in REPORT
 * @param environment extra environment variables for the function (override Lambda's where they collide,
 *     except the reserved runtime ones)
 * @param jvmOptions extra JVM options placed before the main class, after ours
 */
public record FunctionConfig(
    String name,
    String handler,
    List<Path> classpath,
    int memoryMb,
    Duration timeout,
    LogFormat logFormat,
    String logGroup,
    String region,
    String accountId,
    boolean activeTracing,
    Map<String, String> environment,
    List<String> jvmOptions) {

  public FunctionConfig {
    requireNonNull(name, "name");
    requireNonNull(handler, "handler");
    requireNonNull(timeout, "timeout");
    requireNonNull(logFormat, "logFormat");
    requireNonNull(logGroup, "logGroup");
    requireNonNull(region, "region");
    requireNonNull(accountId, "accountId");
    classpath = List.copyOf(classpath);
    environment = Map.copyOf(environment);
    jvmOptions = List.copyOf(jvmOptions);
  }

  /** A builder for a function with this handler ({@code package.Class::method}). */
  public static Builder builder(String handler) {
    return new Builder(handler);
  }

  /** The function's ARN, as handed to the handler in {@code Context.getInvokedFunctionArn()}. */
  public String functionArn() {
    return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
  }

  /** The heap Lambda's Java runtime gives a function of this memory size: 85% of it, in KiB. */
  public long maxHeapKib() {
    return Math.round(memoryMb * 1024L * 0.85);
  }

  /** Builds a {@link FunctionConfig}; validation happens in {@link #build()}. */
  public static final class Builder {
    private final String handler;
    private String name;
    private final List<Path> classpath = new ArrayList<>();
    private int memoryMb = 512;
    private Duration timeout = Duration.ofSeconds(3);
    private LogFormat logFormat = LogFormat.TEXT;
    private String logGroup;
    private String region = "us-east-1";
    private String accountId = "000000000000";
    private boolean activeTracing;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();

    private Builder(String handler) {
      this.handler = requireNonNull(handler, "handler");
    }

    public Builder name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /** Adds jars or class directories holding the function's code (the deployment package). */
    public Builder classpath(Path... entries) {
      for (Path p : entries) {
        classpath.add(requireNonNull(p, "classpath entry"));
      }
      return this;
    }

    public Builder classpath(List<Path> entries) {
      return classpath(entries.toArray(Path[]::new));
    }

    public Builder memoryMb(int memoryMb) {
      this.memoryMb = memoryMb;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder logFormat(LogFormat logFormat) {
      this.logFormat = requireNonNull(logFormat, "logFormat");
      return this;
    }

    public Builder logGroup(String logGroup) {
      this.logGroup = requireNonNull(logGroup, "logGroup");
      return this;
    }

    public Builder region(String region) {
      this.region = requireNonNull(region, "region");
      return this;
    }

    public Builder accountId(String accountId) {
      this.accountId = requireNonNull(accountId, "accountId");
      return this;
    }

    public Builder activeTracing(boolean activeTracing) {
      this.activeTracing = activeTracing;
      return this;
    }

    public Builder env(String key, String value) {
      environment.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    public Builder env(Map<String, String> vars) {
      vars.forEach(this::env);
      return this;
    }

    public Builder jvmOption(String option) {
      jvmOptions.add(requireNonNull(option, "option"));
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException with a message naming the bad setting: an empty handler, no classpath,
     *     a classpath entry that does not exist, memory outside 128..10240 MB, a timeout outside 1 ms..900 s
     */
    public FunctionConfig build() {
      String h = handler.strip();
      if (h.isEmpty()) {
        throw new IllegalArgumentException("handler is empty: expected package.Class::method");
      }
      if (classpath.isEmpty()) {
        throw new IllegalArgumentException("no function code: give the function's jar or classes directory");
      }
      for (Path p : classpath) {
        if (!java.nio.file.Files.exists(p)) {
          throw new IllegalArgumentException("function code not found: " + p.toAbsolutePath());
        }
      }
      if (memoryMb < 128 || memoryMb > 10240) {
        throw new IllegalArgumentException("memory must be 128..10240 MB, got " + memoryMb);
      }
      if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofSeconds(900)) > 0) {
        throw new IllegalArgumentException("timeout must be between 1 ms and 900 s, got " + timeout);
      }
      String n = name != null ? name : defaultName(h);
      String group = logGroup != null ? logGroup : "/aws/lambda/" + n;
      List<Path> cp = classpath.stream().map(p -> p.toAbsolutePath().normalize()).toList();
      return new FunctionConfig(n, h, cp, memoryMb, timeout, logFormat, group, region, accountId, activeTracing,
          environment, jvmOptions);
    }

    private static String defaultName(String handler) {
      String cls = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
      String simple = cls.substring(cls.lastIndexOf('.') + 1);
      return simple.isEmpty() ? "function" : simple;
    }
  }
}
