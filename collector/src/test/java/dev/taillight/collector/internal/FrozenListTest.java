package dev.taillight.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrozenListTest {
  @Test
  void holds_a_copy_of_the_first_elements_and_equals_the_list_of_them() {
    String[] source = {"a", "b", "c", null};
    List<String> list = FrozenList.copyOf(source, 3);
    source[0] = "changed";
    assertThat(list).containsExactly("a", "b", "c");
    assertThat(list).isEqualTo(List.of("a", "b", "c")).hasSameHashCodeAs(List.of("a", "b", "c"));
    assertThat(list.indexOf("c")).isEqualTo(2);
    assertThat(list.contains("d")).isFalse();
    assertThat(list.subList(1, 3)).containsExactly("b", "c");
    assertThat(FrozenList.copyOf(source, 0)).isEmpty();
  }

  @Test
  void refuses_nulls_and_every_change_as_list_copy_of_does() {
    assertThatThrownBy(() -> FrozenList.copyOf(new String[] {"a", null}, 2))
        .isInstanceOf(NullPointerException.class);
    List<String> list = FrozenList.copyOf(new String[] {"a", "b"}, 2);
    List<String> empty = FrozenList.copyOf(new String[0], 0);
    assertThatThrownBy(() -> list.contains(null)).isInstanceOf(NullPointerException.class);
    for (List<String> l : List.of(list, empty)) {
      assertThatThrownBy(() -> l.add("x")).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> l.addAll(List.of())).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(l::clear).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> l.removeIf(x -> false)).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> l.sort(null)).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> l.iterator().remove()).isInstanceOf(RuntimeException.class);
    }
    assertThatThrownBy(() -> list.set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.subList(0, 1).clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThat(new ArrayList<>(list)).containsExactly("a", "b");
  }
}
