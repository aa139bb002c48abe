package dev.taillight.cli.tui;

import static org.assertj.core.api.Assertions.assertThat;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.taillight.cli.Fixtures;
import dev.taillight.cli.Goldens;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationStatus;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.SourceStatus;
import java.io.IOException;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TUI screens rendered into a virtual terminal at 100x24 and compared with golden files. */
class TuiScreensTest {
  private final AtomicLong now = new AtomicLong(Fixtures.T0 + 5_000);
  private final DefaultVirtualTerminal vt = new DefaultVirtualTerminal(new TerminalSize(100, 24));
  private final TuiFeed feed = new TuiFeed();
  private TuiModel model;
  private TuiApp app;

  @BeforeEach
  void setUp() throws IOException {
    model = new TuiModel(KeyMap.defaults(), now::get, TuiModel::traceOf, 10_000, false);
    SourceStatus status = new SourceStatus("polling", 1.5, 12, 0,
        List.of(new SourceStatus.GroupStatus("/aws/lambda/orders-api", 2_100, "following"),
            new SourceStatus.GroupStatus("/aws/lambda/payments", 3_400, "following")), null);
    app = new TuiApp(vt, model, feed, new TuiView(ZoneOffset.UTC, true), () -> status);
    app.start();
  }

  @AfterEach
  void tearDown() throws IOException {
    app.close();
  }

  private void feedInvocation(Fixtures.Inv b) {
    Invocation fin = b.build();
    feed.onInvocationStarted(Fixtures.invocation(fin.function(), fin.requestId()).stream(fin.logStream())
        .start(fin.startTime()).build());
    for (LogLine l : b.lines()) {
      feed.onLine(l);
    }
    if (fin.status().finished()) {
      feed.onInvocationFinished(fin);
    }
  }

  private void scenario() throws IOException {
    feed.onLine(Fixtures.line("checkout", "c1", Fixtures.T0 - 50, null, null, "init: loaded 3 routes"));
    feedInvocation(Fixtures.invocation("orders-api", "8f3c2a1e-1111-2222-3333-444455556666").cold(412.3)
        .line(7, "INFO", "Processing order 42").line(90, "INFO", "order 42 stored")
        .report(InvocationStatus.OK, 120.5, 121, 512, 87, 0.0000022518)
        .trace("5759e988bd862e3fe1be46a994272793")
        .span(Fixtures.span("5759e988bd862e3fe1be46a994272793", "a000000000000001", null, "POST /orders",
            Fixtures.T0, Fixtures.T0 + 120, "OK", "orders-api",
            Map.of("faas.invocation_id", "8f3c2a1e-1111-2222-3333-444455556666"))));
    feedInvocation(Fixtures.invocation("payments", "b0b0b0b0-0000-4000-8000-000000000001").start(Fixtures.T0 + 200)
        .line(3, "INFO", "charging card")
        .platformLine(3000, "Task timed out after 3.00 seconds")
        .report(InvocationStatus.TIMEOUT, 3000.0, 3000, 128, 60, 0.0000062).error("Sandbox.Timedout", null));
    feedInvocation(Fixtures.invocation("orders-api", "c1c1c1c1-0000-4000-8000-000000000002").start(Fixtures.T0 + 3500)
        .line(2, "WARN", "inventory slow"));
    app.step();
  }

