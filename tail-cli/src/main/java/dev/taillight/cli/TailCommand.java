package dev.taillight.cli;

import dev.taillight.cli.render.InvocationsRenderer;
import dev.taillight.cli.render.JsonLinesRenderer;
import dev.taillight.cli.render.LineFilter;
import dev.taillight.cli.render.PlainRenderer;
import dev.taillight.cli.render.TailRenderer;
import dev.taillight.cli.tui.TuiFeed;
import dev.taillight.collector.Collector;
import dev.taillight.collector.InvocationListener;
import dev.taillight.collector.LogSink;
import dev.taillight.collector.LogSource;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.file.FileSource;
import dev.taillight.collector.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code taillight tail}: follows functions' logs, folded into invocations. */
@Command(name = "tail", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Follow the logs of one or more functions, grouped by invocation.", "",
        "Each invocation shows cold start (and init time), duration, billed duration, memory, estimated cost and "
            + "status; timeouts, crashes and errors stand out. Every line names its function, in a colour of its "
            + "own. On a terminal this opens the interactive view (--no-tui for plain text). Everything tailed "
            + "is recorded in the local index for 'search', 'trace' and 'stats'."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  taillight tail orders-api payments                 two functions, from 10 minutes ago",
        "  taillight tail '/aws/lambda/orders-*' --since 1h   a log group pattern",
        "  taillight tail orders-api --grep 'order \\d+' --exclude health --no-tui",
        "  taillight tail orders-api --format invocations | jq .durationMs",
        "  taillight tail --from exported.json --no-tui       logs exported with 'aws logs filter-log-events'",
        "  sam logs -n orders-api | taillight tail --from -"})
