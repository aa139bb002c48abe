package dev.taillight.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The keys the collector reads from every span ({@code faas.invocation_id}, {@code service.name}, ...) are found
 * without a search, from where the map noted them while it was built: these tests hold such reads to what a plain
 * map of the same entries answers, wherever the key is (own entries, the parent's, hidden, absent, repeated, far down
 * the list), whether the map was built over the line's bytes or not, and for look-alike keys.
 */
class LazyAttributesTest {
  private static final List<String> KNOWN = List.of("faas.invocation_id", "service.name",
      "aws.lambda.init_duration_ms", "aws.lambda.restore_duration_ms", "faas.coldstart",
      "aws.lambda.estimated_billed_duration_ms", "faas.max_memory", "aws.lambda.architecture",
      "aws.lambda.timeout_warning");

  /** Builds the map of {@code entries} (string values) as slices of one line, with or without its bytes. */
  private static LazyAttributes build(Map<String, String> entries, LazyAttributes parent, boolean withBytes) {
    StringBuilder line = new StringBuilder("{");
    int[][] at = new int[entries.size()][];
    int i = 0;
    for (Map.Entry<String, String> e : entries.entrySet()) {
      int ks = line.length();
      line.append(e.getKey());
      int ke = line.length();
      line.append('=');
      int vs = line.length();
      line.append(e.getValue());
      at[i++] = new int[] {ks, ke, vs, line.length()};
      line.append(',');
    }
    String src = line.toString();
    byte[] bytes = new byte[src.length()];
    for (int k = 0; k < bytes.length; k++) {
      char c = src.charAt(k);
      bytes[k] = c <= 0xff ? (byte) c : (byte) '?';
    }
    LazyAttributes.Builder b = new LazyAttributes.Builder().reset(src, withBytes ? bytes : null);
    for (int[] a : at) {
      b.addString(a[0], a[1], null, a[2], a[3]);
    }
    return b.build(parent);
  }

  private static void assertReadsAsPlainMap(Map<String, Object> lazy, Map<String, String> expected) {
    for (String k : KNOWN) {
      assertThat(lazy.get(k)).as(k).isEqualTo(expected.get(k));
      assertThat(lazy.get(new String(k.toCharArray()))).as("an equal key that is another String: " + k)
          .isEqualTo(expected.get(k));
      assertThat(lazy.containsKey(k)).as(k).isEqualTo(expected.containsKey(k));
    }
    assertThat(lazy).isEqualTo(expected);
  }

  @Test
  void known_keys_read_as_in_a_plain_map_wherever_they_are() {
    for (boolean withBytes : new boolean[] {true, false}) {
      Map<String, String> resource = new LinkedHashMap<>();
      resource.put("service.name", "orders");
      resource.put("faas.max_memory", "536870912");
      resource.put("aws.lambda.architecture", "arm64");
      resource.put("cloud.region", "us-east-1");
      Map<String, String> span = new LinkedHashMap<>();
      span.put("http.route", "/orders/{id}");
      span.put("faas.invocation_id", "8f507cfc-5b6a-4697-b07a-ac58fc914c95");
      span.put("aws.lambda.architecture", "x86_64"); // hides the resource's
      span.put("faas.coldstart", "true");
      LazyAttributes r = build(resource, null, withBytes);
      LazyAttributes s = build(span, r, withBytes);
      Map<String, String> merged = new HashMap<>(resource);
      merged.putAll(span);
      assertReadsAsPlainMap(r, resource);
      assertReadsAsPlainMap(s, merged);
      assertReadsAsPlainMap(s.withParent(null), span);
      assertReadsAsPlainMap(build(Map.of(), r, withBytes), resource);
    }
  }

  @Test
  void a_key_written_twice_reads_as_its_last_value() {
    StringBuilder src = new StringBuilder();
    String key = "faas.invocation_id";
    src.append(key).append("=a,").append("other=b,").append(key).append("=c");
    String line = src.toString();
    LazyAttributes.Builder b = new LazyAttributes.Builder().reset(line, line.getBytes(StandardCharsets.ISO_8859_1));
    int second = line.lastIndexOf(key);
    b.addString(0, key.length(), null, key.length() + 1, key.length() + 2);
    b.addString(line.indexOf("other"), line.indexOf("other") + 5, null, line.indexOf("=b") + 1,
        line.indexOf("=b") + 2);
    b.addString(second, second + key.length(), null, line.length() - 1, line.length());
    LazyAttributes m = b.build(null);
    assertThat(m.get(key)).isEqualTo("c");
    assertThat(m).containsExactlyInAnyOrderEntriesOf(Map.of(key, "c", "other", "b"));
  }

  @Test
  void known_keys_far_down_a_long_list_are_still_found() {
    for (boolean withBytes : new boolean[] {true, false}) {
      Map<String, String> entries = new LinkedHashMap<>();
      for (int i = 0; i < 300; i++) {
        entries.put("custom.attribute." + i, "v" + i);
        if (i == 140) {
          entries.put("faas.invocation_id", "far");
        }
        if (i == 2) {
          entries.put("service.name", "near");
        }
      }
      entries.put("aws.lambda.timeout_warning", "last");
      assertReadsAsPlainMap(build(entries, null, withBytes), entries);
    }
  }

  @Test
  void look_alike_keys_are_not_taken_for_known_ones() {
    // same length and the same first, middle and last characters as faas.invocation_id, or one beyond Latin-1
    for (String lookAlike : List.of("faas.invocXtion_id", "faas.invoca\u0100ion_id", "faas.invoca\u00e9ion_id",
        "faas.invocation_Xd", "faas.invocation_\u0100d", "faaX.invocation_id",
        "Faas.invocation_id", "faas.invocation_iD")) {
      for (boolean withBytes : new boolean[] {true, false}) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(lookAlike, "not the id");
        entries.put("service.nam\u0117", "not the service");
        LazyAttributes m = build(entries, null, withBytes);
        assertReadsAsPlainMap(m, entries);
        assertThat(m.get(lookAlike)).isEqualTo("not the id");
      }
    }
  }

  @Test
  void keys_given_as_strings_are_recognised_too() {
    LazyAttributes.Builder b = new LazyAttributes.Builder().reset("x", "x".getBytes(StandardCharsets.ISO_8859_1));
    b.addString(0, 0, "faas.invocation_id", 0, 1);
    b.addLong(0, 0, "faas.max_memory", 128);
    b.addBoolean(0, 0, "faas.coldstart", true);
    LazyAttributes m = b.build(null);
    assertThat(m.get("faas.invocation_id")).isEqualTo("x");
    assertThat(m.get("faas.max_memory")).isEqualTo(128L);
    assertThat(m.get("faas.coldstart")).isEqualTo(true);
    assertThat(m.get("service.name")).isNull();
    assertThat(m.containsKey("aws.lambda.architecture")).isFalse();
  }
}
