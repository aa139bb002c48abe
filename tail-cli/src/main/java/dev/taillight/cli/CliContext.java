package dev.taillight.cli;

import dev.taillight.cli.render.Ansi;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a command runs with: the injected environment, the output streams, the parsed global options, and
 * the resources to release when the command ends (also on Ctrl-C, from the shutdown hook).
 */
final class CliContext {
  final CliEnv env;
  final PrintStream out;
  final PrintStream err;
  final TaillightCommand root;
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();

  CliContext(CliEnv env, PrintStream out, PrintStream err, TaillightCommand root) {
    this.env = env;
    this.out = out;
    this.err = err;
    this.root = root;
  }

  /** Colours for standard output: {@code --color}, else on for a terminal unless {@code NO_COLOR} is set. */
  Ansi ansi() {
    return new Ansi(colorsOn());
  }

  boolean colorsOn() {
    return switch (root.color) {
      case always -> true;
      case never -> false;
      case auto -> env.terminal() && env.get("NO_COLOR") == null && !"dumb".equals(env.get("TERM"));
    };
  }

  /** Whether help may be coloured, decided before options are parsed: a terminal without NO_COLOR. */
  boolean colorsOnSafe() {
    return env.terminal() && env.get("NO_COLOR") == null && !"dumb".equals(env.get("TERM"));
  }

  ZoneId zone() {
    return env.clock().getZone();
  }

  /** The index file: {@code --store}, {@code $TAILLIGHT_STORE}, config, else the XDG data directory. */
  Path storePath() {
    if (root.store != null) {
      return Path.of(root.store);
    }
    String xdg = env.get("XDG_DATA_HOME");
    Path base = xdg != null ? Path.of(xdg) : env.home().resolve(".local").resolve("share");
    return base.resolve("taillight").resolve("index.db");
  }

  /** Registers a resource to close when the command ends; closed in reverse order. */
  synchronized <T extends AutoCloseable> T closeLater(T resource) {
    closeables.push(resource);
    return resource;
  }

  /** Closes every registered resource, newest first; failures after the first are suppressed. */
  synchronized void closeAll() {
    RuntimeException failure = null;
    while (!closeables.isEmpty()) {
      try {
        closeables.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e instanceof RuntimeException r ? r : new RuntimeException(e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
