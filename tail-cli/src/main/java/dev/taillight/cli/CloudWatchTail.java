package dev.taillight.cli;

import dev.taillight.cli.render.TailRenderer;
import dev.taillight.cli.tui.TuiFeed;
import dev.taillight.collector.Collector;
import dev.taillight.collector.InvocationListener;
import dev.taillight.collector.SourceStatus;
import dev.taillight.collector.cloudwatch.CloudWatchClients;
import dev.taillight.collector.LogSource;
import dev.taillight.collector.cloudwatch.CloudWatchPollingSource;
import dev.taillight.collector.cloudwatch.LiveTailSource;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import dev.taillight.collector.store.Store;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * {@code tail} from CloudWatch Logs: the source follows the groups on its own thread into the collector;
 * this thread either runs the TUI or waits, printing the source's notable conditions (waiting for a group,
 * throttled, credentials) to standard error once each. Ctrl-C closes the source, flushes the collector (so
 * finished invocations are printed and recorded) and closes the index, through the shutdown hook.
 */
final class CloudWatchTail {
  private CloudWatchTail() {}

  static int run(CliContext ctx, TailCommand cmd, List<InvocationListener> listeners, TailRenderer renderer,
      Store store, TuiFeed feed) throws Exception {
    Instant now = ctx.env.clock().instant();
    Instant since = TimeArgs.instant("--since", cmd.since, now, ctx.zone());
    Instant until = cmd.until == null ? null : TimeArgs.instant("--until", cmd.until, now, ctx.zone());
    if (until != null && !until.isAfter(since)) {
      throw CliException.usage("--until is not after --since", "give a later --until or an earlier --since");
    }
    CloudWatchClients clients = Aws.clients(ctx);
    List<String> groups = Aws.resolve(ctx, clients, cmd.targets);
    if (renderer instanceof dev.taillight.cli.render.PlainRenderer plain) {
      plain.reserveWidth(groups.stream().mapToInt(g -> Aws.function(g).length()).max().orElse(0));
    }
    LogSource source;
    if (cmd.liveTail) {
      CloudWatchLogsClient sync = ctx.closeLater(clients.logs());
      CloudWatchLogsAsyncClient async = ctx.closeLater(clients.logsAsync());
      LiveTailSource.Builder lb = LiveTailSource.builder(async, sync).logGroups(groups).clock(ctx.env.clock());
      if (cmd.filterPattern != null) {
        lb.filterPattern(cmd.filterPattern);
      }
      source = lb.build();
    } else {
      CloudWatchPollingSource.Builder b = CloudWatchPollingSource.builder(clients).logGroups(groups).since(since)
          .clock(ctx.env.clock());
      if (until != null) {
        b.until(until);
      }
      if (cmd.filterPattern != null) {
        b.filterPattern(cmd.filterPattern);
      }
      source = b.build();
    }
    Collector collector = cmd.collector(listeners);
    if (feed != null) {
      TuiRunner.run(ctx, source, collector, collector, store, feed, cmd.targets, cmd.allLines);
      return ExitCode.OK;
    }
    ctx.closeLater(() -> {
      collector.close();
      renderer.finish();
    });
    ctx.closeLater(source);
    source.start(collector);
    String lastMessage = null;
    while (!source.isFinished() && (until == null || !cmd.liveTail || ctx.env.clock().instant().isBefore(until))) {
      SourceStatus st = source.status();
      String message = describe(st);
      if (message != null && !Objects.equals(message, lastMessage)) {
        ctx.err.println("taillight: " + message);
      }
      lastMessage = message;
      Thread.sleep(100);
    }
    source.close();
    collector.finishAll();
    collector.close();
    renderer.finish();
    if (store != null) {
      store.flush();
    }
    return ExitCode.OK;
  }

  /** The source's condition worth telling the user, or null when all is well. */
  static String describe(SourceStatus st) {
    if (st.message() != null) {
      return st.message();
    }
    StringBuilder waiting = new StringBuilder();
    for (SourceStatus.GroupStatus g : st.groups()) {
      if (g.state().contains("waiting")) {
        waiting.append(waiting.length() == 0 ? "" : ", ").append(g.logGroup());
      }
    }
    return waiting.length() == 0 ? null
        : "waiting for log group(s) " + waiting + " to exist ('taillight functions' lists those that do)";
  }
}
