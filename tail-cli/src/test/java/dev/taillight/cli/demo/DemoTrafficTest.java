package dev.taillight.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DemoTrafficTest {

  @Test
  void script_shows_every_behaviour_within_the_first_half_minute() {
    List<DemoTraffic.Step> script = new DemoTraffic(new Random(1)).script();
    String all = String.join("\n", script.stream().flatMap(s -> s.orders().stream()).toList());

    assertThat(script.get(0).orders()).as("cold starts and scale-out at once").hasSizeGreaterThanOrEqualTo(3);
    assertThat(script).allSatisfy(s -> assertThat(s.offsetMillis()).isLessThanOrEqualTo(30_000));
    assertThat(script).extracting(DemoTraffic.Step::offsetMillis).isSorted();
    assertThat(all).contains("\"amount\":0}").contains("\"amount\":7}").contains("\"amount\":13}")
        .contains("\"sleepMs\":15000").contains("\"memoryMb\":200");
    assertThat(script.stream().mapToInt(s -> s.orders().size()).max().getAsInt()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void order_ids_are_unique_and_the_same_seed_gives_the_same_orders() {
    DemoTraffic a = new DemoTraffic(new Random(42));
    DemoTraffic b = new DemoTraffic(new Random(42));
    List<String> fromA = new java.util.ArrayList<>();
    List<String> fromB = new java.util.ArrayList<>();
    a.script().forEach(s -> fromA.addAll(s.orders()));
    b.script().forEach(s -> fromB.addAll(s.orders()));
    for (int i = 0; i < 50; i++) {
      fromA.addAll(a.next(i).orders());
      fromB.addAll(b.next(i).orders());
    }

    assertThat(fromA).isEqualTo(fromB);
    assertThat(fromA.stream().map(o -> o.substring(0, o.indexOf(',')))).doesNotHaveDuplicates();
  }
}
