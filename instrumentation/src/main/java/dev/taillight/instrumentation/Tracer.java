package dev.taillight.instrumentation;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The engine behind every wrapper: starts the invocation span ({@link #begin}), finishes it and writes
 * its line ({@link #end}), classifies cold starts, and warns before timeouts.
 *
 * <p>Design notes. Cold start: {@code faas.coldstart} is true only for the first invocation in an
 * environment whose {@code AWS_LAMBDA_INITIALIZATION_TYPE} is {@code on-demand} (absent counts as
 * on-demand), and only when that first invocation starts within the proactive-init gap of JVM start
 * (default 10 s, Lambda's on-demand init limit): a longer gap means Lambda initialised the environment
 * ahead of any request ({@code aws.lambda.proactive_init=true}, no cold start, no init span, as REPORT
 * then shows no Init Duration). Provisioned concurrency, SnapStart and Managed Instances are never cold
 * starts; SnapStart restores are reported through a {@code restore} child span when {@code org.crac}
 * is present. The first-invocation claim is one compare-and-set, so concurrent invocations in one JVM
 * (Managed Instances) see exactly one first.
 *
 * <p>Timeout warnings. One daemon thread, {@code taillight-timeout-watchdog} running {@link #run}, is
 * started on the first watched invocation (never at class load, so it costs nothing to functions that
 * never get there). It waits on the {@code watched} list's monitor for the earliest deadline and calls
 * {@link #warn}; it can never keep the JVM alive. {@code end} removes the entry, so nothing runs
 * afterwards. (The watchdog lives here rather than in a class of its own: every class loaded on the first
 * invocation is a jar lookup, define and verify on a cold JVM.)
 *
 * <p>Threading: {@code begin}/{@code end} run on the invocation's thread; any number may run at once.
 * Neither ever throws: failures are reported once on stderr and the invocation goes on untraced.
 */
final class Tracer implements Runnable {
  static final ThreadLocal<SpanRecord> CURRENT = new ThreadLocal<>();
  private static volatile Tracer global;

  final Config config;
  /** Null: the process's own environment (see {@link #env(String)}). */
  private final Function<String, String> env;
  /** Null: the JVM's system properties. */
  private final Function<String, String> properties;
  /** Null: {@code Instant.now()} (Clock.systemUTC() would also set up time zones on a cold JVM). */
  private final Clock clock;
  /** Null: {@code System.out} as it is at the time of each write (the Lambda runtime replaces it). */
  private final SpanWriter writer;
  private final LogCorrelation logs;
  /** Null: read /proc on first need. */
  private final LongSupplier processStartNanos;
  private long processStart = -1;
  final String initType;
  final String architecture;
  final long createdNanos;
  /** 1 until the first invocation claims it (AtomicInteger: AtomicBoolean would pull VarHandles into a cold JVM). */
  private final AtomicInteger first = new AtomicInteger(1);
  private final AtomicInteger firstAfterRestore = new AtomicInteger(0);
  private volatile long restoredAtNanos;
  private volatile long salt;
  /**
   * The id generator's state: SplitMix64 over a shared counter, seeded from both clocks as
   * ThreadLocalRandom seeds itself (which would add its own class set-up to a cold start); reseeded with
   * SecureRandom through {@code salt} after a SnapStart restore, so restored copies never share ids.
   */
  private final AtomicLong idState = new AtomicLong(mix(System.currentTimeMillis()) ^ mix(System.nanoTime()));
  /** Invocations waiting for a timeout warning; also the watchdog's monitor. */
  private final java.util.ArrayList<SpanRecord> watched = new java.util.ArrayList<>();
  /** The watchdog thread, once started; guarded by {@code watched}. */
  private Thread watchdog;
  /** System.nanoTime() the watchdog sleeps until; only an earlier deadline needs to wake it. */
  private long sleepingUntil;
  private boolean sleepingForever = true;
  /** The rendered resource attributes of the last context seen, and what they were rendered from. */
  private volatile Object[] resourceKey;
  private volatile byte[] resourceBytes;
  private volatile String[] lastArn;
  @SuppressWarnings("unused")
  private Object cracHook;

  /**
   * A tracer reading {@code env} and {@code properties} (null for the real ones: no lookup object to load on
   * a cold start), writing to {@code writer} (null for stdout), putting ids into {@code logs} (null for none).
   */
  Tracer(
      Config config,
      Function<String, String> env,
      Function<String, String> properties,
      Clock clock,
      SpanWriter writer,
      LogCorrelation logs,
      LongSupplier processStartNanos) {
    this.config = config;
    this.env = env;
    this.properties = properties;
    this.clock = clock;
    this.writer = writer;
    this.logs = logs;
    this.processStartNanos = processStartNanos;
    String it = env("AWS_LAMBDA_INITIALIZATION_TYPE");
    this.initType = it == null || it.isBlank() ? "on-demand" : it.trim();
    String arch = property("os.arch");
    this.architecture = arch != null && (arch.equals("aarch64") || arch.equals("arm64")) ? "arm64" : "x86_64";
    this.createdNanos = nowNanos();
    this.salt = System.nanoTime();
  }

  /** The tracer of this JVM, configured from the real environment; created on first use. */
  static Tracer global() {
    Tracer t = global;
    if (t == null) {
      synchronized (Tracer.class) {
        t = global;
        if (t == null) {
          try {
            t = createGlobal();
          } catch (Throwable e) {
            // never fail the function's init because of us: run untraced
            Problems.report("setting up tracing (handlers run untraced)", e);
            Function<String, String> none = new Function<String, String>() {
              @Override
              public String apply(String name) {
                return "TAILLIGHT_DISABLED".equals(name) ? "true" : null;
              }
            };
            t = new Tracer(Config.from(none), none, none, null, SpanWriter.noop(), null, null);
          }
          global = t;
        }
      }
    }
    return t;
  }

  /**
   * The default set-up touches as few classes as it can (each one is a jar lookup, define and verify on a
   * cold JVM): the real environment without a lookup object, stdout without a writer object, and the
   * log-correlation classes only when a logging framework is there.
   */
  private static Tracer createGlobal() {
    Config config = Config.from(null);
    SpanWriter writer = config.stdout() && !config.otlp() ? null : SpanWriter.forConfig(config);
    LogCorrelation logs = null;
    if (config.logCorrelation() && !config.disabled()) {
      ClassLoader loader = Tracer.class.getClassLoader();
      boolean slf4j = present("org.slf4j.MDC", loader);
      boolean log4j = present("org.apache.logging.log4j.ThreadContext", loader);
      logs = slf4j || log4j ? LogCorrelation.create(slf4j, log4j) : null;
    }
    Tracer tracer = new Tracer(config, null, null, null, writer, logs, null);
    if ("snap-start".equals(tracer.initType)) {
      tracer.registerCrac();
    }
    return tracer;
  }

  /**
   * Class.forName without initialising. (A resource lookup would avoid the exception of a missing class
   * but costs several times more on a cold JVM, even when nothing is found.)
   */
  static boolean present(String name, ClassLoader loader) {
    try {
      Class.forName(name, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** An environment variable, from the injected lookup or the process. */
  String env(String name) {
    return env == null ? System.getenv(name) : env.apply(name);
  }

  /** A system property, from the injected lookup or the JVM. */
  String property(String name) {
    return properties == null ? System.getProperty(name) : properties.apply(name);
  }

  private void registerCrac() {
    try {
      Class.forName("org.crac.Core", false, Tracer.class.getClassLoader());
      cracHook = CracHook.register(this);
    } catch (ClassNotFoundException | LinkageError e) {
      Problems.notice("crac", "SnapStart without org.crac on the classpath: restores are not reported"
          + " (add org.crac:crac to the function)");
    } catch (RuntimeException e) {
      Problems.report("registering the SnapStart restore hook", e);
    }
  }

  /** Called after a SnapStart restore: the next invocation reports the restore. */
  void restored() {
    restoredAtNanos = nowNanos();
    salt = salt * 31 + System.nanoTime() + new java.security.SecureRandom().nextLong();
    firstAfterRestore.set(1);
  }

  long nowNanos() {
    Instant i = clock == null ? Instant.now() : clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  private long randomId() {
    long id;
    do {
      id = mix(idState.addAndGet(0x9e3779b97f4a7c15L) ^ salt);
    } while (id == 0);
    return id;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * Starts the span of an invocation. {@code rawEvent}, when given, is the event's JSON (read for trace
   * context instead of {@code event}).
   *
   * @return the running invocation, or null when not traced (disabled, nested wrapper, or our failure)
   */
  SpanRecord begin(Object event, byte[] rawEvent, Context context) {
    if (config.disabled()) {
      return null;
    }
    try {
      String requestId = context == null ? null : context.getAwsRequestId();
      SpanRecord outer = CURRENT.get();
      if (outer != null && eq(outer.requestId, requestId)) {
        return null; // already traced by an outer wrapper (TaillightHandler around a TracedRequestHandler)
      }
      long now = nowNanos();
      SpanRecord span = new SpanRecord();
      span.startNanos = now;
      String functionName = context == null ? null : context.getFunctionName();
      if (functionName == null) {
        functionName = env("AWS_LAMBDA_FUNCTION_NAME");
      }
      span.name = functionName == null ? "invocation" : functionName;

      Object tree = rawEvent != null ? JsonTree.parse(rawEvent) : event;
      TraceContext parent = EventContext.apply(tree, clientCustom(context), span);
      TraceContext lambda = lambdaXRay();
      if (parent == null) {
        parent = lambda;
      } else if (lambda != null
          && (lambda.traceIdHigh() != parent.traceIdHigh() || lambda.traceIdLow() != parent.traceIdLow())) {
        span.put("aws.lambda.xray_trace_id", lambda.traceIdHex());
      }
      if (parent != null) {
        span.traceIdHigh = parent.traceIdHigh();
        span.traceIdLow = parent.traceIdLow();
        span.parentSpanId = parent.spanId();
        span.sampled = parent.sampled();
        span.traceState = parent.traceState();
      } else {
        span.traceIdHigh = randomId();
        span.traceIdLow = randomId();
      }
      span.spanId = randomId();

      span.put("faas.invocation_id", requestId);
      if (context != null) {
        span.put("aws.lambda.invoked_arn", context.getInvokedFunctionArn());
      }
      coldStart(span, now);

      span.tracer = this;
      span.context = context;
      span.thread = Thread.currentThread();
      span.requestId = requestId;
      span.state = new AtomicInteger(SpanRecord.RUNNING);
      span.previous = outer;
      CURRENT.set(span);
      if (logs != null) {
        logs.put(requestId, hex32(span), TraceContext.hex16(span.spanId));
      }
      watch(span, context);
      return span;
    } catch (Throwable t) {
      Problems.report("starting the invocation span", t);
      return null;
    }
  }

  private void coldStart(SpanRecord span, long now) {
    String type = initType;
    boolean firstHere = first.compareAndSet(1, 0);
    boolean cold = false;
    if (restoredAtNanos != 0 && firstAfterRestore.compareAndSet(1, 0)) {
      type = "snap-start";
      long restoreMs = (now - restoredAtNanos) / 1_000_000;
      span.put("aws.lambda.restore_duration_ms", (Object) restoreMs);
      span.addChild(child(span, "restore", restoredAtNanos, now));
    }
    if (firstHere && "on-demand".equals(type)) {
      long jvmStart = processStart();
      long sinceStartMs = jvmStart > 0 ? (now - jvmStart) / 1_000_000 : 0;
      boolean proactive = sinceStartMs > config.proactiveInitGapMs();
      span.put("aws.lambda.proactive_init", (Object) proactive);
      if (!proactive) {
        cold = true;
        if (jvmStart > 0 && jvmStart < now) {
          span.put("aws.lambda.init_duration_ms", (Object) sinceStartMs);
          span.addChild(child(span, "init", jvmStart, now));
        }
      }
    }
    span.put("faas.coldstart", (Object) cold);
    span.put("aws.lambda.init_type", type);
  }

  private synchronized long processStart() {
    if (processStart == -1) {
      processStart = processStartNanos != null ? processStartNanos.getAsLong() : readProcessStart(clock);
    }
    return processStart;
  }

  private SpanRecord child(SpanRecord parent, String name, long start, long end) {
    SpanRecord c = new SpanRecord();
    c.traceIdHigh = parent.traceIdHigh;
    c.traceIdLow = parent.traceIdLow;
    c.parentSpanId = parent.spanId;
    c.spanId = randomId();
    c.name = name;
    c.kind = SpanRecord.KIND_INTERNAL;
    c.startNanos = start;
    c.endNanos = end;
    return c;
  }

  /** A child span of the running invocation (SDK calls); ids filled in, times and attributes by caller. */
  SpanRecord newChild(SpanRecord a, String name, int kind) {
    long now = nowNanos();
    SpanRecord c = child(a, name, now, now);
    c.kind = kind;
    c.sampled = a.sampled;
    return c;
  }

  private void watch(SpanRecord a, Context context) {
    long margin = config.timeoutMarginMs();
    if (margin <= 0 || context == null) {
      return;
    }
    long remaining = context.getRemainingTimeInMillis();
    if (remaining <= margin || remaining > 15 * 60 * 1000L + margin) {
      return; // too late to warn, or not a real Lambda deadline
    }
    a.warnAtNanoTime = System.nanoTime() + (remaining - margin) * 1_000_000L;
    synchronized (watched) {
      watched.add(a);
      if (watchdog == null) {
        Thread t = new Thread(this, "taillight-timeout-watchdog");
        t.setDaemon(true);
        t.start();
        watchdog = t;
      } else if (sleepingForever || a.warnAtNanoTime - sleepingUntil < 0) {
        watched.notifyAll(); // a warm invocation with a later deadline than the one awaited wakes nobody
      }
    }
  }

  private void unwatch(SpanRecord a) {
    synchronized (watched) {
      for (int i = watched.size() - 1; i >= 0; i--) {
        if (watched.get(i) == a) {
          watched.remove(i);
          return;
        }
      }
    }
  }

  int watchedCount() {
    synchronized (watched) {
      return watched.size();
    }
  }

  /** The watchdog thread: warns each watched invocation when its time comes. Not for other callers. */
  @Override
  public void run() {
    while (true) {
      SpanRecord due;
      try {
        due = nextDue();
      } catch (Exception e) { // InterruptedException: named, the verifier would load it on a cold start
        return;
      }
      try {
        warn(due);
      } catch (Throwable t) {
        Problems.report("timeout warning", t);
      }
    }
  }

  private SpanRecord nextDue() throws InterruptedException {
    synchronized (watched) {
      while (true) {
        SpanRecord earliest = null;
        for (int i = 0; i < watched.size(); i++) {
          SpanRecord a = watched.get(i);
          if (earliest == null || a.warnAtNanoTime - earliest.warnAtNanoTime < 0) {
            earliest = a;
          }
        }
        if (earliest == null) {
          sleepingForever = true;
          watched.wait();
          continue;
        }
        long waitNanos = earliest.warnAtNanoTime - System.nanoTime();
        if (waitNanos <= 0) {
          unwatch(earliest);
          return earliest;
        }
        sleepingForever = false;
        sleepingUntil = earliest.warnAtNanoTime;
        watched.wait(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
      }
    }
  }

  /**
   * Finishes the invocation: sets end time, outcome, billing estimate, writes the line. Never throws.
   *
   * @param result the handler's result (read for an HTTP status code), or null
   * @param error the handler's exception, or null
   */
  void end(SpanRecord a, Object result, Throwable error) {
    if (a == null) {
      return;
    }
    try {
      SpanRecord span = a;
      long now = nowNanos();
      span.endNanos = now;
      Context context = a.context;
      if (error != null) {
        span.recordException(error, now);
      } else if (result != null) {
        httpStatus(span, result);
      }
      long memoryMb = 0;
      if (context != null) {
        span.put("aws.lambda.remaining_time_ms", (Object) (long) context.getRemainingTimeInMillis());
        memoryMb = context.getMemoryLimitInMB();
      }
      long billedMs = (now - span.startNanos + 999_999) / 1_000_000;
      if (Boolean.TRUE.equals(span.get("faas.coldstart"))) {
        Object init = span.get("aws.lambda.init_duration_ms");
        billedMs += init instanceof Long l ? l : 0;
      }
      Object restore = span.get("aws.lambda.restore_duration_ms");
      billedMs += restore instanceof Long l ? l : 0;
      span.put("aws.lambda.estimated_billed_duration_ms", (Object) billedMs);
      if (memoryMb > 0) {
        double cost = config.pricePerRequest()
            + billedMs / 1000.0 * (memoryMb / 1024.0) * config.priceGbSecond(architecture);
        span.put("aws.lambda.estimated_cost_usd", (Object) Double.valueOf(cost));
      }
      int previousState = a.state.getAndSet(SpanRecord.DONE);
      if (a.warnAtNanoTime != 0 && previousState == SpanRecord.RUNNING) {
        unwatch(a);
      }
      write(a, span);
    } catch (Throwable t) {
      Problems.report("finishing the invocation span", t);
    } finally {
      finish(a);
    }
  }

  private void finish(SpanRecord a) {
    try {
      SpanRecord previous = a.previous;
      if (previous == null) {
        CURRENT.remove();
        if (logs != null) {
          logs.remove();
        }
      } else {
        CURRENT.set(previous);
        if (logs != null) {
          logs.put(previous.requestId, hex32(previous), TraceContext.hex16(previous.spanId));
        }
      }
    } catch (Throwable t) {
      Problems.report("clearing the invocation context", t);
    }
  }

  private void write(SpanRecord a, SpanRecord span) {
    byte[] res = resourceFor(a.context);
    JsonOut out = JsonOut.forThread();
    JsonOut.otlpLine(out, res, span);
    synchronized (a) {
      write(out);
    }
  }

  private void write(JsonOut out) {
    if (writer != null) {
      writer.write(out.buf, 0, out.len);
    } else {
      java.io.PrintStream stdout = System.out;
      stdout.write(out.buf, 0, out.len); // one write per line: a framing runtime stream keeps it one event
      stdout.flush();
    }
  }

  /** Called by the watchdog shortly before the deadline: writes a warning line if still running. */
  void warn(SpanRecord a) {
    if (!a.state.compareAndSet(SpanRecord.RUNNING, SpanRecord.WARNED)) {
      return;
    }
    long now = nowNanos();
    SpanRecord w = snapshot(a);
    w.endNanos = now;
    w.set("aws.lambda.timeout_warning", true);
    if (a.context != null) {
      w.set("aws.lambda.remaining_time_ms", (long) a.context.getRemainingTimeInMillis());
    }
    String stack = SpanRecord.stackTrace(a.thread, a.thread.getStackTrace());
    if (stack.length() > SpanRecord.MAX_STACK_CHARS) {
      w.truncated += stack.length() - SpanRecord.MAX_STACK_CHARS;
      stack = stack.substring(0, SpanRecord.MAX_STACK_CHARS);
    }
    w.addEvent(new SpanRecord.Event("aws.lambda.timeout_warning", now,
        new Object[] {"exception.type", "TimeoutWarning", "exception.stacktrace", stack}));
    w.statusCode = SpanRecord.STATUS_ERROR;
    w.statusMessage = "about to time out";
    byte[] res = resourceFor(a.context);
    JsonOut out = JsonOut.forThread();
    JsonOut.otlpLine(out, res, w);
    synchronized (a) {
      if (a.state.get() == SpanRecord.WARNED) {
        write(out);
      }
    }
  }

  private static SpanRecord snapshot(SpanRecord s) {
    SpanRecord c = new SpanRecord();
    c.traceIdHigh = s.traceIdHigh;
    c.traceIdLow = s.traceIdLow;
    c.spanId = s.spanId;
    c.parentSpanId = s.parentSpanId;
    c.sampled = s.sampled;
    c.traceState = s.traceState;
    c.name = s.name;
    c.kind = s.kind;
    c.startNanos = s.startNanos;
    c.truncated = s.truncated;
    for (int i = 0; i < s.attributeCount; i++) {
      c.set(s.keys[i], s.values[i]);
    }
    if (s.links != null) {
      for (SpanRecord.Link l : s.links) {
        c.addLink(l);
      }
    }
    for (SpanRecord child : s.children()) {
      c.addChild(child);
    }
    return c;
  }

  private static void httpStatus(SpanRecord span, Object result) {
    if (span.get("http.request.method") == null || !EventContext.readable(result)) {
      return;
    }
    Object code = EventContext.get(result, "statusCode");
    long status = -1;
    if (code instanceof Number n) {
      status = n.longValue();
    } else if (code instanceof String s) {
      try {
        status = Long.parseLong(s.trim());
      } catch (RuntimeException e) { // NumberFormatException: named, the verifier would load it on a cold start
        return;
      }
    }
    if (status > 0) {
      span.set("http.response.status_code", status);
      if (status >= 500) {
        span.statusCode = SpanRecord.STATUS_ERROR;
      }
    }
  }

  private static Map<String, String> clientCustom(Context context) {
    if (context == null) {
      return null;
    }
    ClientContext cc = context.getClientContext();
    return cc == null ? null : cc.getCustom();
  }

  /** Lambda's own X-Ray header for this invocation: system property first (set per invocation). */
  private TraceContext lambdaXRay() {
    String h = property("com.amazonaws.xray.traceHeader");
    if (h == null || h.isEmpty()) {
      h = env("_X_AMZN_TRACE_ID");
    }
    return h == null || h.isEmpty() ? null : TraceContext.fromXRay(h);
  }

  static String hex32(SpanRecord s) {
    return TraceContext.hex32(s.traceIdHigh, s.traceIdLow);
  }

  private static boolean eq(String a, String b) {
    return a == null ? b == null : a.equals(b);
  }

  // ---------------------------------------------------------------------------------------- resource

  private byte[] resourceFor(Context c) {
    String fn = c == null ? null : c.getFunctionName();
    String version = c == null ? null : c.getFunctionVersion();
    String stream = c == null ? null : c.getLogStreamName();
    String group = c == null ? null : c.getLogGroupName();
    String arn = c == null ? null : c.getInvokedFunctionArn();
    int memory = c == null ? 0 : c.getMemoryLimitInMB();
    if (fn == null) {
      fn = env("AWS_LAMBDA_FUNCTION_NAME");
    }
    if (version == null) {
      version = env("AWS_LAMBDA_FUNCTION_VERSION");
    }
    if (stream == null) {
      stream = env("AWS_LAMBDA_LOG_STREAM_NAME");
    }
    if (group == null) {
      group = env("AWS_LAMBDA_LOG_GROUP_NAME");
    }
    String base;
    String[] last = lastArn; // {invoked ARN, its base}: one reference, so concurrent writers cannot mix pairs
    if (arn != null && last != null && arn == last[0]) {
      base = last[1];
    } else {
      base = baseArn(arn);
      lastArn = new String[] {arn, base};
    }
    Object[] key = resourceKey;
    byte[] cached = resourceBytes;
    if (key != null && cached != null && (Integer) key[5] == memory && eq(fn, (String) key[0])
        && eq(version, (String) key[1]) && eq(stream, (String) key[2]) && eq(group, (String) key[3])
        && eq(base, (String) key[4])) {
      return cached;
    }
    String region = env("AWS_REGION");
    String account = null;
    int c3 = colon(base, 3); // arn:aws:lambda:<region>:<account>:function:<name>
    int c4 = c3 < 0 ? -1 : base.indexOf(':', c3 + 1);
    if (c4 > 0) {
      int c5 = base.indexOf(':', c4 + 1);
      region = region == null || region.isEmpty() ? base.substring(c3 + 1, c4) : region;
      account = base.substring(c4 + 1, c5 < 0 ? base.length() : c5);
    }
    String resourceId = base == null ? null
        : version == null || version.equals("$LATEST") ? base : base + ":" + version;
    String service = config.serviceName() != null ? config.serviceName() : fn;
    Object[] kv = {
      "service.name", service == null ? "unknown_service:java" : service,
      "telemetry.sdk.name", "taillight",
      "telemetry.sdk.language", "java",
      "telemetry.sdk.version", JsonOut.SCOPE_VERSION,
      "cloud.provider", "aws",
      "cloud.platform", "aws_lambda",
      "cloud.region", region,
      "cloud.account.id", account,
      "cloud.resource_id", resourceId,
      "faas.name", fn,
      "faas.version", version,
      "faas.instance", stream,
      "faas.max_memory", memory > 0 ? Long.valueOf(memory * 1024L * 1024L) : null,
      "aws.log.group.names", group == null ? null : List.of(group),
      "aws.lambda.architecture", architecture,
    };
    byte[] bytes = JsonOut.otlpResource(kv);
    resourceBytes = null;
    resourceKey = new Object[] {fn, version, stream, group, base, memory};
    resourceBytes = bytes;
    return bytes;
  }

  /** Index of the {@code n}th colon of {@code s} (1-based), or -1 (also for null). No regex, no arrays. */
  private static int colon(String s, int n) {
    int at = -1;
    for (int i = 0; i < n; i++) {
      at = s == null ? -1 : s.indexOf(':', at + 1);
      if (at < 0) {
        return -1;
      }
    }
    return at;
  }

  /** The function ARN without alias/version qualifier, or null. */
  static String baseArn(String arn) {
    if (arn == null) {
      return null;
    }
    int count = 0;
    for (int i = 0; i < arn.length(); i++) {
      if (arn.charAt(i) == ':' && ++count == 7) {
        return arn.substring(0, i);
      }
    }
    return count == 6 ? arn : null;
  }

  /**
   * Process start time from {@code /proc/self/stat} (start, in 1/100 s since boot) and {@code /proc/uptime}
   * (now, since boot): two small file reads, where {@code ProcessHandle} or the management bean cost tens
   * of milliseconds on a cold JVM (a reaper thread pool and lambda bootstrap, or ~200 management
   * classes). Process start is also what Lambda's init duration counts from. Falls back to
   * {@code ProcessHandle} off Linux. 10 ms resolution. {@code clock} null: the system clock.
   */
  static long readProcessStart(Clock clock) {
    try {
      long v = fromProc(read("/proc/self/stat"), read("/proc/uptime"),
          epochNanos(clock == null ? Instant.now() : clock.instant()));
      return v > 0 ? v : fromProcessHandle();
    } catch (Throwable t) {
      Problems.report("reading the JVM start time", t);
      return 0;
    }
  }

  private static long fromProcessHandle() {
    Instant start = ProcessHandle.current().info().startInstant().orElse(null);
    return start == null ? 0 : epochNanos(start);
  }

  private static String read(String file) {
    try (java.io.FileInputStream in = new java.io.FileInputStream(file)) {
      byte[] buf = new byte[1024];
      int n = in.read(buf);
      if (n <= 0) {
        return null;
      }
      char[] chars = new char[n]; // ASCII; avoids initialising the charset tables on a cold JVM
      for (int i = 0; i < n; i++) {
        chars[i] = (char) (buf[i] & 0xff);
      }
      return new String(chars);
    } catch (Exception e) { // IOException: named, the verifier would load it on a cold start
      return null;
    }
  }

  /**
   * Epoch nanos of process start from a {@code /proc/[pid]/stat} line (field 22, starttime, in 1/100 s
   * since boot) and {@code /proc/uptime} ("seconds.hundredths ..."); 0 when either is unparseable.
   */
  static long fromProc(String stat, String uptime, long nowEpochNanos) {
    if (stat == null || uptime == null) {
      return 0;
    }
    int close = stat.lastIndexOf(')'); // the command name may contain spaces and parentheses
    if (close < 0) {
      return 0;
    }
    int field = 2;
    int i = close + 1;
    while (i < stat.length() && field < 22) {
      if (stat.charAt(i) == ' ') {
        field++;
      }
      i++;
    }
    long ticks = digits(stat, i);
    long upHundredths = 0;
    int dot = uptime.indexOf('.');
    if (dot > 0) {
      long whole = digits(uptime, 0);
      long frac = digits(uptime.substring(dot + 1, Math.min(uptime.length(), dot + 3)), 0);
      upHundredths = whole < 0 || frac < 0 ? -1 : whole * 100 + frac;
    }
    if (field != 22 || ticks < 0 || upHundredths <= 0) {
      return 0;
    }
    long sinceStart = (upHundredths - ticks) * 10_000_000L;
    if (sinceStart < 0 || sinceStart > 24L * 3600 * 1_000_000_000L) {
      return 0;
    }
    return nowEpochNanos - sinceStart;
  }

  /** The decimal number starting at {@code from}, or -1 when there is none. */
  private static long digits(String s, int from) {
    int end = from;
    while (end < s.length() && end - from < 18 && Character.isDigit(s.charAt(end))) {
      end++;
    }
    return end == from ? -1 : Long.parseLong(s.substring(from, end));
  }

  static long epochNanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

}
