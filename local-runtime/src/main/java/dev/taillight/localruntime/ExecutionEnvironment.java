package dev.taillight.localruntime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taillight.localruntime.InvocationResult.Status;
import dev.taillight.localruntime.RuntimeApiServer.Invocation;
import dev.taillight.localruntime.RuntimeApiServer.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/*
 * One execution environment: a log stream, and (while it is initialised) a child JVM running the runtime
 * interface client against this environment's own Runtime API server.
 *
 * Life cycle, as Lambda's:
 *   NEW --init--> READY (the runtime waits in GET /next) --invoke--> READY ... --close--> CLOSED
 *   A timeout, a crash or a failed init stops the child; the environment keeps its log stream and the next
 *   invocation initialises it again (a new INIT_START in the same stream).
 *
 * Threading: init/invoke/close are called by one thread at a time (the runtime hands an environment to one
 * invocation at a time); they are synchronized anyway. Everything the child does arrives as Signals on a queue,
 * tagged with the generation of the child that sent them, and is consumed by the invoking thread: no state is
 * shared with the server's threads except that queue.
 */
final class ExecutionEnvironment {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter STREAM_DATE =
      DateTimeFormatter.ofPattern("yyyy/MM/dd", java.util.Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final long DRAIN_MILLIS = 500;

  private record Tagged(int generation, Signal signal) {}

  private record InitOutcome(boolean ok, double durationMs, String errorType, String detail) {}

  private final Settings settings;
  private final FunctionConfig fn;
  private final String logStream;
  private final String initType;
  private final StreamWriter log;
  private final LinkedBlockingQueue<Tagged> signals = new LinkedBlockingQueue<>();

  private int generation;
  private Process process;
  private RuntimeApiServer server;
  private OutputPump stdout;
  private OutputPump stderr;
  private TelemetryPump telemetry;
  private ChildLauncher.Pipes fifos;
  private volatile CompletableFuture<Invocation> waitingNext;
  private double unreportedInitMs = -1;
  private long peakMemoryMb;
  private volatile Instant idleSince;
  private volatile boolean closed;
  private volatile int invocations;

  ExecutionEnvironment(Settings settings, String initType) {
    this.settings = settings;
    this.fn = settings.function();
    this.initType = initType;
    String suffix = settings.ids().hex(32);
    this.logStream = STREAM_DATE.format(settings.clock().instant()) + "/[$LATEST]" + suffix;
    this.log = new StreamWriter(settings.sink(), settings.clock(), fn.logGroup(), logStream, suffix.substring(0, 12));
    this.idleSince = settings.clock().instant();
  }

  String logStream() {
    return logStream;
  }

  String initType() {
    return initType;
  }

  Instant idleSince() {
    return idleSince;
  }

  int invocations() {
    return invocations;
  }

  /** Whether the runtime is initialised and waiting for an event. Never blocks (read by status snapshots). */
  boolean isWarm() {
    return waitingNext != null && !closed;
  }

  /** Initialises ahead of traffic (provisioned concurrency). Returns whether the runtime came up. */
  synchronized boolean prewarm() {
    if (waitingNext != null) {
      return true;
    }
    InitOutcome o = init();
    if (o.ok()) {
      unreportedInitMs = -1; // provisioned: the first REPORT carries no init duration
    }
    return o.ok();
  }

  private InitOutcome init() {
    Instant t = settings.clock().instant();
    log.write(PlatformLog.initStart(fn.logFormat(), t, initType, settings.runtimeVersion(),
        settings.runtimeVersionArn(), fn.name(), "$LATEST"));
    long t0 = System.nanoTime();
    int gen = ++generation;
    try {
      startChild(gen);
    } catch (IOException | RuntimeException e) {
      stopChild();
      double ms = elapsedMs(t0);
      String detail = "could not start the function's JVM: " + e.getMessage();
      log.write("taillight: " + detail);
      log.write(PlatformLog.initReport(fn.logFormat(), settings.clock().instant(), initType, "init", ms, "error",
          "Runtime.Unknown"));
      return new InitOutcome(false, ms, "Runtime.Unknown", detail);
    }
    long deadline = t0 + settings.initTimeout().toNanos();
    while (true) {
      Signal s = poll(gen, deadline);
      if (s == null) {
        stopChild();
        double ms = elapsedMs(t0);
        log.write(PlatformLog.initReport(fn.logFormat(), settings.clock().instant(), initType, "init", ms,
            "timeout", null));
        return new InitOutcome(false, ms, "Runtime.InitTimeout",
            "init did not finish within " + settings.initTimeout().toMillis() + " ms");
      }
      if (s instanceof Signal.Ready r) {
        double ms = elapsedMs(t0);
        waitingNext = r.slot();
        unreportedInitMs = ms;
        peakMemoryMb = Math.max(peakMemoryMb, readPeakMemoryMb());
        log.write(PlatformLog.initReport(fn.logFormat(), settings.clock().instant(), initType, "init", ms,
            "success", null));
        notifyStarted();
        return new InitOutcome(true, ms, null, null);
      }
      if (s instanceof Signal.InitError e) {
        double ms = elapsedMs(t0);
        awaitExit(2000);
        stopChild();
        String type = errorTypeOf(e.body(), e.errorType());
        log.write(PlatformLog.initReport(fn.logFormat(), settings.clock().instant(), initType, "init", ms, "error",
            type));
        notifyStarted();
        return new InitOutcome(false, ms, type, new String(e.body(), StandardCharsets.UTF_8));
      }
      if (s instanceof Signal.Exited x) {
        double ms = elapsedMs(t0);
        stopChild();
        log.write(PlatformLog.runtimeExited(fn.logFormat(), null, PlatformLog.exitDescription(x.exitValue()),
            "Runtime.ExitError"));
        log.write(PlatformLog.initReport(fn.logFormat(), settings.clock().instant(), initType, "init", ms, "error",
            "Runtime.ExitError"));
        notifyStarted();
        return new InitOutcome(false, ms, "Runtime.ExitError",
            "the function's JVM exited during init: " + PlatformLog.exitDescription(x.exitValue()));
      }
      // responses and errors of no invocation cannot happen during init; ignore them
    }
  }

  /** Runs one invocation to its end (response, error, timeout or crash) and writes its platform lines. */
  synchronized InvocationResult invoke(InvokeRequest req, String requestId) {
    invocations++;
    boolean cold = false;
    XRay xray = XRay.continueOrStart(req.traceHeader(), fn.activeTracing(), settings.ids(),
        settings.clock().instant().getEpochSecond());
    XRay reported = xray.sampled() ? xray : null;
    double initMs = -1;
    if (waitingNext == null) {
      cold = true;
      InitOutcome o = init();
      if (!o.ok()) {
        log.write(PlatformLog.start(fn.logFormat(), settings.clock().instant(), requestId, "$LATEST", reported));
        log.write(PlatformLog.end(fn.logFormat(), requestId));
        long billed = (long) Math.ceil(o.durationMs());
        log.write(PlatformLog.report(fn.logFormat(), settings.clock().instant(), new PlatformLog.Report(requestId,
            0.0, billed, fn.memoryMb(), peakMemoryMb, o.durationMs(), "failure", o.errorType(), reported)));
        idleSince = settings.clock().instant();
        return new InvocationResult(requestId, Status.INIT_ERROR, o.detail(), o.errorType(), logStream,
            xray.header(), true, 0.0, billed, o.durationMs(), peakMemoryMb);
      }
    }
    if (unreportedInitMs >= 0) {
      initMs = unreportedInitMs;
      unreportedInitMs = -1;
    }
    int gen = generation;
    Instant startTime = settings.clock().instant();
    log.write(PlatformLog.start(fn.logFormat(), startTime, requestId, "$LATEST", reported));
    long t0 = System.nanoTime();
    long timeoutNanos = fn.timeout().toNanos();
    Invocation inv = new Invocation(requestId, req.payload().getBytes(StandardCharsets.UTF_8),
        settings.clock().millis() + fn.timeout().toMillis(), fn.functionArn(), xray.header(), req.clientContext(),
        null);
    CompletableFuture<Invocation> slot = waitingNext;
    waitingNext = null;
    slot.complete(inv);

    byte[] answer = null;
    String errorType = null;
    boolean answered = false;
    long deadline = t0 + timeoutNanos;
    while (true) {
      Signal s = poll(gen, Math.min(deadline, System.nanoTime() + 100_000_000L));
      if (s == null) {
        if (System.nanoTime() - deadline >= 0) {
          return timedOut(requestId, xray, reported, t0, initMs, cold);
        }
        long rss = readMemoryMb("VmRSS:");
        if (rss > fn.memoryMb()) {
          peakMemoryMb = Math.max(peakMemoryMb, rss);
          return outOfMemory(requestId, xray, reported, t0, initMs, cold);
        }
        continue;
      }
      if (s instanceof Signal.Response r && r.requestId().equals(requestId)) {
        answer = r.body();
        answered = true;
      } else if (s instanceof Signal.FunctionError e && e.requestId().equals(requestId)) {
        answer = e.body();
        errorType = errorTypeOf(e.body(), e.errorType());
        answered = true;
      } else if (s instanceof Signal.Ready r) {
        waitingNext = r.slot();
        if (answered) {
          break;
        }
      } else if (s instanceof Signal.Exited x) {
        if (answered) {
          stopChild();
          break;
        }
        return crashed(requestId, xray, reported, t0, initMs, cold, x.exitValue());
      }
    }
    double durationMs = elapsedMs(t0);
    peakMemoryMb = Math.max(peakMemoryMb, readPeakMemoryMb());
    drainOutput();
    long billed = billed(durationMs, initMs);
    String status = errorType == null ? "success" : "error";
    log.write(PlatformLog.end(fn.logFormat(), requestId));
    log.write(PlatformLog.report(fn.logFormat(), settings.clock().instant(), new PlatformLog.Report(requestId,
        durationMs, billed, fn.memoryMb(), peakMemoryMb, initMs, status, errorType, reported)));
    idleSince = settings.clock().instant();
    return new InvocationResult(requestId, errorType == null ? Status.SUCCESS : Status.FUNCTION_ERROR,
        new String(answer, StandardCharsets.UTF_8), errorType, logStream, xray.header(), cold, durationMs, billed,
        initMs, peakMemoryMb);
  }

  private InvocationResult timedOut(String requestId, XRay xray, XRay reported, long t0, double initMs,
      boolean cold) {
    double durationMs = elapsedMs(t0);
    peakMemoryMb = Math.max(peakMemoryMb, readPeakMemoryMb());
    drainOutput();
    log.write(PlatformLog.taskTimedOut(fn.logFormat(), settings.clock().instant(), requestId,
        fn.timeout().toMillis() / 1000.0));
    stopChild();
    long billed = billed(durationMs, initMs);
    log.write(PlatformLog.end(fn.logFormat(), requestId));
    log.write(PlatformLog.report(fn.logFormat(), settings.clock().instant(), new PlatformLog.Report(requestId,
        durationMs, billed, fn.memoryMb(), peakMemoryMb, initMs, "timeout", null, reported)));
    idleSince = settings.clock().instant();
    notifyStopped("timeout");
    String message = String.format(java.util.Locale.ROOT,
        "{\"errorMessage\":\"%s Task timed out after %.2f seconds\",\"errorType\":\"Sandbox.Timedout\"}",
        requestId, fn.timeout().toMillis() / 1000.0);
    return new InvocationResult(requestId, Status.TIMEOUT, message, "Sandbox.Timedout", logStream, xray.header(),
        cold, durationMs, billed, initMs, peakMemoryMb);
  }

  private InvocationResult outOfMemory(String requestId, XRay xray, XRay reported, long t0, double initMs,
      boolean cold) {
    stopChild();
    return exitedResult(requestId, xray, reported, t0, initMs, cold, "signal: killed", "Runtime.OutOfMemory");
  }

  private InvocationResult crashed(String requestId, XRay xray, XRay reported, long t0, double initMs, boolean cold,
      int exitValue) {
    stopChild();
    return exitedResult(requestId, xray, reported, t0, initMs, cold, PlatformLog.exitDescription(exitValue),
        "Runtime.ExitError");
  }

  private InvocationResult exitedResult(String requestId, XRay xray, XRay reported, long t0, double initMs,
      boolean cold, String exitDescription, String errorType) {
    double durationMs = elapsedMs(t0);
    log.write(PlatformLog.runtimeExited(fn.logFormat(), requestId, exitDescription, errorType));
    long billed = billed(durationMs, initMs);
    log.write(PlatformLog.end(fn.logFormat(), requestId));
    log.write(PlatformLog.report(fn.logFormat(), settings.clock().instant(), new PlatformLog.Report(requestId,
        durationMs, billed, fn.memoryMb(), peakMemoryMb, initMs, "failure", errorType, reported)));
    idleSince = settings.clock().instant();
    notifyStopped("exited");
    String message = "{\"errorMessage\":\"RequestId: " + requestId + " Error: Runtime exited with error: "
        + exitDescription + "\",\"errorType\":\"" + errorType + "\"}";
    return new InvocationResult(requestId, Status.RUNTIME_EXIT, message, errorType, logStream, xray.header(), cold,
        durationMs, billed, initMs, peakMemoryMb);
  }

  private long billed(double durationMs, double initMs) {
    double total = durationMs + (initMs >= 0 && initType.equals("on-demand") ? initMs : 0);
    return Math.max(1, (long) Math.ceil(total));
  }

  private static String errorTypeOf(byte[] body, String fallback) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.hasNonNull("errorType")) {
        return node.get("errorType").asText();
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: use the header
    }
    return fallback;
  }

  private Signal poll(int gen, long deadlineNanos) {
    while (true) {
      long wait = deadlineNanos - System.nanoTime();
      if (wait <= 0) {
        return null;
      }
      Tagged t;
      try {
        t = signals.poll(wait, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      if (t == null) {
        return null;
      }
      if (t.generation() == gen) {
        return t.signal();
      }
    }
  }

  private void startChild(int gen) throws IOException {
    server = new RuntimeApiServer(s -> signals.add(new Tagged(gen, s)), "taillight-runtime-api-" + shortId());
    String base = shortId() + "-" + gen;
    fifos = new ChildLauncher.Pipes(settings.workDir().resolve(base + ".out"),
        settings.workDir().resolve(base + ".err"), settings.workDir().resolve(base + ".log"));
    for (Path p : new Path[] {fifos.stdout(), fifos.stderr(), fifos.telemetry()}) {
      Files.deleteIfExists(p);
    }
    Fifos.make(fifos.stdout(), fifos.stderr(), fifos.telemetry());
    Map<String, String> host = new HashMap<>();
    for (String k : new String[] {"PATH", "HOME"}) {
      String v = settings.hostEnv().apply(k);
      if (v != null) {
        host.put(k, v);
      }
    }
    Map<String, String> env = ChildLauncher.environment(fn, server.address(), logStream, initType, host);
    stdout = new OutputPump(fifos.stdout(), log::write, "taillight-stdout-" + shortId());
    stderr = new OutputPump(fifos.stderr(), log::write, "taillight-stderr-" + shortId());
    telemetry = new TelemetryPump(fifos.telemetry(), log::write, "taillight-log-frames-" + shortId());
    process = ChildLauncher.start(ChildLauncher.command(fn, settings.java(), settings.runtimeClasspath(),
        settings.nativeClient(), fifos),
        env, settings.workDir());
    process.onExit().thenAccept(p -> signals.add(new Tagged(gen, new Signal.Exited(p.exitValue()))));
    ProcessRegistry.register(process);
  }

  private String shortId() {
    return logStream.substring(logStream.length() - 8);
  }

  private void drainOutput() {
    if (stdout != null) {
      stdout.drain(DRAIN_MILLIS);
    }
    if (stderr != null) {
      stderr.drain(DRAIN_MILLIS);
    }
    if (telemetry != null) {
      telemetry.drain(DRAIN_MILLIS);
    }
  }

  private void awaitExit(long millis) {
    if (process != null) {
      try {
        process.waitFor(millis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Kills the child (if any), waits for it, delivers what it wrote, and frees its port and FIFO. */
  private void stopChild() {
    Process p = process;
    if (p != null) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ProcessRegistry.unregister(p);
    }
    if (stdout != null) {
      stdout.release();
      stdout.awaitFinished(1000);
    }
    if (stderr != null) {
      stderr.release();
      stderr.awaitFinished(1000);
    }
    if (telemetry != null) {
      telemetry.release();
      telemetry.drain(200);
    }
    if (server != null) {
      server.close();
    }
    if (fifos != null) {
      for (Path f : new Path[] {fifos.stdout(), fifos.stderr(), fifos.telemetry()}) {
        try {
          Files.deleteIfExists(f);
        } catch (IOException ignored) {
          // the runtime's work directory is removed on close anyway
        }
      }
    }
    process = null;
    server = null;
    stdout = null;
    stderr = null;
    telemetry = null;
    fifos = null;
    waitingNext = null;
  }

  /** Peak resident memory of the child so far (VmHWM), in MB rounded up; 0 when unknown. */
  private long readPeakMemoryMb() {
    return readMemoryMb("VmHWM:");
  }

  private long readMemoryMb(String field) {
    Process p = process;
    if (p == null) {
      return 0;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
        if (line.startsWith(field)) {
          String[] parts = line.substring(field.length()).strip().split("\\s+");
          long kb = Long.parseLong(parts[0]);
          return (kb + 1023) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone
    }
    return 0;
  }

  private static double elapsedMs(long t0) {
    return (System.nanoTime() - t0) / 1_000_000.0;
  }

  private void notifyStarted() {
    try {
      settings.listener().environmentStarted(logStream, initType);
    } catch (RuntimeException ignored) {
      // listeners never break the runtime
    }
  }

  private void notifyStopped(String reason) {
    try {
      settings.listener().environmentStopped(logStream, reason);
    } catch (RuntimeException ignored) {
      // listeners never break the runtime
    }
  }

  /** Stops the child for good. */
  void close(String reason) {
    closed = true;
    boolean hadChild;
    synchronized (this) {
      hadChild = process != null;
      stopChild();
    }
    if (hadChild) {
      notifyStopped(reason);
    }
  }

  /** Kills the child without waiting for anything (shutdown hook). */
  void kill() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
    }
  }
}
