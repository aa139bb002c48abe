package dev.taillight.cli.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.Terminal;
import dev.taillight.collector.SourceStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs the TUI on a Lanterna terminal: the UI thread owns the model and the screen. Each {@link #step()}
 * reads every pending key, drains every event the collector queued in {@link TuiFeed} into the model as one
 * batch, and redraws once; so input is never starved by a busy stream and no event is dropped.
 *
 * <p>{@link #close()} restores the terminal; the command also registers it to run on Ctrl-C.
 */
public final class TuiApp implements AutoCloseable {
  static final int MAX_BATCH = 200_000;

  private final Screen screen;
  private final TuiModel model;
  private final TuiFeed feed;
  private final TuiView view;
  private final Supplier<SourceStatus> status;
  private final List<TuiEvent> batch = new ArrayList<>();
  private long lastStatus = Long.MIN_VALUE;
  private boolean started;
  private boolean closed;

  public TuiApp(Terminal terminal, TuiModel model, TuiFeed feed, TuiView view, Supplier<SourceStatus> status)
      throws IOException {
    this.screen = new TerminalScreen(terminal);
    this.model = model;
    this.feed = feed;
    this.view = view;
    this.status = status;
  }

  public void start() throws IOException {
    screen.startScreen();
    screen.setCursorPosition(null);
    started = true;
    redraw();
  }

  /** Processes pending input and events and redraws if anything changed; returns whether anything did. */
  public boolean step() throws IOException {
    boolean dirty = false;
    KeyStroke k;
    while (!model.quit() && (k = screen.pollInput()) != null) {
      String name = keyName(k);
      if (name != null) {
        model.key(name);
        dirty = true;
      }
    }
    batch.clear();
    if (feed.drain(batch, MAX_BATCH) > 0) {
      model.accept(batch);
      dirty = true;
    }
    long now = model.now();
    if (now - lastStatus >= 500 || lastStatus == Long.MIN_VALUE) {
      SourceStatus s = status.get();
      if (s != null) {
        model.onStatus(s);
      }
      lastStatus = now;
      dirty = true;
    }
    if (screen.doResizeIfNecessary() != null) {
      dirty = true;
    }
    if (dirty) {
      redraw();
    }
    return dirty;
  }

  /** Runs until the user quits; idles briefly when nothing happens. */
  public void run() throws IOException, InterruptedException {
    if (!started) {
      start();
    }
    while (!model.quit()) {
      if (!step() && feed.isEmpty()) {
        Thread.sleep(15);
      }
    }
  }

  private void redraw() throws IOException {
    TerminalSize size = screen.getTerminalSize();
    view.draw(model, screen.newTextGraphics(), size);
    screen.refresh();
  }

  public Screen screen() {
    return screen;
  }

  public TuiModel model() {
    return model;
  }

  /** The key's name as {@link KeyMap} spells it, or null for keys the TUI ignores. */
  static String keyName(KeyStroke k) {
    KeyType t = k.getKeyType();
    return switch (t) {
      case Character -> {
        if (k.isCtrlDown() && k.getCharacter() == 'c') {
          yield "Ctrl-C";
        }
        if (k.isCtrlDown() && k.getCharacter() == 'd') {
          yield "q";
        }
        yield String.valueOf(k.getCharacter());
      }
      case ArrowUp -> "Up";
      case ArrowDown -> "Down";
      case PageUp -> "PageUp";
      case PageDown -> "PageDown";
      case Home -> "Home";
      case End -> "End";
      case Enter -> "Enter";
      case Escape -> "Escape";
      case Backspace -> "Backspace";
      case EOF -> "q";
      default -> null;
    };
  }

  /** Leaves the alternate screen and restores the terminal's modes. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (started) {
      screen.stopScreen();
    }
  }
}
