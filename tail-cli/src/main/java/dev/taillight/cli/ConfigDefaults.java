package dev.taillight.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Default option values from the environment and the config file. A value given on the command line always
 * wins; then the environment ({@code AWS_PROFILE}, {@code AWS_REGION}/{@code AWS_DEFAULT_REGION}, {@code
 * AWS_ENDPOINT_URL}, {@code TAILLIGHT_STORE}); then the config file; then the built-in default.
 *
 * <p>The config file is {@code $TAILLIGHT_CONFIG}, else {@code $XDG_CONFIG_HOME/taillight/config.properties},
 * else {@code ~/.config/taillight/config.properties}. Keys are option names without dashes: {@code
 * region=eu-west-1} for every command, {@code tail.since=30m} for one command only.
 */
final class ConfigDefaults implements IDefaultValueProvider {
  private final CliEnv env;
  private final Properties props;
  private final Path file;

  private ConfigDefaults(CliEnv env, Path file, Properties props) {
    this.env = env;
    this.file = file;
    this.props = props;
  }

  static ConfigDefaults load(CliEnv env) {
    Path file = configFile(env);
    Properties props = new Properties();
    if (Files.isRegularFile(file)) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        props.load(r);
      } catch (IOException | IllegalArgumentException e) {
        throw CliException.usage("cannot read the config file " + file + ": " + e.getMessage(),
            "fix or remove the file (it holds key=value lines, see docs/cli.md)");
      }
    }
    return new ConfigDefaults(env, file, props);
  }

  static Path configFile(CliEnv env) {
    String explicit = env.get("TAILLIGHT_CONFIG");
    if (explicit != null) {
      return Path.of(explicit);
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base = xdg != null ? Path.of(xdg) : env.home().resolve(".config");
    return base.resolve("taillight").resolve("config.properties");
  }

  Path file() {
    return file;
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option)) {
      return null;
    }
    String key = option.longestName().replaceFirst("^-+", "");
    String fromEnv = switch (key) {
      case "profile" -> env.get("AWS_PROFILE");
      case "region" -> env.get("AWS_REGION") != null ? env.get("AWS_REGION") : env.get("AWS_DEFAULT_REGION");
      case "endpoint-url" -> env.get("AWS_ENDPOINT_URL");
      case "store" -> env.get("TAILLIGHT_STORE");
      default -> null;
    };
    if (fromEnv != null) {
      return fromEnv;
    }
    if (option.command() != null && option.command().parent() != null && !option.inherited()) {
      String scoped = props.getProperty(option.command().name() + "." + key);
      if (scoped != null) {
        return scoped.trim();
      }
    }
    String global = props.getProperty(key);
    return global == null ? null : global.trim();
  }
}
