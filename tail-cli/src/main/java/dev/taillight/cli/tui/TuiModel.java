package dev.taillight.cli.tui;

import dev.taillight.cli.render.Waterfall;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.SourceStatus;
import dev.taillight.collector.Trace;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Everything the TUI shows, with no terminal code: the stream, the functions pane, the pause buffer, the open
 * view (help, trace, filter prompt) and the status line's numbers. Keys come in as names ({@link KeyMap}) and
 * become {@link Action}s; views only read this class. Not thread-safe: the UI thread owns it.
 */
public final class TuiModel {

  /** Which view has the keyboard. */
  public enum Mode { STREAM, FILTER_INPUT, HELP, TRACE }

  private final StreamModel stream;
  private final FunctionsModel functions = new FunctionsModel();
  private final PauseBuffer<TuiEvent> pause = new PauseBuffer<>();
  private final KeyMap keys;
  private final LongSupplier clock;
  private final Function<Invocation, Trace> traces;
  private Mode mode = Mode.STREAM;
  private final StringBuilder filterInput = new StringBuilder();
  private Waterfall trace;
  private String message;
  private boolean quit;
  private boolean interrupted;
  private SourceStatus status;
  private int pageSize = 10;
  private final long[] eventBuckets = new long[FunctionsModel.WINDOW_SECONDS];
  private long eventSecond = Long.MIN_VALUE;

  /**
   * @param keys the key map
   * @param clock epoch milliseconds now (rates)
   * @param traces finds the trace of an invocation (the index, or the invocation's own spans)
   * @param capacity how many stream blocks to keep on screen history
   * @param allLines show platform and span lines too
   */
  public TuiModel(KeyMap keys, LongSupplier clock, Function<Invocation, Trace> traces, int capacity,
      boolean allLines) {
    this.keys = keys;
    this.clock = clock;
    this.traces = traces;
    this.stream = new StreamModel(capacity, allLines);
  }

  /** The trace of an invocation from its own spans, when nothing better is known. */
  public static Trace traceOf(Invocation inv) {
    String id = inv.traceId() != null ? inv.traceId() : inv.requestId();
    return new Trace(id, inv.spans(), List.of(inv));
  }

  // ---- input from the collector --------------------------------------------------------------------------

  /** Applies a batch of events (or holds them while paused). */
  public void accept(List<TuiEvent> batch) {
    long now = clock.getAsLong();
    for (TuiEvent e : batch) {
      if (e instanceof TuiEvent.Line l) {
        countEvent(now);
        functions.onLine(l.line(), now);
      } else if (e instanceof TuiEvent.Finished f) {
        functions.onFinished(f.invocation());
      }
      pause.offer(e, e instanceof TuiEvent.Line, this::applyToStream);
    }
  }

  private void applyToStream(TuiEvent e) {
    if (e instanceof TuiEvent.Line l) {
      stream.addLine(l.line());
    } else if (e instanceof TuiEvent.Started s) {
      stream.invocationStarted(s.invocation());
    } else if (e instanceof TuiEvent.Finished f) {
      stream.invocationFinished(f.invocation());
    }
  }

  public void onStatus(SourceStatus status) {
    this.status = status;
    functions.onStatus(status);
  }

  // ---- keys ------------------------------------------------------------------------------------------------

  /** Handles one key by name (see {@link KeyMap}); returns false when it means nothing here. */
  public boolean key(String key) {
    if (key.equals("Ctrl-C")) {
      quit = true;
      interrupted = true;
      return true;
    }
    if (mode == Mode.FILTER_INPUT) {
      switch (key) {
        case "Enter" -> {
          stream.setFilter(filterInput.toString());
          mode = Mode.STREAM;
          message = null;
        }
        case "Escape" -> mode = Mode.STREAM;
        case "Backspace" -> {
          if (filterInput.length() > 0) {
            filterInput.setLength(filterInput.length() - 1);
          }
        }
        default -> {
          if (key.length() == 1) {
            filterInput.append(key);
          } else {
            return false;
          }
        }
      }
      return true;
    }
    if (mode == Mode.HELP) {
      mode = Mode.STREAM;
      return true;
    }
    return keys.actionFor(key).map(a -> {
      apply(a);
      return true;
    }).orElse(false);
  }

