package dev.taillight.cli;

import dev.taillight.cli.render.Ansi;
import dev.taillight.collector.store.RetentionPolicy;
import dev.taillight.collector.store.Store;
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

  /**
   * The index file: {@code --store}, {@code $TAILLIGHT_STORE}, the config file, else the index's default
   * ({@code $TAILLIGHT_HOME/taillight.db}, {@code $XDG_DATA_HOME/taillight/taillight.db},
   * {@code ~/.local/share/taillight/taillight.db}).
   */
  Path storePath() {
    if (root.store != null) {
      return Path.of(root.store);
    }
    return Store.defaultPath(name -> name.equals("HOME") ? env.home().toString() : env.get(name));
  }

  /**
   * Opens the index (closed when the command ends). It keeps {@link RetentionPolicy#DEFAULT} (14 days, 2 GiB)
   * unless {@code TAILLIGHT_RETENTION_DAYS} says otherwise ({@code 0} keeps everything); what is older is
   * removed in the background right after opening.
   */
  Store openStore() {
    Store store = Store.builder().path(storePath()).clock(env.clock()).retention(retention()).build();
    return closeLater(store);
  }

  private RetentionPolicy retention() {
    String days = env.get("TAILLIGHT_RETENTION_DAYS");
    if (days == null || days.isBlank()) {
      return RetentionPolicy.DEFAULT;
    }
    try {
      long d = Long.parseLong(days.trim());
      if (d < 0) {
        throw new NumberFormatException();
      }
      return d == 0 ? RetentionPolicy.NONE
          : new RetentionPolicy(java.time.Duration.ofDays(d), RetentionPolicy.DEFAULT.maxBytes());
    } catch (NumberFormatException e) {
      throw CliException.usage("TAILLIGHT_RETENTION_DAYS=" + days + " is not a number of days",
          "set it to a whole number of days to keep, or 0 to keep everything");
    }
  }

  /** Opens the index for reading; a missing file is "not found" rather than an empty new index. */
  Store openExistingStore() {
    Path p = storePath();
    if (!java.nio.file.Files.exists(p)) {
      throw CliException.notFound("no index at " + p,
          "record some logs first with 'taillight tail' or 'taillight pull', or point --store at an index");
    }
    return openStore();
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
