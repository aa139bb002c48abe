package dev.taillight.cli;

import dev.taillight.cli.render.Ansi;
import dev.taillight.cli.render.Format;
import dev.taillight.cli.render.Json;
import dev.taillight.cli.render.Table;
import dev.taillight.collector.cloudwatch.CloudWatchClients;
import dev.taillight.collector.cloudwatch.LogGroupResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** {@code taillight functions}: the Lambda log groups of the account and region. */
@Command(name = "functions", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"List the Lambda log groups (/aws/lambda/...) of the account and region, newest activity "
        + "first, with the time of their last event."},
    footerHeading = "%nExamples:%n",
    footer = {"  taillight functions --region eu-west-1", "  taillight functions --format json | jq -r .function"})
final class FunctionsCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (one object per log group). Default: ${DEFAULT-VALUE}.")
  Fmt format;

  /** Output formats. */
  enum Fmt { table, json }

  FunctionsCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    CloudWatchClients clients = Aws.clients(ctx);
    List<LogGroupResolver.LambdaLogGroup> groups;
    try (CloudWatchLogsClient logs = clients.logs(); LambdaClient lambda = clients.lambda()) {
      groups = LogGroupResolver.create(logs, lambda).lambdaLogGroups();
    }
    if (format == Fmt.json) {
      for (LogGroupResolver.LambdaLogGroup g : groups) {
        ctx.out.println(Json.object().put("function", g.functionName()).put("logGroup", g.logGroup())
            .put("lastEventTime", g.lastEventTime() < 0 ? null : Instant.ofEpochMilli(g.lastEventTime()).toString())
            .put("storedBytes", g.storedBytes()));
      }
      return ExitCode.OK;
    }
    if (groups.isEmpty()) {
      ctx.out.println("no Lambda log groups (/aws/lambda/...) in this account and region");
      return ExitCode.OK;
    }
    Ansi ansi = ctx.ansi();
    long now = ctx.env.clock().millis();
    Table t = new Table("FUNCTION", "LOG GROUP", "LAST EVENT", ">AGO", ">STORED");
    for (LogGroupResolver.LambdaLogGroup g : groups) {
      t.row(ansi.function(g.functionName(), g.functionName()), g.logGroup(),
          g.lastEventTime() < 0 ? "-" : Format.dateTime(g.lastEventTime(), ctx.zone()),
          g.lastEventTime() < 0 ? "-" : ago(now - g.lastEventTime()), bytes(g.storedBytes()));
    }
    t.lines(ansi).forEach(ctx.out::println);
    return ExitCode.OK;
  }

  static String ago(long ms) {
    Duration d = Duration.ofMillis(Math.max(0, ms));
    if (d.toMinutes() < 1) {
      return d.toSeconds() + "s";
    }
    if (d.toHours() < 1) {
      return d.toMinutes() + "m";
    }
    if (d.toDays() < 1) {
      return d.toHours() + "h";
    }
    return d.toDays() + "d";
  }

  static String bytes(long b) {
    if (b < 1024) {
      return b + " B";
    }
    if (b < 1024 * 1024) {
      return (b / 1024) + " KB";
    }
    if (b < 1024L * 1024 * 1024) {
      return (b / (1024 * 1024)) + " MB";
    }
    return (b / (1024L * 1024 * 1024)) + " GB";
  }
}
