package dev.taillight.cli;

import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.ansi.UnixTerminal;
import dev.taillight.cli.tui.KeyMap;
import dev.taillight.cli.tui.TuiApp;
import dev.taillight.cli.tui.TuiFeed;
import dev.taillight.cli.tui.TuiModel;
import dev.taillight.cli.tui.TuiView;
import dev.taillight.collector.Collector;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.LogSink;
import dev.taillight.collector.LogSource;
import dev.taillight.collector.Trace;
import dev.taillight.collector.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Runs {@code tail}'s interactive view on the real terminal: the source delivers on its own thread into the
 * collector, whose listeners include the {@link TuiFeed}; this (main) thread runs the UI until the user quits.
 * The terminal is restored on quit, on an error, and on Ctrl-C (through the shutdown hook).
 */
final class TuiRunner {
  /** How many stream blocks the view keeps for scrolling back; older ones are in the index. */
  static final int HISTORY = 50_000;

  private TuiRunner() {}

  static void run(CliContext ctx, LogSource source, LogSink sink, Collector collector, Store store, TuiFeed feed,
      List<String> targets, boolean allLines) throws Exception {
    Terminal terminal = new DefaultTerminalFactory(ctx.out, ctx.env.stdin(), StandardCharsets.UTF_8)
        .setForceTextTerminal(true).setUnixTerminalCtrlCBehaviour(UnixTerminal.CtrlCBehaviour.TRAP)
        .createTerminal();
    TuiModel model = new TuiModel(KeyMap.defaults(), () -> ctx.env.clock().millis(),
        inv -> traceOf(inv, collector, store), HISTORY, allLines);
    for (String t : targets) {
      if (!t.endsWith("*")) {
        String group = t.startsWith("/") ? t : "/aws/lambda/" + t;
        String fn = t.startsWith("/aws/lambda/") ? t.substring("/aws/lambda/".length()) : t;
        model.functions().register(fn, group);
      }
    }
    TuiApp app = new TuiApp(terminal, model, feed, new TuiView(ctx.zone(), ctx.env.unicode()), source::status);
    ctx.closeLater(source);
    ctx.closeLater(app);
    app.start();
    source.start(sink);
    boolean finished = false;
    try {
      while (!model.quit()) {
        if (!finished && source.isFinished()) {
          collector.finishAll();
          finished = true;
        }
        if (!app.step() && feed.isEmpty()) {
          Thread.sleep(15);
        }
      }
    } finally {
      app.close();
      source.close();
      collector.close();
    }
    if (model.interrupted()) {
      throw new CliException(ExitCode.INTERRUPTED, "interrupted", null, null);
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
}
