package dev.taillight.collector.store;

import static dev.taillight.collector.store.Fixtures.T0;
import static dev.taillight.collector.store.Fixtures.invocation;
import static dev.taillight.collector.store.Fixtures.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.LogLine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreFileTest {
  @TempDir Path dir;

  @Test
  void default_path_prefers_taillight_home_then_xdg_then_home() {
    assertThat(Store.defaultPath(Map.of("TAILLIGHT_HOME", "/t", "XDG_DATA_HOME", "/x", "HOME", "/h")::get))
        .isEqualTo(Path.of("/t/taillight.db"));
    assertThat(Store.defaultPath(Map.of("XDG_DATA_HOME", "/x", "HOME", "/h")::get))
        .isEqualTo(Path.of("/x/taillight/taillight.db"));
    assertThat(Store.defaultPath(Map.of("TAILLIGHT_HOME", " ", "HOME", "/h")::get))
        .isEqualTo(Path.of("/h/.local/share/taillight/taillight.db"));
  }

  @Test
  void directories_are_created_on_first_use() {
    Path file = Store.defaultPath(Map.of("XDG_DATA_HOME", dir.resolve("data").toString())::get);
    try (Store store = Store.open(file)) {
      assertThat(store.path()).isEqualTo(file);
    }
    assertThat(file).isRegularFile();
  }

  @Test
  void index_from_a_newer_schema_version_is_refused_with_both_versions() throws Exception {
    Path file = dir.resolve("future.db");
    Store.open(file).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 99");
    }

    assertThatThrownBy(() -> Store.open(file))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("newer version of Taillight")
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("reads up to " + Schema.currentVersion())
        .hasMessageContaining("Upgrade taillight");
  }

  @Test
  void a_file_that_is_not_sqlite_is_refused_naming_the_path_and_what_to_do() throws Exception {
    Path file = dir.resolve("taillight.db");
    Files.writeString(file, "this is a text file someone left here\n".repeat(200), StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Store.open(file))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not an SQLite database")
        .hasMessageContaining("Move it aside")
        .hasMessageContaining("TAILLIGHT_HOME");
    assertThat(Files.readString(file)).startsWith("this is a text file"); // nothing overwritten
  }

  @Test
  void a_corrupted_index_is_refused_naming_the_path() throws Exception {
    Path file = dir.resolve("broken.db");
    try (Store store = Store.open(file)) {
      for (int i = 0; i < 2000; i++) {
        store.onLine(line("f", 1, T0 + i, "r-" + i, "line number " + i + " with some padding text"));
      }
    }
    byte[] bytes = Files.readAllBytes(file);
    for (int i = 100; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    Files.write(file, bytes);

    assertThatThrownBy(() -> {
      try (Store store = Store.open(file)) {
        store.lineCount();
      }
    }).isInstanceOf(StoreException.class).hasMessageContaining(file.toString()).hasMessageContaining("Move it aside");
  }

  @Test
  void an_sqlite_database_of_another_application_is_refused() throws Exception {
    Path file = dir.resolve("other.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id INTEGER)");
    }

    assertThatThrownBy(() -> Store.open(file))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("another application")
        .hasMessageContaining(file.toString());
  }

  @Test
  void a_directory_in_place_of_the_file_is_refused() {
    assertThatThrownBy(() -> Store.open(dir)).isInstanceOf(StoreException.class).hasMessageContaining("directory");
  }

  @Test
  void two_stores_on_one_file_write_concurrently_and_read_each_other() throws Exception {
    Path file = dir.resolve("shared.db");
    try (Store a = Store.open(file); Store b = Store.open(file)) {
      CompletableFuture<Void> wa = CompletableFuture.runAsync(() -> write(a, "fa", 0));
      CompletableFuture<Void> wb = CompletableFuture.runAsync(() -> write(b, "fb", 0));
      CompletableFuture.allOf(wa, wb).get();
      // both also record the same events: stored once
      write(a, "fb", 0);
      a.flush();
      b.flush();

      for (Store s : List.of(a, b)) {
        assertThat(s.lineCount()).isEqualTo(2 * 3000);
        assertThat(s.invocation("fa-2999")).isPresent();
        assertThat(s.invocation("fb-0").orElseThrow().lines()).extracting(LogLine::text)
            .containsExactly("fb line 0");
        assertThat(s.functions()).extracting(FunctionSummary::function, FunctionSummary::events)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("fa", 3000L),
                org.assertj.core.groups.Tuple.tuple("fb", 3000L));
      }
    }
  }

  @Test
  void two_stores_recording_the_same_invocations_and_spans_at_once_store_each_once() throws Exception {
    Path file = dir.resolve("same.db");
    try (Store a = Store.open(file); Store b = Store.open(file)) {
      List<Store> both = List.of(a, b);
      List<CompletableFuture<Void>> runs = new ArrayList<>();
      for (Store s : both) {
        runs.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < 2000; i++) {
            String trace = String.format("5759e988%024x", i + 1);
            s.onInvocationStarted(invocation("f", "r-" + i).start(T0 + i).trace(trace).build());
            s.onSpan(Fixtures.span(trace, String.format("%016x", i + 1), null, "r-" + i, T0 + i, T0 + i + 1,
                Map.of()));
            s.onInvocationFinished(invocation("f", "r-" + i).start(T0 + i).finished(1).trace(trace).build());
            if (i % 250 == 0) {
              s.flush(); // several transactions, interleaving with the other store's
            }
          }
          s.flush();
        }));
      }
      CompletableFuture.allOf(runs.toArray(new CompletableFuture[0])).get();
      for (Store s : both) {
        for (int i = 0; i < 2000; i += 97) {
          assertThat(s.invocations("r-" + i)).singleElement().extracting(Invocation::status)
              .isEqualTo(dev.taillight.collector.InvocationStatus.OK);
          assertThat(s.trace(String.format("5759e988%024x", i + 1)).orElseThrow().spans()).hasSize(1);
        }
        assertThat(s.search(InvocationQuery.builder().limit(5000).build())).hasSize(2000);
      }
    }
  }

  @Test
  void a_reader_sees_what_another_store_commits_after_its_own_earlier_queries() {
    Path file = dir.resolve("fresh.db");
    try (Store writer = Store.open(file); Store reader = Store.open(file)) {
      for (int i = 0; i < 3; i++) {
        String id = "r-" + i;
        assertThat(reader.invocation(id)).isEmpty();
        assertThat(reader.search(InvocationQuery.all())).hasSize(i);
        writer.onLine(line("f", 1, T0 + i, id, "line " + i));
        writer.onInvocationFinished(invocation("f", id).start(T0 + i).finished(1).build());
        writer.flush();
        assertThat(reader.invocation(id)).isPresent();
        assertThat(reader.search(InvocationQuery.builder().text("line").build())).hasSize(i + 1);
      }
    }
  }

  private static void write(Store s, String fn, int offset) {
    List<LogLine> lines = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      LogLine l = line(fn, 1, T0 + offset + i, fn + "-" + i, fn + " line " + i);
      lines.add(l);
      s.onLine(l);
      s.onInvocationFinished(invocation(fn, fn + "-" + i).start(T0 + i).finished(1).build());
      if (i % 500 == 0) {
        s.flush(); // several transactions, interleaving with the other writer
      }
    }
    s.flush();
  }

  @Test
  void two_processes_share_one_file() throws Exception {
    Path file = dir.resolve("procs.db");
    try (Store store = Store.open(file)) {
      store.onLine(line("here", 1, T0, "r-here", "from this process"));
      store.flush();

      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          OtherProcess.class.getName(), file.toString())
          .redirectErrorStream(true).start();
      String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(child.waitFor()).as(out).isZero();

      assertThat(out).contains("saw 1 lines");
      assertThat(store.invocation("r-there").orElseThrow().lines()).extracting(LogLine::text)
          .containsExactly("from the other process");
    }
  }

  /** Runs in a second JVM: reads what the first wrote, writes its own. */
  public static final class OtherProcess {
    public static void main(String[] args) {
      try (Store store = Store.open(Path.of(args[0]))) {
        System.out.println("saw " + store.lineCount() + " lines");
        store.onLine(line("there", 2, T0 + 5, "r-there", "from the other process"));
        store.onInvocationFinished(invocation("there", "r-there").stream(2).finished(3).build());
      }
    }
  }
}
