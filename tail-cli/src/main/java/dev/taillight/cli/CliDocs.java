package dev.taillight.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Generates {@code docs/cli.md} from the Picocli model, so the reference cannot drift from the code. A test
 * fails when the checked-in file differs; regenerate with {@code mvn -q -pl tail-cli -am test
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtest=CliDocsTest -Dtaillight.updateDocs=true}.
 */
final class CliDocs {
  private CliDocs() {}

  static String generate() {
    CliEnv env = CliEnv.builder().home(Path.of("/nonexistent-home")).build();
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    CliContext ctx = new CliContext(env, sink, sink, new TaillightCommand());
    CommandLine root = Main.commandLine(ctx);
    root.setUsageHelpWidth(100);
    StringBuilder md = new StringBuilder();
    md.append("# taillight command reference\n\n")
        .append("<!-- Generated from the command definitions by dev.taillight.cli.CliDocs; do not edit by hand.\n")
        .append("     Regenerate: mvn -q -pl tail-cli -am test -Dsurefire.failIfNoSpecifiedTests=false ")
        .append("-Dtest=CliDocsTest -Dtaillight.updateDocs=true -->\n\n")
        .append(INTRO);
    md.append("## Commands\n\n| command | what it does |\n|---|---|\n");
    for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
      md.append("| [`").append(e.getKey()).append("`](#taillight-").append(e.getKey()).append(") | ")
          .append(firstSentence(e.getValue().getCommandSpec())).append(" |\n");
    }
    md.append('\n');
    section(md, root, "taillight");
    for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
      section(md, e.getValue(), "taillight " + e.getKey());
    }
    md.append(OUTRO);
    return md.toString();
  }

  private static String firstSentence(CommandSpec spec) {
    String[] d = spec.usageMessage().description();
    return d.length == 0 ? "" : d[0].replace("|", "\\|");
  }

  private static void section(StringBuilder md, CommandLine cl, String title) {
    CommandSpec spec = cl.getCommandSpec();
    md.append("## ").append(title).append("\n\n");
    for (String line : spec.usageMessage().description()) {
      md.append(line).append('\n');
    }
    md.append("\n```\n").append(cl.getHelp().synopsis(0).stripTrailing()).append("\n```\n\n");
    if (!spec.positionalParameters().isEmpty()) {
      md.append("| argument | description |\n|---|---|\n");
      for (PositionalParamSpec p : spec.positionalParameters()) {
        md.append("| `").append(p.paramLabel().replace("|", "\\|")).append("` | ").append(desc(p.description(), p.defaultValue()))
            .append(" |\n");
      }
      md.append('\n');
    }
    boolean any = false;
    for (OptionSpec o : spec.options()) {
      if (o.inherited()) {
        continue;
      }
      if (!any) {
        md.append("| option | description |\n|---|---|\n");
        any = true;
      }
      String names = String.join(", ", o.names()) + (o.arity().max() > 0 ? " " + o.paramLabel() : "");
      md.append("| `").append(names.replace("|", "\\|")).append("` | ").append(desc(o.description(), o.defaultValue())).append(" |\n");
    }
    if (any) {
      md.append('\n');
    }
    String[] footer = spec.usageMessage().footer();
    if (footer.length > 0) {
      md.append("Examples:\n\n```\n");
      for (String f : footer) {
        md.append(f.stripTrailing()).append('\n');
      }
      md.append("```\n\n");
    }
  }

  private static String desc(String[] lines, String defaultValue) {
    String d = String.join(" ", lines).replace("${DEFAULT-VALUE}", String.valueOf(defaultValue))
        .replace("|", "\\|").replace("%n", " ");
    return d;
  }

  private static final String INTRO = """
      `taillight` tails, traces and searches the logs of AWS Lambda functions. Run it from a checkout with the
      launcher `./taillight` (it builds `tail-cli/target/taillight.jar` on first use), or with
      `java -jar tail-cli/target/taillight.jar`.

      Global options (`--profile`, `--region`, `--endpoint-url`, `--store`, `--color`, `--stacktrace`) are
      accepted before or after the command name.

      ## Exit codes

      | code | meaning |
      |---|---|
      | 0 | success |
      | 1 | runtime failure: an AWS error, an unreadable file, a failed index |
      | 2 | usage error: unknown option, bad value, missing argument |
      | 3 | not found: no such trace, request id, log group, function, file or index |
      | 130 | interrupted (Ctrl-C) |

      Errors are one line on standard error starting with `taillight:`, followed by a `hint:` line saying what to
      do. `--stacktrace` adds the stack trace.

      ## Defaults: environment and config file

      A value given on the command line wins; then the environment; then the config file; then the built-in
      default.

      | setting | environment | config key |
      |---|---|---|
      | AWS profile | `AWS_PROFILE` | `profile` |
      | AWS region | `AWS_REGION`, `AWS_DEFAULT_REGION` | `region` |
      | CloudWatch endpoint | `AWS_ENDPOINT_URL` | `endpoint-url` |
      | index file | `TAILLIGHT_STORE` (else `$TAILLIGHT_HOME/taillight.db`, `$XDG_DATA_HOME/taillight/taillight.db`, `~/.local/share/taillight/taillight.db`) | `store` |
      | colours | `NO_COLOR` (any value turns them off) | `color` |

      The config file is `$TAILLIGHT_CONFIG`, else `$XDG_CONFIG_HOME/taillight/config.properties`, else
      `~/.config/taillight/config.properties`. It holds `key=value` lines; a key is an option's long name without
      dashes, for every command, or prefixed with a command name for that command only:

      ```properties
      region=eu-west-1
      profile=dev
      tail.since=30m
      stats.since=24h
      ```

      Colours are on when standard output is a terminal and `NO_COLOR` is not set (`--color=always|never`
      overrides). Shell completion: `source <(taillight completion bash)`.

      """;

  private static final String OUTRO = """
      ## Output formats

      ### `tail --format plain`

      Finished invocations are printed as blocks: a header line (function, start time, request id, status, cold
      start with init/restore time, duration, billed duration, memory used/size, estimated cost, error) and the
      invocation's lines under it. START/END/REPORT and span lines are summarised by the header (`--all-lines`
      shows them). Lines outside any invocation are printed as they come.

      ### `tail --format json`

      One JSON object per log line: `time` (ISO-8601), `function`, `logGroup`, `logStream`, `requestId` (or
      null), `kind` (`app`, `platform`, `span`), `level` (or null), `message`, `eventId`.

      ### `tail --format invocations` and `search --format json`

      One JSON object per finished invocation, fields in this order:

      | field | type | meaning |
      |---|---|---|
      | `function` | string | function name |
      | `logGroup` | string | log group |
      | `logStream` | string | log stream (one execution environment) |
      | `requestId` | string | Lambda request id |
      | `startTime` | string | ISO-8601 start |
      | `endTime` | string or null | ISO-8601 end |
      | `coldStart` | boolean | first invocation of its environment |
      | `initDurationMs` | number or null | Init Duration from REPORT |
      | `restoreDurationMs` | number or null | SnapStart Restore Duration |
      | `durationMs` | number or null | Duration from REPORT |
      | `billedDurationMs` | number or null | Billed Duration from REPORT |
      | `memorySizeMb` | integer or null | configured memory |
      | `maxMemoryUsedMb` | integer or null | Max Memory Used |
      | `status` | string | `ok`, `error`, `timeout`, `crash`, `init_failure`, `lost`, `running` |
      | `errorType` | string or null | e.g. `Runtime.ExitError`, `Sandbox.Timedout`, an exception class |
      | `errorMessage` | string or null | the error's message |
      | `traceId` | string or null | 32 lowercase hex digits (X-Ray ids normalised) |
      | `costUsd` | number or null | estimated cost in US dollars (6 significant digits) |
      | `lineCount` | integer | log lines of the invocation |

      ### `stats --format json`

      One object per function: `function`, `from`, `to`, `invocations`, `errors`, `timeouts`, `coldStarts`,
      `coldStartPercent`, `meanInitDurationMs`, `p50DurationMs`, `p95DurationMs`, `p99DurationMs`,
      `totalBilledMs`, `costUsd`, `coldStartCostUsd`, `maxMemoryUsedMb`, `memorySizeMb`, `peakConcurrency`,
      `series` (`start`, `invocations`, `errors` per time bucket).
      """;
}
