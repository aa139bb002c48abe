package dev.taillight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.insights.QueryProgress;
import dev.taillight.collector.store.PullCheckpoint;
import dev.taillight.collector.store.Store;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteSearchTest {
  static final long H = 3_600_000;

  @Test
  void only_the_parts_of_the_period_no_pull_fetched_go_to_logs_insights(@TempDir Path dir) {
    try (Store store = Store.builder().path(dir.resolve("i.db")).build()) {
      store.putCheckpoint(new PullCheckpoint("/aws/lambda/a", 10 * H, 20 * H, 20 * H));
      store.putCheckpoint(new PullCheckpoint("/aws/lambda/b", 0, 30 * H, 30 * H));
      store.flush();
      List<RemoteSearch.Piece> pieces = RemoteSearch.missing(store,
          List.of("/aws/lambda/a", "/aws/lambda/b", "/aws/lambda/c"), 5 * H, 25 * H, 0);
      assertThat(pieces).containsExactly(
          new RemoteSearch.Piece(List.of("/aws/lambda/a"), 5 * H, 10 * H),
          new RemoteSearch.Piece(List.of("/aws/lambda/a"), 20 * H, 25 * H),
          new RemoteSearch.Piece(List.of("/aws/lambda/c"), 5 * H, 25 * H));
      assertThat(RemoteSearch.missing(store, List.of("/aws/lambda/b"), 5 * H, 25 * H, 0)).isEmpty();
    }
  }

  @Test
  void a_short_gap_at_the_end_of_a_period_up_to_now_stays_in_the_index(@TempDir Path dir) {
    try (Store store = Store.builder().path(dir.resolve("i.db")).build()) {
      store.putCheckpoint(new PullCheckpoint("/aws/lambda/a", 10 * H, 20 * H, 20 * H));
      store.flush();
      long twoMinutesLater = 20 * H + 120_000;
      assertThat(RemoteSearch.missing(store, List.of("/aws/lambda/a"), 11 * H, twoMinutesLater,
          Backfill.LOOKBACK_MS)).isEmpty();
      assertThat(RemoteSearch.missing(store, List.of("/aws/lambda/a"), 11 * H, twoMinutesLater, 0))
          .containsExactly(new RemoteSearch.Piece(List.of("/aws/lambda/a"), 20 * H, twoMinutesLater));
    }
  }

  @Test
  void progress_line_shows_status_time_matches_and_bytes_scanned() {
    QueryProgress p = new QueryProgress("q", "Running", 1234, 99_000, 5L * 1024 * 1024 * 1024 / 2, 12_400);
    assertThat(RemoteSearch.progressLine(p, 1)).isEqualTo(
        "Logs Insights Running  12 s  1,234 lines matched  2.50 GB scanned");
    assertThat(RemoteSearch.progressLine(p, 2)).startsWith("Logs Insights Running (older page 2)  12 s");
    assertThat(RemoteSearch.size(3 * 1024 * 1024 + 400_000)).isEqualTo("3.4 MB");
  }
}
