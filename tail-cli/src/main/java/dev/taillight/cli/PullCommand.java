package dev.taillight.cli;

import dev.taillight.collector.cloudwatch.CloudWatchClients;
import dev.taillight.collector.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code taillight pull}: back-fills the index from CloudWatch with {@link Backfill}, one log group after the
 * other, with a progress line on standard error. Resumable: a checkpoint per log group (written every few seconds
 * and at the end) says which range is already in the index, so a pull that was interrupted, or repeated, starts
 * where the previous one stopped.
 */
@Command(name = "pull", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Back-fill the local index from CloudWatch Logs, so that search, trace and stats cover a past "
        + "period. Shows progress (events, bytes, rate, ETA) on standard error. Resumable: run it again after an "
        + "interruption and it continues where it stopped."},
    footerHeading = "%nExamples:%n",
    footer = {"  taillight pull orders-api payments --since 24h", "  taillight pull 'orders-*' --since 7d --until 1d"})
final class PullCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Parameters(paramLabel = "FUNCTION|GROUP", arity = "1..*",
      description = "Function names, log group names, prefixes (orders-*) or patterns.")
  List<String> targets = new ArrayList<>();

  @Option(names = "--since", paramLabel = "WHEN", defaultValue = "24h",
      description = "Start of the period (24h, 7d, or a time). Default: ${DEFAULT-VALUE}.")
  String since;

  @Option(names = "--until", paramLabel = "WHEN", description = "End of the period (default: now).")
  String until;

  @Option(names = "--filter", paramLabel = "PATTERN",
      description = "CloudWatch Logs filter pattern (such a pull writes no checkpoint: it did not fetch everything).")
  String filterPattern;

  @Option(names = "--restart", description = "Ignore checkpoints and fetch the whole period again.")
  boolean restart;

  PullCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    long[] period = Backfill.period(ctx, since, until);
    CloudWatchClients clients = Aws.clients(ctx);
    List<String> groups = Aws.resolve(ctx, clients, targets);
    Store store = ctx.openStore();
    Backfill.Result r = new Backfill(ctx, clients, store).filterPattern(filterPattern).restart(restart)
        .run(groups, period[0], period[1]);
    ctx.err.println(Backfill.summary(r, "pulled", store));
    return ExitCode.OK;
  }
}
