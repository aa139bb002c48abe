package dev.taillight.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EditDistanceTest {

  @Test
  void counts_insertions_deletions_and_substitutions() {
    assertThat(EditDistance.between("orders-api", "orders-api")).isZero();
    assertThat(EditDistance.between("", "tail")).isEqualTo(4);
    assertThat(EditDistance.between("tial", "tail")).isEqualTo(2);
    assertThat(EditDistance.between("orders-ap", "orders-api")).isEqualTo(1);
    assertThat(EditDistance.between("kitten", "sitting")).isEqualTo(3);
  }
}
