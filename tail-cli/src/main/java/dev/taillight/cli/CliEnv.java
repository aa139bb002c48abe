package dev.taillight.cli;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;

/**
 * What the command reads from the world besides its arguments: environment variables, the clock, standard
 * input, whether standard output is an interactive terminal, and the user's home directory. Tests build one
 * with {@link #builder()}; {@link #system()} is the real one.
 *
 * @param env environment variable lookup (returns null when unset)
 * @param clock wall clock, also the time zone used to print times
 * @param stdin standard input (for {@code --from -})
 * @param terminal true when standard output is an interactive terminal (colours and the TUI are possible)
 * @param home the user's home directory (config file and default index location)
 * @param unicode true when standard output can print box-drawing characters (else ASCII is used)
 */
public record CliEnv(
    Function<String, String> env, Clock clock, InputStream stdin, boolean terminal, Path home, boolean unicode) {

  public CliEnv {
    requireNonNull(env, "env");
    requireNonNull(clock, "clock");
    requireNonNull(stdin, "stdin");
    requireNonNull(home, "home");
  }

  /** The process's real environment, system clock, stdin, and terminal detection. */
  public static CliEnv system() {
    String enc = System.getProperty("sun.stdout.encoding", System.getProperty("native.encoding", "UTF-8"));
    boolean unicode;
    try {
      unicode = java.nio.charset.Charset.forName(enc).newEncoder().canEncode('\u2502');
    } catch (RuntimeException e) {
      unicode = false;
    }
    return new CliEnv(System::getenv, Clock.systemDefaultZone(), System.in, System.console() != null,
        Path.of(System.getProperty("user.home")), unicode);
  }

  /** Returns the variable's value, or null when unset or blank. */
  public String get(String name) {
    String v = env.apply(name);
    return v == null || v.isBlank() ? null : v;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a test environment: empty env, UTC clock at the epoch, empty stdin, not a terminal. */
  public static final class Builder {
    private Map<String, String> env = Map.of();
    private Clock clock = Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC);
    private InputStream stdin = InputStream.nullInputStream();
    private boolean terminal;
    private Path home = Path.of(System.getProperty("java.io.tmpdir"), "taillight-test-home");
    private boolean unicode = true;

    public Builder unicode(boolean unicode) {
      this.unicode = unicode;
      return this;
    }

    public Builder env(Map<String, String> env) {
      this.env = Map.copyOf(env);
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    public Builder stdin(InputStream stdin) {
      this.stdin = requireNonNull(stdin, "stdin");
      return this;
    }

    public Builder terminal(boolean terminal) {
      this.terminal = terminal;
      return this;
    }

    public Builder home(Path home) {
      this.home = requireNonNull(home, "home");
      return this;
    }

    public CliEnv build() {
      Map<String, String> e = env;
      return new CliEnv(e::get, clock, stdin, terminal, home, unicode);
    }
  }
}
