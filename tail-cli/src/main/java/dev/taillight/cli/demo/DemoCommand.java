package dev.taillight.cli.demo;

import dev.taillight.cli.CliEnv;
import dev.taillight.cli.CliException;
import dev.taillight.cli.render.Ansi;
import dev.taillight.cli.render.InvocationsRenderer;
import dev.taillight.cli.render.JsonLinesRenderer;
import dev.taillight.cli.render.LineFilter;
import dev.taillight.cli.render.PlainRenderer;
import dev.taillight.cli.render.TailRenderer;
import dev.taillight.cli.tui.KeyMap;
import dev.taillight.cli.tui.TuiApp;
import dev.taillight.cli.tui.TuiFeed;
import dev.taillight.cli.tui.TuiModel;
import dev.taillight.cli.tui.TuiView;
import dev.taillight.collector.Collector;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationListener;
import dev.taillight.collector.LogSink;
import dev.taillight.collector.file.JsonLinesSink;
import dev.taillight.collector.SourceStatus;
import dev.taillight.collector.Trace;
import dev.taillight.collector.store.Store;
import dev.taillight.localruntime.RuntimeListener;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code taillight demo}: runs the example order pipeline on this machine (no AWS account, no network) with
 * traffic that shows cold starts, scale-out, a timeout and errors within the first minute, and shows it as
 * {@code tail} would: the interactive view on a terminal, else text, JSON or invocations; everything is recorded
 * in the local index for {@code search}, {@code trace} and {@code stats}.
 */
@Command(name = "demo", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Run the example order pipeline locally and watch it: no AWS account, no network.", "",
        "Starts orders-api, payment-worker and notifier from the examples jar in the local Lambda runtime (child "
            + "JVMs under the real AWS runtime interface client), connected by local SQS queues, and sends orders "
            + "that show cold starts, scale-out, a timeout, a declined card, a crash and a memory-hungry receipt "
            + "within the first minute. The logs go through the same pipeline as 'tail' and into the local index, "
            + "so 'search', 'trace' and 'stats' work afterwards."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  taillight demo                                   the interactive view (q quits)",
        "  taillight demo --no-tui --duration 60s           one minute of plain text",
        "  taillight demo --format invocations --duration 30s | jq -c '{function, status, coldStart}'",
        "  taillight search --errors --since 10m            afterwards: what failed",
        "  taillight stats --since 10m                      afterwards: per-function numbers"})
public final class DemoCommand implements Callable<Integer> {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private final CliEnv env;
  private final PrintStream out;
  private final PrintStream err;

  @Spec CommandSpec spec;

  @Option(names = "--jar", paramLabel = "PATH",
      description = "The examples jar (default: $TAILLIGHT_EXAMPLES_JAR, next to the taillight jar, "
          + "examples/target/taillight-examples.jar).")
  Path jar;

