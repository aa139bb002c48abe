package dev.taillight.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ScopeType;

/**
 * The {@code taillight} command itself: global options (accepted before or after the subcommand name, defaults
 * from the environment and the config file, see {@link ConfigDefaults}) and the list of subcommands.
 */
@Command(name = "taillight", mixinStandardHelpOptions = true, versionProvider = Version.class,
    sortOptions = false, usageHelpAutoWidth = true,
    description = {"Tail, trace and search the logs of AWS Lambda functions.", ""},
    footerHeading = "%nExamples:%n",
    footer = {
        "  taillight tail orders-api payments --since 10m     follow two functions",
        "  taillight tail --from exported.json --no-tui       read exported logs",
        "  taillight trace 1-5759e988-bd862e3fe1be46a994272793  one request across functions",
        "  taillight search timeout --function orders-api --since 1h",
        "  taillight stats --since 24h                          per-function latency, cold starts, cost",
        "",
        "Exit codes: 0 ok, 1 runtime or AWS error, 2 usage error, 3 not found, 130 interrupted.",
        "Defaults can be set in ~/.config/taillight/config.properties (see docs/cli.md)."})
final class TaillightCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: choose one of "
        + String.join(", ", spec.subcommands().keySet()));
  }

  @Option(names = "--profile", paramLabel = "NAME", scope = ScopeType.INHERIT, order = 100,
      description = "AWS profile to use (default: $AWS_PROFILE, then the config file).")
  String profile;

  @Option(names = "--region", paramLabel = "REGION", scope = ScopeType.INHERIT, order = 101,
      description = "AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the config file, then the profile's).")
  String region;

  @Option(names = "--endpoint-url", paramLabel = "URL", scope = ScopeType.INHERIT, order = 102,
      description = "Send CloudWatch Logs requests to this endpoint, e.g. a local emulator "
          + "(default: $AWS_ENDPOINT_URL).")
  String endpointUrl;

  @Option(names = "--store", paramLabel = "PATH", scope = ScopeType.INHERIT, order = 103,
      description = "The local index file (default: $TAILLIGHT_STORE, else $TAILLIGHT_HOME/taillight.db, else ~/.local/share/taillight/taillight.db).")
  String store;

  @Option(names = "--color", paramLabel = "WHEN", scope = ScopeType.INHERIT, order = 104,
      description = "Colour output: auto (a terminal without NO_COLOR), always, never. Default: ${DEFAULT-VALUE}.")
  ColorMode color = ColorMode.auto;

  @Option(names = "--stacktrace", scope = ScopeType.INHERIT, order = 105,
      description = "Print the full stack trace of an error.")
  boolean stacktrace;

  /** When to colour output. */
  enum ColorMode { auto, always, never }
}
