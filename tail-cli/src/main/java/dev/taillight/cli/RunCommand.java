package dev.taillight.cli;

import dev.taillight.cli.render.Ansi;
import dev.taillight.cli.render.InvocationsRenderer;
import dev.taillight.cli.render.JsonLinesRenderer;
import dev.taillight.cli.render.LineFilter;
import dev.taillight.cli.render.PlainRenderer;
import dev.taillight.cli.render.TailRenderer;
import dev.taillight.collector.Collector;
import dev.taillight.collector.store.Store;
import dev.taillight.localruntime.FunctionConfig;
import dev.taillight.localruntime.InvocationResult;
import dev.taillight.localruntime.LocalRuntime;
import dev.taillight.localruntime.LogFormat;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code taillight run}: invokes a Java handler on this machine the way Lambda would (the local runtime: real
 * runtime interface client in child JVMs, cold starts, timeouts, platform lines), and shows its logs exactly as
 * {@code tail} shows CloudWatch's: grouped by invocation, recorded in the index.
 */
@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Run a Java Lambda handler locally, the way Lambda runs it, and show its invocations as 'tail' "
        + "does (recorded in the index too).", "",
        "Each execution environment is a child JVM running the AWS Lambda runtime interface client; the first "
            + "invocation of each is a cold start. Exits with 1 when an invocation failed."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  taillight run com.example.OrdersApi::handleRequest --classpath target/orders.jar --event '{\"id\":42}'",
        "  taillight run com.example.Handler --classpath target/classes --event @event.json --count 5",
        "  taillight run com.example.Handler --classpath fn.jar --event @event.json --count 20 --concurrency 4 \\",
        "      --memory 256 --timeout 3s --format invocations"})
