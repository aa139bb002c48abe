package dev.taillight.cli;

import dev.taillight.collector.internal.EditDistance;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code taillight} command's entry point.
 *
 * <p>{@link #run(PrintStream, PrintStream, String...)} runs one command line and returns its exit code; it
 * never calls {@link System#exit} and never touches {@code System.out}, so tests call it directly. Every
 * failure ends in {@link Failures}, the one place that maps errors to exit codes ({@link ExitCode}).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    CliEnv env = CliEnv.system();
    int code = run(env, System.out, System.err, true, args);
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command line with the real environment; returns the exit code. */
  public static int run(PrintStream out, PrintStream err, String... args) {
    return run(CliEnv.system(), out, err, false, args);
  }

  /** Runs one command line with an injected environment (tests); returns the exit code. */
  public static int run(CliEnv env, PrintStream out, PrintStream err, String... args) {
    return run(env, out, err, false, args);
  }

  private static int run(CliEnv env, PrintStream out, PrintStream err, boolean process, String... args) {
    TaillightCommand root = new TaillightCommand();
    CliContext ctx = new CliContext(env, out, err, root);
    Thread hook = null;
    if (process) {
      hook = new Thread(() -> {
        try {
          ctx.closeAll();
        } catch (RuntimeException e) {
          // the process is ending on Ctrl-C; nothing more can be reported
        }
      }, "taillight-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
    }
    try {
      CommandLine cl = commandLine(ctx, commandNamed(args));
      return cl.execute(args);
    } catch (RuntimeException | Error e) {
      return Failures.report(e, err, root.stacktrace);
    } finally {
      try {
        ctx.closeAll();
      } catch (RuntimeException e) {
        Failures.report(e, err, root.stacktrace);
      }
      if (hook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // already shutting down
        }
      }
      out.flush();
      err.flush();
    }
  }

  /** The subcommands, in the order help lists them. */
  static final List<String> COMMANDS = List.of("tail", "trace", "search", "stats", "pull", "functions",
      "run", "demo", "completion");

  private static Object newCommand(String name, CliContext ctx) {
    return switch (name) {
      case "tail" -> new TailCommand(ctx);
      case "trace" -> new TraceCommand(ctx);
      case "search" -> new SearchCommand(ctx);
      case "stats" -> new StatsCommand(ctx);
      case "pull" -> new PullCommand(ctx);
      case "functions" -> new FunctionsCommand(ctx);
      case "run" -> new RunCommand(ctx);
      case "demo" -> new dev.taillight.cli.demo.DemoCommand(ctx.env, ctx.out, ctx.err);
      case "completion" -> new CompletionCommand(ctx);
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static Class<?> commandClass(String name) {
    return switch (name) {
      case "tail" -> TailCommand.class;
      case "trace" -> TraceCommand.class;
      case "search" -> SearchCommand.class;
      case "stats" -> StatsCommand.class;
      case "pull" -> PullCommand.class;
      case "functions" -> FunctionsCommand.class;
      case "run" -> RunCommand.class;
      case "demo" -> dev.taillight.cli.demo.DemoCommand.class;
      case "completion" -> CompletionCommand.class;
      default -> throw new IllegalArgumentException(name);
    };
  }

  /**
   * The subcommand the arguments name (the first argument that is a command name and not the value of a global
   * option), or null.
   */
  static String commandNamed(String... args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (COMMANDS.contains(a)) {
        return a;
      }
      if (GLOBAL_WITH_VALUE.contains(a)) {
        i++;
      } else if (!a.startsWith("-")) {
        return null;
      }
    }
    return null;
  }

  private static final List<String> GLOBAL_WITH_VALUE =
      List.of("--profile", "--region", "--endpoint-url", "--store", "--color");

  /** The full command model, configured for this context (also used to generate docs/cli.md). */
  static CommandLine commandLine(CliContext ctx) {
    return commandLine(ctx, "completion");
  }

  /**
   * The command model. Building a subcommand's model costs start-up time, so only the subcommand being run gets
   * its full model; the others are represented by their name and summary (all that the top-level help shows).
   * Completion needs everything, so it gets every model.
   */
  static CommandLine commandLine(CliContext ctx, String running) {
    CommandLine cl = new CommandLine(ctx.root);
    for (String name : COMMANDS) {
      if (name.equals(running) || "completion".equals(running)) {
        cl.addSubcommand(name, newCommand(name, ctx));
      } else {
        Command c = commandClass(name).getAnnotation(Command.class);
        CommandSpec stub = CommandSpec.create().name(name);
        stub.usageMessage().description(c.description().length == 0 ? new String[0]
            : new String[] {c.description()[0]});
        cl.addSubcommand(name, stub);
      }
    }
    cl.setDefaultValueProvider(ConfigDefaults.load(ctx.env));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExpandAtFiles(false); // "--event @event.json" names a file for the command, not picocli arguments
    cl.setUsageHelpAutoWidth(false);
    cl.setUsageHelpWidth(helpWidth(ctx.env));
    cl.setColorScheme(Help.defaultColorScheme(ctx.colorsOnSafe() ? Help.Ansi.ON : Help.Ansi.OFF));
    cl.setOut(new PrintWriter(ctx.out, true));
    cl.setErr(new PrintWriter(ctx.err, true));
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> Failures.report(ex, ctx.err, ctx.root.stacktrace));
    cl.setParameterExceptionHandler((ex, args) -> {
      ctx.err.println("taillight: " + ex.getMessage());
      List<String> suggestions = ex instanceof picocli.CommandLine.UnmatchedArgumentException u
          ? suggest(u.getUnmatched()) : List.of();
      ctx.err.println("  hint: " + (suggestions.isEmpty() ? "" : "did you mean " + String.join(" or ", suggestions)
          + "? ") + "see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
      ctx.err.flush();
      return ExitCode.USAGE;
    });
    cl.setExitCodeExceptionMapper(t -> Failures.describe(t).exitCode());
    return cl;
  }

  /** Commands within two edits of the first unmatched word (a typo), closest first. */
  static List<String> suggest(List<String> unmatched) {
    if (unmatched.isEmpty() || unmatched.get(0).startsWith("-")) {
      return List.of();
    }
    String word = unmatched.get(0);
    int best = 3;
    List<String> out = new java.util.ArrayList<>();
    for (String c : COMMANDS) {
      int d = EditDistance.between(word, c);
      if (d < best) {
        best = d;
        out.clear();
      }
      if (d == best) {
        out.add(c);
      }
    }
    return out;
  }

  private static int helpWidth(CliEnv env) {
    String columns = env.terminal() ? env.get("COLUMNS") : null;
    if (columns != null) {
      try {
        return Math.max(80, Math.min(140, Integer.parseInt(columns.trim())));
      } catch (NumberFormatException e) {
        return 100;
      }
    }
    return 100;
  }
}