  @Option(names = "--duration", paramLabel = "DURATION",
      description = "Stop after this long (30s, 2m). Default: until you quit (q in the interactive view, Ctrl-C).")
  String duration;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "plain",
      description = "plain, json or invocations, as for 'tail'. Default: ${DEFAULT-VALUE}.")
  Format format;

  @Option(names = "--no-tui", description = "Print text even on a terminal.")
  boolean noTui;

  @Option(names = "--all-lines", description = "Also show START/END/REPORT and span lines.")
  boolean allLines;

  @Option(names = "--no-store", description = "Do not record the demo in the local index.")
  boolean noStore;

  @Option(names = "--jsonl", paramLabel = "FILE",
      description = "Also write every log event to FILE as JSON lines (replay it with 'taillight tail --from FILE').")
  Path jsonl;

  @Option(names = "--seed", paramLabel = "N", description = "Seed for the traffic (the same orders every run).")
  Long seed;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4",
      description = "Most execution environments per function. Default: ${DEFAULT-VALUE}.")
  int concurrency;

  /** Output formats, as for tail. */
  enum Format { plain, json, invocations }

  /** Runs with this environment and these streams (registered by the CLI's Main). */
  public DemoCommand(CliEnv env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    Duration limit = duration == null ? null : parseDuration(duration);
    if (concurrency < 1 || concurrency > 10) {
      throw CliException.usage("--concurrency must be 1..10, got " + concurrency, "e.g. --concurrency 4");
    }
    Path examples = ExamplesJar.find(jar, env::get, Path.of("").toAbsolutePath());
    boolean tui = format == Format.plain && !noTui && env.terminal();
    List<InvocationListener> listeners = new ArrayList<>();
    TailRenderer renderer = tui ? null : renderer();
    if (renderer != null) {
      listeners.add(renderer);
    }
    Store store = noStore ? null : Store.builder().path(storePath()).clock(env.clock()).build();
    if (store != null) {
      listeners.add(store);
    }
    TuiFeed feed = tui ? new TuiFeed() : null;
    if (feed != null) {
      listeners.add(feed);
    }
    AtomicReference<String> exampleTrace = new AtomicReference<>();
    AtomicLong finished = new AtomicLong();
    listeners.add(new InvocationListener() {
      @Override
      public void onInvocationFinished(Invocation inv) {
        finished.incrementAndGet();
        if (inv.function().equals("notifier") && inv.traceId() != null) {
          exampleTrace.compareAndSet(null, inv.traceId());
        }
      }
    });
    Collector.Builder cb = Collector.builder().clock(env.clock()).tickEvery(Duration.ofMillis(200));
    listeners.forEach(cb::listener);
    Collector collector = cb.build();
    Random random = seed == null ? new Random() : new Random(seed);   // the orders; ids stay unique per run
    AtomicLong environments = new AtomicLong();
    RuntimeListener notes = new RuntimeListener() {
      @Override
      public void environmentStarted(String logStream, String initializationType) {
        environments.incrementAndGet();
      }

      @Override
      public void environmentStopped(String logStream, String reason) {
        environments.decrementAndGet();
      }
    };
    if (!tui) {
      err.println("taillight demo: starting orders-api, payment-worker and notifier from " + examples
          + " in the local runtime" + (limit == null ? "; Ctrl-C stops" : " for " + duration));
      err.flush();
    }
    LogSink sink = collector;
    JsonLinesSink file = null;
    if (jsonl != null) {
      try {
        file = JsonLinesSink.toFile(jsonl);
      } catch (RuntimeException e) {
        collector.close();
        throw CliException.failure("cannot write " + jsonl + ": " + e.getMessage(),
            "--jsonl takes a file path in a writable directory", e);
      }
      sink = LogSink.composite(List.of(file, collector));
    }
    DemoPipeline pipeline;
    try {
      pipeline = DemoPipeline.builder(examples).sink(sink).listener(notes)
          .concurrency(concurrency).build();
    } catch (IllegalStateException | IllegalArgumentException e) {
      collector.close();
      if (store != null) {
        store.close();
      }
      throw CliException.failure("cannot start the local runtime: " + e.getMessage(),
          "the demo needs Java 17+ and the AWS Lambda runtime interface client inside the taillight jar", e);
    }
    DemoRun run = new DemoRun(pipeline, new DemoTraffic(random), env.clock(), err, !tui);
    JsonLinesSink jsonFile = file;
    Thread hook = new Thread(() -> stop(run, pipeline, collector, store, jsonFile), "taillight-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      run.start();
      if (tui) {
        runTui(collector, store, feed, run, limit, environments);
      } else {
        long end = limit == null ? Long.MAX_VALUE : env.clock().millis() + limit.toMillis();
        while (env.clock().millis() < end) {
          Thread.sleep(Math.min(200, Math.max(1, end - env.clock().millis())));
        }
      }
    } finally {
      stop(run, pipeline, collector, store, jsonFile);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down already
      }
    }
    if (renderer != null) {
      renderer.finish();
    }
    out.flush();
    err.println("taillight demo: " + finished.get() + " invocations"
        + (store == null ? "" : ", recorded in " + store.path()));
    if (store != null) {
      err.println("  next: taillight search --errors --since 15m | taillight stats --since 15m"
          + (exampleTrace.get() == null ? "" : " | taillight trace " + exampleTrace.get()));
    }
    err.flush();
    return 0;
  }

  private final Object stopLock = new Object();
  private boolean stopped;

  private void stop(DemoRun run, DemoPipeline pipeline, Collector collector, Store store, JsonLinesSink file) {
    synchronized (stopLock) {
      if (stopped) {
        return;
      }
      stopped = true;
    }
    run.stop();
    try {
      pipeline.awaitIdle(Duration.ofSeconds(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pipeline.close();
    if (file != null) {
      file.close();
    }
    collector.finishAll();
    collector.close();
    if (store != null) {
      store.flush();
      store.close();
    }
  }

  private void runTui(Collector collector, Store store, TuiFeed feed, DemoRun run, Duration limit,
      AtomicLong environments) throws Exception {
    Terminal terminal = new DefaultTerminalFactory(out, env.stdin(), StandardCharsets.UTF_8)
        .setForceTextTerminal(true).createTerminal();
    TuiModel model = new TuiModel(KeyMap.defaults(), () -> env.clock().millis(),
        inv -> traceOf(inv, collector, store), 50_000, allLines);
    for (String fn : DemoPipeline.FUNCTIONS) {
      model.functions().register(fn, "/aws/lambda/" + fn);
    }
    long end = limit == null ? Long.MAX_VALUE : env.clock().millis() + limit.toMillis();
    try (TuiApp app = new TuiApp(terminal, model, feed, new TuiView(env.clock().getZone(), env.unicode()),
        () -> new SourceStatus("local demo", 0, run.ordersSent(), 0, List.of(),
            environments.get() + " environments running" + (run.note() == null ? "" : "; " + run.note())))) {
      app.start();
      while (!model.quit() && env.clock().millis() < end) {
        if (!app.step() && feed.isEmpty()) {
          Thread.sleep(15);
        }
      }
    }
  }

  private static Trace traceOf(Invocation inv, Collector collector, Store store) {
    if (inv.traceId() != null) {
      Optional<Trace> t = collector.trace(inv.traceId());
      if (t.isEmpty() && store != null) {
        t = store.trace(inv.traceId());
      }
      if (t.isPresent()) {
        return t.get();
      }
    }
    return TuiModel.traceOf(inv);
  }

  private TailRenderer renderer() {
    LineFilter filter = new LineFilter(List.of(), List.of());
    return switch (format) {
      case plain -> new PlainRenderer(out, new Ansi(colors()), env.clock().getZone(), filter, allLines,
          env.unicode());
      case json -> new JsonLinesRenderer(out, filter);
      case invocations -> new InvocationsRenderer(out, filter);
    };
  }

  private boolean colors() {
    Object v = inherited("--color");
    String mode = v == null ? "auto" : v.toString();
    return switch (mode) {
      case "always" -> true;
      case "never" -> false;
      default -> env.terminal() && env.get("NO_COLOR") == null && !"dumb".equals(env.get("TERM"));
    };
  }

  private Path storePath() {
    Object v = inherited("--store");
    if (v != null) {
      return Path.of(v.toString());
    }
    return Store.defaultPath(name -> name.equals("HOME") ? env.home().toString() : env.get(name));
  }

  /** A global option's value, given before or after the command name. */
  private Object inherited(String name) {
    OptionSpec mine = spec == null ? null : spec.findOption(name);
    Object v = mine == null ? null : mine.getValue();
    if (v == null && spec != null && spec.root() != null) {
      OptionSpec root = spec.root().findOption(name);
      v = root == null ? null : root.getValue();
    }
    return v;
  }

  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw CliException.usage("invalid --duration '" + text + "'", "use a number and a unit: 500ms, 30s, 2m, 1h");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
    if (d.isZero()) {
      throw CliException.usage("--duration must be more than 0", "e.g. --duration 60s");
    }
    return d;
  }
}