final class RunCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Parameters(paramLabel = "HANDLER", description = "The handler, as Lambda takes it: package.Class::method or "
      + "package.Class.")
  String handler;

  @Option(names = {"-cp", "--classpath"}, paramLabel = "PATH", required = true,
      description = "The function's code: jars and class directories, separated by ':' (';' on Windows).")
  String classpath;

  @Option(names = "--name", paramLabel = "NAME", description = "Function name (default: the handler's class name).")
  String name;

  @Option(names = {"-e", "--event"}, paramLabel = "JSON|@FILE|-", defaultValue = "{}",
      description = "The event: JSON text, @file to read it from a file, or - for stdin. Default: ${DEFAULT-VALUE}.")
  String event;

  @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "1",
      description = "Invoke N times. Default: ${DEFAULT-VALUE}.")
  int count;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "1",
      description = "Run up to N invocations at once (N environments). Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Option(names = "--memory", paramLabel = "MB", defaultValue = "512",
      description = "Memory setting in MB (sizes the heap, reported in REPORT). Default: ${DEFAULT-VALUE}.")
  int memoryMb;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "Function timeout. Default: ${DEFAULT-VALUE}.")
  String timeout;

  @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "TEXT",
      description = "TEXT or JSON platform and logger lines, as Lambda's LoggingConfig. Default: ${DEFAULT-VALUE}.")
  LogFormat logFormat;

  @Option(names = "--env", paramLabel = "KEY=VALUE", description = "An environment variable for the function "
      + "(repeatable).")
  List<String> env = new ArrayList<>();

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "plain",
      description = "plain, json or invocations, as for 'tail'. Default: ${DEFAULT-VALUE}.")
  TailCommand.OutputFormat format;

  @Option(names = "--no-store", description = "Do not record the invocations in the local index.")
  boolean noStore;

  RunCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    if (count < 1 || concurrency < 1) {
      throw CliException.usage("--count and --concurrency must be at least 1", "e.g. --count 5 --concurrency 2");
    }
    String payload = payload();
    List<Path> cp = new ArrayList<>();
    for (String p : classpath.split(File.pathSeparator)) {
      if (p.isBlank()) {
        continue;
      }
      Path path = Path.of(p);
      if (!Files.exists(path)) {
        throw CliException.notFound("no such file or directory on --classpath: " + p,
            "give the function's jar or its compiled classes (e.g. target/classes)");
      }
      cp.add(path.toAbsolutePath());
    }
    if (cp.isEmpty()) {
      throw CliException.usage("--classpath is empty", "give the function's jar or class directory");
    }
    FunctionConfig.Builder fb = FunctionConfig.builder(handler).classpath(cp).memoryMb(memoryMb)
        .timeout(TimeArgs.duration("--timeout", timeout)).logFormat(logFormat);
    if (name != null) {
      fb.name(name);
    }
    Map<String, String> vars = new LinkedHashMap<>();
    for (String kv : env) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw CliException.usage("invalid --env '" + kv + "'", "write KEY=VALUE");
      }
      vars.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    fb.env(vars);
    FunctionConfig fn;
    try {
      fn = fb.build();
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage(), "see 'taillight run --help'");
    }
    Store store = noStore ? null : ctx.openStore();
    TailRenderer renderer = switch (format) {
      case plain -> new PlainRenderer(ctx.out, ctx.ansi(), ctx.zone(), LineFilter.all(), false, ctx.env.unicode());
      case json -> new JsonLinesRenderer(ctx.out, LineFilter.all());
      case invocations -> new InvocationsRenderer(ctx.out, LineFilter.all());
    };
    Collector.Builder cb = Collector.builder().clock(ctx.env.clock()).listener(renderer);
    if (store != null) {
      cb.listener(store);
    }
    Collector collector = cb.build();
    List<InvocationResult> results = new ArrayList<>();
    try (LocalRuntime runtime = LocalRuntime.builder().function(fn).sink(collector).maxConcurrency(concurrency)
        .clock(ctx.env.clock()).hostEnvironment(ctx.env.env()).build()) {
      ctx.closeLater(runtime);
      List<CompletableFuture<InvocationResult>> pending = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        pending.add(CompletableFuture.supplyAsync(() -> runtime.invoke(payload), runner(concurrency)));
        if (pending.size() >= concurrency) {
          results.add(pending.remove(0).join());
        }
      }
      for (CompletableFuture<InvocationResult> f : pending) {
        results.add(f.join());
      }
    }
    collector.finishAll();
    collector.close();
    renderer.finish();
    if (store != null) {
      store.flush();
    }
    Ansi ansi = ctx.ansi();
    long failed = results.stream().filter(r -> !r.succeeded()).count();
    if (format == TailCommand.OutputFormat.plain) {
      for (InvocationResult r : results) {
        String body = r.payload().length() > 200 ? r.payload().substring(0, 199) + "~" : r.payload();
        ctx.out.println(ansi.dim("response " + r.requestId() + " " + r.status() + ": ") + body.replace('\n', ' '));
      }
    }
    if (failed > 0) {
      InvocationResult first = results.stream().filter(r -> !r.succeeded()).findFirst().orElseThrow();
      throw CliException.failure(failed + " of " + results.size() + " invocation(s) failed (first: " + first.status()
          + (first.errorType() == null ? "" : " " + first.errorType()) + ")",
          "the function's lines above show why; 'taillight search --errors' finds them later", null);
    }
    return ExitCode.OK;
  }

  private java.util.concurrent.Executor runner(int n) {
    if (executor == null) {
      executor = java.util.concurrent.Executors.newFixedThreadPool(n, r -> {
        Thread t = new Thread(r, "taillight-run");
        t.setDaemon(true);
        return t;
      });
    }
    return executor;
  }

  private java.util.concurrent.ExecutorService executor;

  private String payload() throws IOException {
    if (event.equals("-")) {
      return new String(ctx.env.stdin().readAllBytes(), StandardCharsets.UTF_8);
    }
    if (event.startsWith("@")) {
      Path p = Path.of(event.substring(1));
      if (!Files.exists(p)) {
        throw CliException.notFound("no such event file: " + p, "give --event @path/to/event.json");
      }
      return Files.readString(p, StandardCharsets.UTF_8);
    }
    return event;
  }
}
