package dev.taillight.collector.insights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.insights.InvocationFetcher.Anchor;
import dev.taillight.collector.insights.InvocationFetcher.Boundary;
import dev.taillight.collector.insights.InvocationFetcher.Lookup;
import dev.taillight.collector.insights.InvocationFetcher.Range;
import dev.taillight.collector.parse.PlatformRecord.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the invocation around a matched line is found from the boundary lines of its stream. */
class InvocationRangesTest {
  static final List<Boundary> STREAM = List.of(
      new Boundary(1_000, Type.INIT_START, null),
      new Boundary(1_400, Type.START, "a"),
      new Boundary(1_600, Type.REPORT, "a"),
      new Boundary(3_000, Type.START, "b"),
      new Boundary(3_500, Type.REPORT, "b"),
      new Boundary(5_000, Type.START, "c"));

  @Test
  void a_line_belongs_to_the_last_start_before_it_until_its_report() {
    assertThat(InvocationFetcher.range(STREAM, new Anchor(3_200, null, null))).isEqualTo(new Range(3_000, 3_500));
  }

  @Test
  void a_cold_invocation_begins_at_its_init_start() {
    assertThat(InvocationFetcher.range(STREAM, new Anchor(1_450, null, null))).isEqualTo(new Range(1_000, 1_600));
  }

  @Test
  void a_report_line_ends_its_own_invocation() {
    assertThat(InvocationFetcher.range(STREAM, new Anchor(3_500, "b", null))).isEqualTo(new Range(3_000, 3_500));
  }

  @Test
  void a_start_without_a_report_yet_is_unresolved_and_so_is_a_line_before_any_start() {
    assertThat(InvocationFetcher.range(STREAM, new Anchor(5_100, null, null))).isNull();
    assertThat(InvocationFetcher.range(STREAM, new Anchor(900, null, null))).isNull();
  }

  @Test
  void an_invocation_whose_report_is_missing_runs_up_to_the_next_start() {
    List<Boundary> bs = List.of(new Boundary(100, Type.START, "x"), new Boundary(900, Type.START, "y"),
        new Boundary(950, Type.REPORT, "y"));
    assertThat(InvocationFetcher.range(bs, new Anchor(300, null, null))).isEqualTo(new Range(100, 899));
  }

  @Test
  void nearby_lines_of_several_streams_share_one_boundary_lookup() {
    Map<String, List<Long>> anchors = new LinkedHashMap<>();
    anchors.put("s1", List.of(100_000L, 130_000L));
    anchors.put("s2", List.of(150_000L));
    anchors.put("s3", List.of(2_000_000L));
    List<Lookup> l = InvocationFetcher.lookups(anchors, 60_000);
    assertThat(l).containsExactly(new Lookup(new Range(40_000, 210_000), List.of("s1", "s2")),
        new Lookup(new Range(1_940_000, 2_060_000), List.of("s3")));
  }

  @Test
  void streams_share_a_lookup_only_within_ten_minutes() {
    Map<String, List<Long>> anchors = new LinkedHashMap<>();
    anchors.put("s1", List.of(0L, 100_000L, 200_000L, 300_000L, 400_000L, 500_000L, 600_000L, 700_000L));
    anchors.put("s2", List.of(650_000L));
    assertThat(InvocationFetcher.lookups(anchors, 60_000)).as("one stream's own window may be longer")
        .containsExactly(new Lookup(new Range(-60_000, 760_000), List.of("s1")),
            new Lookup(new Range(590_000, 710_000), List.of("s2")));
  }
}