  public void apply(Action action) {
    if (mode == Mode.HELP && action != Action.QUIT && action != Action.HELP) {
      mode = Mode.STREAM;
      return;
    }
    if (mode == Mode.TRACE && (action == Action.CLOSE || action == Action.OPEN_TRACE)) {
      mode = Mode.STREAM;
      trace = null;
      return;
    }
    message = null;
    switch (action) {
      case UP -> stream.move(-1);
      case DOWN -> stream.move(1);
      case PAGE_UP -> stream.move(-pageSize);
      case PAGE_DOWN -> stream.move(pageSize);
      case TOP -> stream.top();
      case BOTTOM -> stream.bottom();
      case OPEN_TRACE -> {
        Invocation inv = stream.selectedInvocation();
        if (inv == null) {
          message = "select an invocation first";
        } else {
          trace = Waterfall.of(traces.apply(inv));
          mode = Mode.TRACE;
        }
      }
      case FILTER -> {
        filterInput.setLength(0);
        filterInput.append(stream.filter());
        mode = Mode.FILTER_INPUT;
      }
      case NEXT_MATCH, PREV_MATCH -> {
        if (stream.filter().isEmpty()) {
          message = "no filter: press / first";
        } else if (!stream.nextMatch(action == Action.NEXT_MATCH)) {
          message = "no more matches";
        }
      }
      case NEXT_ERROR, PREV_ERROR -> {
        if (!stream.nextError(action == Action.NEXT_ERROR)) {
          message = action == Action.NEXT_ERROR ? "no later error" : "no earlier error";
        }
      }
      case PAUSE -> {
        if (pause.paused()) {
          pause.resume(this::applyToStream);
        } else {
          pause.pause();
        }
      }
      case HELP -> mode = mode == Mode.HELP ? Mode.STREAM : Mode.HELP;
      case CLOSE -> {
        if (!stream.filter().isEmpty()) {
          stream.setFilter("");
        }
      }
      case QUIT -> quit = true;
    }
  }

  // ---- reading ---------------------------------------------------------------------------------------------

  public StreamModel stream() {
    return stream;
  }

  public FunctionsModel functions() {
    return functions;
  }

  public PauseBuffer<TuiEvent> pauseBuffer() {
    return pause;
  }

  public KeyMap keys() {
    return keys;
  }

  public Mode mode() {
    return mode;
  }

  public String filterInput() {
    return filterInput.toString();
  }

  public Waterfall trace() {
    return trace;
  }

  /** The latest note for the user ({@code no later error}, {@code filter: x}), or null. */
  public String message() {
    return message;
  }

  public boolean quit() {
    return quit;
  }

  /** True when the user left with Ctrl-C (the command then exits with 130). */
  public boolean interrupted() {
    return interrupted;
  }

  public SourceStatus status() {
    return status;
  }

  public long now() {
    return clock.getAsLong();
  }

  /** Sets the page size used by PgUp/PgDn (the stream pane's height). */
  public void pageSize(int rows) {
    this.pageSize = Math.max(1, rows - 1);
  }

  /** Lines per second over the last few seconds, all functions. */
  public double eventsPerSecond() {
    roll(clock.getAsLong());
    long sum = 0;
    for (long b : eventBuckets) {
      sum += b;
    }
    return (double) sum / eventBuckets.length;
  }

  private void countEvent(long now) {
    roll(now);
    eventBuckets[(int) Math.floorMod(now / 1000, eventBuckets.length)]++;
  }

  private void roll(long now) {
    long sec = now / 1000;
    if (eventSecond == Long.MIN_VALUE) {
      eventSecond = sec;
      return;
    }
    for (long s = eventSecond + 1; s <= sec && s <= eventSecond + eventBuckets.length; s++) {
      eventBuckets[(int) Math.floorMod(s, eventBuckets.length)] = 0;
    }
    eventSecond = Math.max(eventSecond, sec);
  }
}
