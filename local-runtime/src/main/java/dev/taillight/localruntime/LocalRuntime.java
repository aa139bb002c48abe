package dev.taillight.localruntime;

import static java.util.Objects.requireNonNull;

import dev.taillight.collector.LogSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs one Java Lambda function on this machine the way Lambda runs it: each execution environment is a child
 * JVM running the real AWS Lambda runtime interface client against a local Runtime API; environments start on
 * demand (cold starts) up to a concurrency limit, serve one invocation at a time, are stopped after being idle,
 * and every line they write, plus Lambda's platform lines, goes to a {@link LogSink} as the function's log
 * streams.
 *
 * <pre>{@code
 * try (LocalRuntime runtime = LocalRuntime.builder()
 *     .function(FunctionConfig.builder("com.example.Handler::handleRequest").classpath(jar).build())
 *     .sink(sink)
 *     .build()) {
 *   InvocationResult r = runtime.invoke("{\"orderId\":42}");
 * }
 * }</pre>
 *
 * <p>Threading: {@link #invoke} may be called from many threads at once; each call blocks until its invocation
 * has ended and its REPORT line has been written. {@link #close} stops every environment; no child JVM outlives
 * the runtime, nor this JVM (see {@code docs/local-runtime.md}).
 */
public final class LocalRuntime implements AutoCloseable {

  static final String WORK_DIR_PREFIX = "taillight-runtime-";

  private final Settings settings;
  private final int maxConcurrency;
  private final Duration idleTimeout;
  private final List<ExecutionEnvironment> environments = new ArrayList<>();
  private final List<ExecutionEnvironment> busy = new ArrayList<>();
  private final ExecutorService async;
  private final ScheduledExecutorService reaper;
  private boolean closed;
  private long throttles;

  private LocalRuntime(Builder b, Settings settings) {
    this.settings = settings;
    this.maxConcurrency = b.maxConcurrency;
    this.idleTimeout = b.idleTimeout;
    this.async = Executors.newCachedThreadPool(daemon("taillight-invoke"));
    if (b.reapInBackground) {
      this.reaper = Executors.newSingleThreadScheduledExecutor(daemon("taillight-idle-reaper"));
      long every = Math.max(100, Math.min(idleTimeout.toMillis() / 2, 1000));
      reaper.scheduleWithFixedDelay(this::shutdownIdleEnvironments, every, every, TimeUnit.MILLISECONDS);
    } else {
      this.reaper = null;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The function this runtime runs. */
  public FunctionConfig function() {
    return settings.function();
  }

  /** Invokes the function with this event (synchronously). See {@link #invoke(InvokeRequest)}. */
  public InvocationResult invoke(String payload) {
    return invoke(InvokeRequest.of(payload));
  }

  /**
   * Invokes the function and waits for the invocation to end: on a warm idle environment if there is one, else
   * on a new (cold) one, unless {@code maxConcurrency} environments are busy, in which case the result is
   * {@link InvocationResult.Status#THROTTLED} and nothing runs. Never throws for what the function does.
   *
   * @throws IllegalStateException after {@link #close}
   */
  public InvocationResult invoke(InvokeRequest request) {
    requireNonNull(request, "request");
    String requestId = settings.ids().requestId();
    ExecutionEnvironment env = acquire();
    if (env == null) {
      synchronized (this) {
        throttles++;
      }
      InvocationResult r = new InvocationResult(requestId, InvocationResult.Status.THROTTLED,
          "{\"errorMessage\":\"Rate Exceeded.\",\"errorType\":\"TooManyRequestsException\"}",
          "TooManyRequestsException", "", request.traceHeader() == null ? "" : request.traceHeader(), false, 0, 0,
          -1, 0);
      try {
        settings.listener().throttled(r);
      } catch (RuntimeException ignored) {
        // listeners never break the runtime
      }
      return r;
    }
    try {
      InvocationResult r = env.invoke(request, requestId);
      try {
        settings.listener().invocationFinished(r);
      } catch (RuntimeException ignored) {
        // listeners never break the runtime
      }
      return r;
    } finally {
      release(env);
    }
  }

  /** Invokes on a runtime thread; the future completes with the result (never exceptionally but for close). */
  public CompletableFuture<InvocationResult> invokeAsync(InvokeRequest request) {
    requireNonNull(request, "request");
    return CompletableFuture.supplyAsync(() -> invoke(request), async);
  }

  private synchronized ExecutionEnvironment acquire() {
    if (closed) {
      throw new IllegalStateException("the local runtime is closed");
    }
    ExecutionEnvironment pick = null;
    for (ExecutionEnvironment e : environments) {
      if (!busy.contains(e) && e.isWarm()) {
        pick = e;
        break;
      }
    }
    if (pick == null) {
      for (ExecutionEnvironment e : environments) {
        if (!busy.contains(e)) {
          pick = e; // stopped after a timeout or crash: it re-initialises in its own stream
          break;
        }
      }
    }
    if (pick == null && environments.size() < maxConcurrency) {
      pick = new ExecutionEnvironment(settings, "on-demand");
      environments.add(pick);
    }
    if (pick != null) {
      busy.add(pick);
    }
    return pick;
  }

  private synchronized void release(ExecutionEnvironment env) {
    busy.remove(env);
  }

  /**
   * Stops environments that have been idle for longer than the idle timeout (by the injected clock), so later
   * traffic meets cold starts again; provisioned environments stay. Runs in the background too, unless
   * disabled in the builder. Returns how many were stopped.
   */
  public int shutdownIdleEnvironments() {
    List<ExecutionEnvironment> victims = new ArrayList<>();
    Instant now = settings.clock().instant();
    synchronized (this) {
      for (ExecutionEnvironment e : environments) {
        if (!busy.contains(e) && !e.initType().equals("provisioned-concurrency")
            && Duration.between(e.idleSince(), now).compareTo(idleTimeout) >= 0) {
          victims.add(e);
        }
      }
      environments.removeAll(victims);
    }
    victims.forEach(e -> e.close("idle"));
    return victims.size();
  }

  /** A snapshot of the environments: log stream, whether warm, busy, and how many invocations each ran. */
  public synchronized List<EnvironmentInfo> environments() {
    List<EnvironmentInfo> out = new ArrayList<>();
    for (ExecutionEnvironment e : environments) {
      out.add(new EnvironmentInfo(e.logStream(), e.initType(), busy.contains(e), e.isWarm(), e.invocations()));
    }
    out.sort(Comparator.comparing(EnvironmentInfo::logStream));
    return out;
  }

  /** How many invocations were throttled so far. */
  public synchronized long throttleCount() {
    return throttles;
  }

  /** One execution environment as seen from outside. */
  public record EnvironmentInfo(String logStream, String initializationType, boolean busy, boolean warm,
      int invocations) {}

  /** Stops every environment (killing running invocations), flushes the sink, and frees ports and files. */
  @Override
  public void close() {
    List<ExecutionEnvironment> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(environments);
      environments.clear();
    }
    if (reaper != null) {
      reaper.shutdownNow();
    }
    all.forEach(ExecutionEnvironment::kill);
    all.forEach(e -> e.close("closed"));
    async.shutdownNow();
    try {
      settings.sink().flush();
    } catch (RuntimeException e) {
      System.err.println("taillight local runtime: flushing the log sink failed: " + e);
    }
    deleteQuietly(settings.workDir());
    ProcessRegistry.unregisterWorkDir(settings.workDir());
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.list(dir)) {
      files.forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
    dir.toFile().delete();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Builds a {@link LocalRuntime}; only {@link #function} is required. */
  public static final class Builder {
    private FunctionConfig function;
    private LogSink sink = LogSink.noop();
    private int maxConcurrency = 10;
    private Duration idleTimeout = Duration.ofMinutes(10);
    private int provisioned;
    private Clock clock = Clock.systemUTC();
    private Random random = new Random();
    private RuntimeListener listener = RuntimeListener.noop();
    private Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private Duration initTimeout = Duration.ofSeconds(10);
    private boolean reapInBackground = true;
    private Function<String, String> env = System::getenv;

    private Builder() {}

    public Builder function(FunctionConfig function) {
      this.function = requireNonNull(function, "function");
      return this;
    }

    /** Where every log line goes (the collector, CloudWatch Logs, a JSON-lines file...). Default: dropped. */
    public Builder sink(LogSink sink) {
      this.sink = requireNonNull(sink, "sink");
      return this;
    }

    /** Most environments at once (Lambda's reserved concurrency); further invocations are throttled. */
    public Builder maxConcurrency(int maxConcurrency) {
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    /** How long an environment may stay idle before it is shut down. Default 10 minutes. */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout");
      return this;
    }

    /** Environments started at build time, before any traffic (provisioned concurrency). Default 0. */
    public Builder provisioned(int provisioned) {
      this.provisioned = provisioned;
      return this;
    }

    /** The clock for log timestamps, deadlines and idle times. Default: the system clock (UTC). */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** The source of request ids, log stream names and trace ids; seed it for repeatable ids. */
    public Builder random(Random random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    public Builder listener(RuntimeListener listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /** The {@code java} executable for the environments. Default: the one running this JVM. */
    public Builder java(Path java) {
      this.java = requireNonNull(java, "java");
      return this;
    }

    /** Lambda gives init 10 seconds; so does this by default. */
    public Builder initTimeout(Duration initTimeout) {
      this.initTimeout = requireNonNull(initTimeout, "initTimeout");
      return this;
    }

    /** Whether a background thread shuts idle environments down (default true); tests call the method. */
    public Builder reapIdleInBackground(boolean reap) {
      this.reapInBackground = reap;
      return this;
    }

    /** Where the host's PATH and HOME are read from (handed to the children). Default {@code System::getenv}. */
    public Builder hostEnvironment(Function<String, String> env) {
      this.env = requireNonNull(env, "env");
      return this;
    }

    /**
     * Builds the runtime and starts the provisioned environments (waiting for their init).
     *
     * @throws IllegalArgumentException for a missing function, a concurrency below 1 or below {@code
     *     provisioned}, a java executable that does not exist
     * @throws IllegalStateException when the runtime interface client is not on this JVM's classpath
     */
    public LocalRuntime build() {
      if (function == null) {
        throw new IllegalArgumentException("no function: call function(FunctionConfig)");
      }
      if (maxConcurrency < 1) {
        throw new IllegalArgumentException("maxConcurrency must be at least 1, got " + maxConcurrency);
      }
      if (provisioned < 0 || provisioned > maxConcurrency) {
        throw new IllegalArgumentException(
            "provisioned must be between 0 and maxConcurrency (" + maxConcurrency + "), got " + provisioned);
      }
      if (!Files.isExecutable(java)) {
        throw new IllegalArgumentException("java executable not found: " + java);
      }
      List<Path> runtimeCp = ChildLauncher.runtimeClasspath();
      Path work;
      try {
        removeStaleWorkDirs(Path.of(System.getProperty("java.io.tmpdir")));
        work = Files.createTempDirectory(WORK_DIR_PREFIX + ProcessHandle.current().pid() + "-");
        ProcessRegistry.registerWorkDir(work);
      } catch (IOException e) {
        throw new IllegalStateException("cannot create a work directory: " + e.getMessage(), e);
      }
      String version = "java:" + Runtime.version().feature() + ".vlocal";
      Settings s = new Settings(function, sink, clock, new Ids(random), listener, java, runtimeCp, initTimeout, work,
          version, "arn:aws:lambda:" + function.region() + "::runtime:" + sha256(version), env,
          ChildLauncher.unpackNativeClient(work));
      LocalRuntime rt = new LocalRuntime(this, s);
      if (provisioned > 0) {
        List<ExecutionEnvironment> envs = new ArrayList<>();
        synchronized (rt) {
          for (int i = 0; i < provisioned; i++) {
            ExecutionEnvironment e = new ExecutionEnvironment(s, "provisioned-concurrency");
            envs.add(e);
            rt.environments.add(e);
            rt.busy.add(e);
          }
        }
        List<CompletableFuture<Boolean>> inits = envs.stream()
            .map(e -> CompletableFuture.supplyAsync(e::prewarm, rt.async)).toList();
        CompletableFuture.allOf(inits.toArray(CompletableFuture[]::new)).join();
        synchronized (rt) {
          rt.busy.removeAll(envs);
        }
      }
      return rt;
    }

    /**
     * Deletes work directories (FIFOs, the native library) left by runtimes whose process was killed outright,
     * recognised by the owner's pid in the name. Best effort.
     */
    static int removeStaleWorkDirs(Path tmp) {
      int removed = 0;
      try (var dirs = Files.newDirectoryStream(tmp, WORK_DIR_PREFIX + "*")) {
        for (Path dir : dirs) {
          String rest = dir.getFileName().toString().substring(WORK_DIR_PREFIX.length());
          int dash = rest.indexOf('-');
          if (dash <= 0) {
            continue;
          }
          long pid;
          try {
            pid = Long.parseLong(rest.substring(0, dash));
          } catch (NumberFormatException e) {
            continue;
          }
          if (ProcessHandle.of(pid).isEmpty()) {
            deleteQuietly(dir);
            removed++;
          }
        }
      } catch (IOException | RuntimeException e) {
        // best effort
      }
      return removed;
    }

    private static String sha256(String s) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(("taillight-local-runtime:" + s).getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
