package dev.taillight.collector.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

  @Test
  void the_same_id_read_from_different_lines_is_one_string() {
    String id = "8f507cfc-5b6a-4697-b07a-ac58fc914c95";
    String start = "START RequestId: " + id + " Version: $LATEST";
    String end = "END RequestId: " + id;
    String a = RequestIds.of(start, 17, 17 + 36);
    String b = RequestIds.of(end, 15, 15 + 36);
    assertThat(a).isEqualTo(id).isSameAs(b);
  }

  @Test
  void every_id_comes_back_as_written_whatever_the_cache_holds() {
    // thousands of ids over 512 slots: collisions, evictions, ids one character apart
    Random random = new Random(5);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      StringBuilder b = new StringBuilder();
      for (int k = 0; k < 36; k++) {
        b.append(k == 8 || k == 13 || k == 18 || k == 23 ? '-' : "0123456789abcdef".charAt(random.nextInt(16)));
      }
      ids.add(b.toString());
      char[] near = b.toString().toCharArray();
      near[random.nextInt(36)] = 'z';
      ids.add(new String(near));
    }
    ids.addAll(List.of("8f507cfc-5b6a-4697-b07a-ac58fc914c9\u00e9", "8f507cfc-5b6a-4697-b07a-ac58fc914c9\u0122",
        "short-id", "a-request-id-of-another-length-entirely-40", ""));
    for (int round = 0; round < 20_000; round++) {
      String id = ids.get(random.nextInt(ids.size()));
      String line = "x\t" + id + "\ty";
      assertThat(RequestIds.of(line, 2, 2 + id.length())).isEqualTo(id);
    }
  }

  @Test
  void only_ids_shaped_like_lambdas_come_back_as_lambda_ids_whether_cached_or_not() {
    String id = "8f507cfc-5b6a-4697-b07a-ac58fc914c95";
    // 36 characters each, none shaped like a request id: a dash too many or missing, a character not allowed
    String[] others = {"8f507cfc-5b6a-4697-b07a-ac58fc914c9-", "8f507cfcx5b6a-4697-b07a-ac58fc914c95",
        "8f507cfc-5b6a-4697-b07a-ac58fc914c9_", "8f507cfc-5b6a-4697-b07a-ac58fc914c9\u00e9",
        "8f507cfc-5b6a-4697-b07a-ac58fc914c9\u0122", "8f507cfc 5b6a-4697-b07a-ac58fc914c95"};
    for (int round = 0; round < 2; round++) { // the second time from the cache
      assertThat(RequestIds.lambdaId("x " + id, 2)).isEqualTo(id).isSameAs(RequestIds.of(id + " y", 0, 36));
      for (String other : others) {
        assertThat(RequestIds.of("\t" + other, 1, 37)).isEqualTo(other);
        assertThat(RequestIds.lambdaId(other + "\t", 0)).as(other).isNull();
        assertThat(Scan.isRequestIdAt(other, 0)).as(other).isFalse();
      }
    }
  }
}