final class TailCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FUNCTION|GROUP", arity = "0..*",
      description = "Function names, log group names (/aws/lambda/...), prefixes (orders-*) or patterns.")
  List<String> targets = new ArrayList<>();

  @Option(names = "--since", paramLabel = "WHEN", defaultValue = "10m",
      description = "Start this long ago (10m, 2h, 7d) or at this time (2026-11-28T03:00:00Z). "
          + "Default: ${DEFAULT-VALUE}; with --from: the whole file.")
  String since;

  @Option(names = "--until", paramLabel = "WHEN",
      description = "Stop at this time (then exit) instead of following.")
  String until;

  @Option(names = "--filter", paramLabel = "PATTERN",
      description = "CloudWatch Logs filter pattern, applied by CloudWatch (e.g. '?ERROR ?Exception').")
  String filterPattern;

  @Option(names = "--grep", paramLabel = "REGEX",
      description = "Show only invocations with a line matching REGEX (repeatable: any of them).")
  List<String> grep = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "REGEX",
      description = "Hide lines matching REGEX (repeatable).")
  List<String> exclude = new ArrayList<>();

  @Option(names = "--live-tail",
      description = "Use CloudWatch Live Tail (streaming, about a second behind) instead of polling; it starts "
          + "now (--since does not apply) and says when CloudWatch samples a busy group.")
  boolean liveTail;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "plain",
      description = "plain (grouped text), json (one object per line) or invocations (one object per finished "
          + "invocation). Default: ${DEFAULT-VALUE}.")
  OutputFormat format;

  @Option(names = "--from", paramLabel = "PATH|-",
      description = "Read exported logs from a file (or - for stdin) instead of CloudWatch: aws logs JSON, "
          + "JSON lines, sam logs or plain text.")
  String from;

  @Option(names = "--no-tui", description = "Print text even on a terminal.")
  boolean noTui;

  @Option(names = "--all-lines",
      description = "Also show START/END/REPORT and span lines (hidden by default: the header says it all).")
  boolean allLines;

  @Option(names = "--no-store", description = "Do not record what is tailed in the local index.")
  boolean noStore;

  /** Output formats of tail. */
  enum OutputFormat { plain, json, invocations }

  TailCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    LineFilter filter = new LineFilter(compile("--grep", grep), compile("--exclude", exclude));
    if (from == null && targets.isEmpty()) {
      throw CliException.usage("name at least one function or log group to tail, or give --from FILE",
          "e.g. 'taillight tail orders-api', or 'taillight functions' to list them");
    }
    boolean tui = format == OutputFormat.plain && !noTui && ctx.env.terminal();
    Store store = noStore ? null : ctx.openStore();
    List<InvocationListener> listeners = new ArrayList<>();
    TailRenderer renderer = tui ? null : renderer(filter);
    if (renderer != null) {
      listeners.add(renderer);
    }
    if (store != null) {
      listeners.add(store);
    }
    TuiFeed feed = tui ? new TuiFeed() : null;
    if (feed != null) {
      listeners.add(feed);
    }
    if (from != null) {
      return tailFile(listeners, renderer, store, feed);
    }
    return CloudWatchTail.run(ctx, this, listeners, renderer, store, feed);
  }

  private TailRenderer renderer(LineFilter filter) {
    return switch (format) {
      case plain -> new PlainRenderer(ctx.out, ctx.ansi(), ctx.zone(), filter, allLines, ctx.env.unicode());
      case json -> new JsonLinesRenderer(ctx.out, filter);
      case invocations -> new InvocationsRenderer(ctx.out, filter);
    };
  }

  private int tailFile(List<InvocationListener> listeners, TailRenderer renderer, Store store, TuiFeed feed)
      throws Exception {
    FileSource.Builder b;
    if (from.equals("-")) {
      b = FileSource.builder("stdin", ctx.env.stdin());
    } else {
      Path p = Path.of(from);
      if (!Files.exists(p)) {
        throw CliException.notFound("no such file: " + from, "check the path given to --from");
      }
      if (!Files.isReadable(p) || Files.isDirectory(p)) {
        throw CliException.failure("cannot read " + from, "--from takes a readable file, or - for stdin", null);
      }
      b = FileSource.builder(p);
    }
    if (targets.size() == 1 && !targets.get(0).endsWith("*")) {
      String t = targets.get(0);
      if (t.startsWith("/")) {
        b.logGroup(t);
      } else {
        b.functionName(t);
      }
    }
    AtomicLong warnings = new AtomicLong();
    b.onError(message -> {
      if (warnings.incrementAndGet() <= 20) {
        ctx.err.println("taillight: warning: skipped " + message);
      }
    });
    FileSource source = b.build();
    Collector collector = collector(listeners);
    LogSink sink = timeWindow(collector);
    if (feed != null) {
      TuiRunner.run(ctx, source, sink, collector, store, feed, targets, allLines);
    } else {
      source.run(sink);
      collector.finishAll();
      collector.close();
      renderer.finish();
    }
    if (store != null) {
      store.flush();
    }
    if (source.skipped() > 0) {
      ctx.err.println("taillight: " + source.skipped() + " malformed event(s) skipped"
          + (warnings.get() > 20 ? " (first 20 shown)" : ""));
    }
    return ExitCode.OK;
  }

  /** The collector pipeline feeding {@code listeners}. */
  Collector collector(List<InvocationListener> listeners) {
    Collector.Builder b = Collector.builder().clock(ctx.env.clock());
    listeners.forEach(b::listener);
    return b.build();
  }

  /** Drops events outside --since/--until when reading a file and the user gave them explicitly. */
  private LogSink timeWindow(LogSink sink) {
    boolean sinceGiven = spec.commandLine().getParseResult().hasMatchedOption("--since");
    if (!sinceGiven && until == null && targets.isEmpty()) {
      return sink;
    }
    Instant now = ctx.env.clock().instant();
    long lo = sinceGiven ? TimeArgs.instant("--since", since, now, ctx.zone()).toEpochMilli() : Long.MIN_VALUE;
    long hi = until != null ? TimeArgs.instant("--until", until, now, ctx.zone()).toEpochMilli() : Long.MAX_VALUE;
    List<String> names = targets;
    return new LogSink() {
      @Override
      public void accept(RawEvent e) {
        if (e.timestamp() >= lo && e.timestamp() < hi && (names.isEmpty() || matchesTarget(names, e.logGroup()))) {
          sink.accept(e);
        }
      }

      @Override
      public void flush() {
        sink.flush();
      }

      @Override
      public void close() {
        sink.close();
      }
    };
  }

  /** Whether a log group is one of the named functions/groups (names may end with * as a prefix). */
  static boolean matchesTarget(List<String> names, String logGroup) {
    String fn = logGroup.startsWith("/aws/lambda/") ? logGroup.substring("/aws/lambda/".length()) : logGroup;
    for (String n : names) {
      if (n.endsWith("*")) {
        String prefix = n.substring(0, n.length() - 1);
        if (fn.startsWith(prefix) || logGroup.startsWith(prefix)) {
          return true;
        }
      } else if (n.equals(fn) || n.equals(logGroup)) {
        return true;
      }
    }
    return false;
  }

  private static List<Pattern> compile(String option, List<String> regexes) {
    List<Pattern> out = new ArrayList<>();
    for (String r : regexes) {
      try {
        out.add(Pattern.compile(r));
      } catch (PatternSyntaxException e) {
        throw CliException.usage("invalid " + option + " regex '" + r + "': " + e.getDescription()
            + " near index " + e.getIndex(), "use Java regex syntax; quote the pattern for the shell");
      }
    }
    return out;
  }
}