  static String text(DefaultVirtualTerminal vt) {
    TerminalSize s = vt.getTerminalSize();
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < s.getRows(); r++) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < s.getColumns(); c++) {
        line.append(vt.getCharacter(c, r).getCharacterString());
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  /** The stream pane's rows: what is right of the functions pane, above the detail pane. */
  private static List<String> streamColumns(String screen) {
    return screen.lines().limit(15).map(l -> l.substring(l.indexOf('\u2502') + 1)).toList();
  }

  private void press(char c) throws IOException {
    vt.addInput(new KeyStroke(c, false, false));
    app.step();
  }

  private void press(KeyType type) throws IOException {
    vt.addInput(new KeyStroke(type));
    app.step();
  }

  @Test
  void following_screen_shows_functions_grouped_invocations_detail_and_status() throws IOException {
    scenario();
    Goldens.assertMatches("tui-following.txt", text(vt));
  }

  @Test
  void timeout_header_is_drawn_in_red() throws IOException {
    scenario();
    String screen = text(vt);
    int row = screen.substring(0, screen.indexOf("TIMEOUT")).split("\n", -1).length - 1;
    int col = screen.split("\n")[row].indexOf("TIMEOUT");
    assertThat(vt.getCharacter(col, row).getForegroundColor()).isEqualTo(TextColor.ANSI.RED);
  }

  @Test
  void previous_error_selects_the_timeout_and_shows_its_details() throws IOException {
    scenario();
    press('E');
    Goldens.assertMatches("tui-prev-error.txt", text(vt));
    assertThat(model.stream().selectedInvocation().status()).isEqualTo(InvocationStatus.TIMEOUT);
  }

  @Test
  void slash_filters_to_matching_invocations_and_n_moves_between_matches() throws IOException {
    scenario();
    press('/');
    for (char c : "order 42".toCharArray()) {
      press(c);
    }
    assertThat(text(vt)).contains("/order 42_");
    press(KeyType.Enter);
    Goldens.assertMatches("tui-filtered.txt", text(vt));
    press('g');
    press('n');
    assertThat(model.stream().selectedInvocation().requestId()).startsWith("8f3c2a1e");
    LogLine selected = model.stream().block(model.stream().cursor().seq()).line(model.stream().cursor().row());
    assertThat(selected.text()).isEqualTo("Processing order 42");
    press('n');
    selected = model.stream().block(model.stream().cursor().seq()).line(model.stream().cursor().row());
    assertThat(selected.text()).isEqualTo("order 42 stored");
  }

  @Test
  void question_mark_shows_the_key_map_generated_from_the_bindings() throws IOException {
    scenario();
    press('?');
    String screen = text(vt);
    Goldens.assertMatches("tui-help.txt", screen);
    for (KeyMap.Binding b : KeyMap.defaults().bindings()) {
      assertThat(screen).contains(b.description());
    }
    press('x');
    assertThat(model.mode()).isEqualTo(TuiModel.Mode.STREAM);
  }

  @Test
  void enter_on_an_invocation_opens_its_trace_waterfall_with_the_cold_start_bar() throws IOException {
    scenario();
    press('g');
    press('j');
    press(KeyType.Enter);
    assertThat(model.mode()).isEqualTo(TuiModel.Mode.TRACE);
    Goldens.assertMatches("tui-trace.txt", text(vt));
    press(KeyType.Escape);
    assertThat(model.mode()).isEqualTo(TuiModel.Mode.STREAM);
  }

  @Test
  void space_pauses_buffers_and_counts_new_lines_then_shows_them_all_on_resume() throws IOException {
    scenario();
    press(' ');
    String before = text(vt);
    for (int i = 0; i < 3; i++) {
      feed.onLine(Fixtures.line("checkout", "c1", Fixtures.T0 + 4000 + i, null, null, "late line " + i));
    }
    app.step();
    String paused = text(vt);
    assertThat(paused).contains("PAUSED +3 new").doesNotContain("late line");
    assertThat(streamColumns(paused)).isEqualTo(streamColumns(before));
    press(' ');
    assertThat(text(vt)).contains("late line 0").contains("late line 1").contains("late line 2")
        .doesNotContain("PAUSED");
  }

  @Test
  void resize_redraws_at_the_new_size() throws IOException {
    scenario();
    vt.setTerminalSize(new TerminalSize(80, 12));
    app.step();
    Goldens.assertMatches("tui-resized-80x12.txt", text(vt));
  }

  @Test
  void a_burst_of_20000_lines_is_taken_in_whole_paused_or_not() throws IOException {
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      if (i == n / 2) {
        app.step();
        press(' ');
      }
      String fn = "fn-" + (i % 8);
      feed.onLine(Fixtures.line(fn, "s" + (i % 8), Fixtures.T0 + i, null, null, "burst line " + i));
    }
    app.step();
    assertThat(model.pauseBuffer().heldLines()).isEqualTo(n / 2);
    press(' ');
    assertThat(model.stream().lineCount()).isEqualTo(n);
    assertThat(model.stream().blockCount()).as("history is capped at 10,000 blocks (+10% slack)")
        .isBetween(10_000, 11_000);
    assertThat(text(vt)).contains("burst line " + (n - 1));
  }

  @Test
  void q_quits() throws IOException {
    scenario();
    press('q');
    assertThat(model.quit()).isTrue();
  }
}
