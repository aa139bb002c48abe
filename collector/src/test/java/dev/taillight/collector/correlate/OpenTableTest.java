package dev.taillight.collector.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OpenTableTest {
  /** A value that carries its key, as the correlator's invocations and streams do. */
  record Item(String key) {}

  static Item find(OpenTable<Item> t, String key, int h) {
    for (int i = t.first(h); t.at(i) != null; i = t.next(i)) {
      if (t.hashAt(i) == h && t.at(i).key().equals(key)) {
        return t.at(i);
      }
    }
    return null;
  }

  @Test
  void random_adds_and_removes_with_colliding_hashes_find_exactly_what_a_hash_map_finds() {
    Random random = new Random(7);
    // few distinct hashes: long runs of entries that collide and wrap around, where deletion must shift back
    for (int distinctHashes : new int[] {1, 3, 17, 1 << 30}) {
      OpenTable<Item> table = new OpenTable<>(4);
      Map<String, Item> model = new HashMap<>();
      List<String> keys = new ArrayList<>();
      for (int step = 0; step < 20_000; step++) {
        String key = "k" + random.nextInt(400);
        int h = OpenTable.mix(Math.floorMod(key.hashCode(), distinctHashes));
        Item present = model.get(key);
        assertThat(find(table, key, h)).isSameAs(present);
        if (present == null && random.nextInt(3) > 0) {
          Item item = new Item(key);
          table.add(item, h);
          model.put(key, item);
          keys.add(key);
        } else if (present != null) {
          assertThat(table.remove(present, h)).isTrue();
          assertThat(table.remove(present, h)).as("already gone").isFalse();
          model.remove(key);
        }
        assertThat(table.size()).isEqualTo(model.size());
      }
      for (String key : keys) {
        int h = OpenTable.mix(Math.floorMod(key.hashCode(), distinctHashes));
        assertThat(find(table, key, h)).isSameAs(model.get(key));
      }
      assertThat(table.values()).containsExactlyInAnyOrderElementsOf(model.values());
    }
  }

  @Test
  void removing_compares_identity_so_an_equal_value_added_later_stays() {
    OpenTable<Item> table = new OpenTable<>(8);
    Item old = new Item("a");
    Item fresh = new Item("a"); // equal record, another instance
    int h = OpenTable.hash("a");
    table.add(old, h);
    assertThat(table.remove(fresh, h)).isFalse();
    assertThat(table.remove(old, h)).isTrue();
    table.add(fresh, h);
    assertThat(table.remove(old, h)).isFalse();
    assertThat(find(table, "a", h)).isSameAs(fresh);
  }

  @Test
  void hash_reads_the_tail_where_ids_are_random_and_the_length() {
    String id = "4b142fc3-17b8-4cdb-a46b-a8dbe7918715";
    int h = OpenTable.hash(id);
    for (int i = id.length() - 16; i < id.length(); i++) {
      char[] c = id.toCharArray();
      c[i] = c[i] == 'f' ? 'e' : 'f';
      assertThat(OpenTable.hash(new String(c))).as("changed at %d", i).isNotEqualTo(h);
    }
    assertThat(OpenTable.hash("x" + id)).isNotEqualTo(h);
    assertThat(OpenTable.hash(id)).isEqualTo(OpenTable.hash(new String(id.toCharArray())));
    assertThat(OpenTable.hash("")).isNotEqualTo(OpenTable.hash("a"));
    assertThat(OpenTable.hash("ab")).isNotEqualTo(OpenTable.hash("ba"));
  }
}
