package dev.taillight.collector.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TraceIndexTest {
  @Test
  void request_ids_of_a_trace_are_kept_once_each_in_the_order_first_seen_however_many() {
    Random random = new Random(3);
    for (int distinct : new int[] {1, 2, 3, 16, 17, 40}) {
      TraceIndex.Entry e = new TraceIndex.Entry("5759e988bd862e3fe1be46a994272793", 1);
      LinkedHashSet<String> expected = new LinkedHashSet<>();
      for (int k = 0; k < distinct * 4; k++) {
        String id = "11111111-2222-4333-8444-" + String.format("%012d", random.nextInt(distinct));
        e.addRequestId(new String(id.toCharArray())); // equal ids, other instances
        expected.add(id);
      }
      assertThat(e.requestIds()).as("%d distinct", distinct).containsExactlyElementsOf(new ArrayList<>(expected));
    }
    assertThat(new TraceIndex.Entry("5759e988bd862e3fe1be46a994272793", 1).requestIds()).isEqualTo(List.of());
  }
}
