package dev.taillight.collector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceIdsTest {

  @Test
  void xray_and_w3c_forms_normalise_to_the_same_32_hex() {
    assertThat(TraceIds.normalize("1-5759e988-bd862e3fe1be46a994272793"))
        .isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(TraceIds.normalize("5759E988BD862E3FE1BE46A994272793"))
        .isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(TraceIds.normalize("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"))
        .isEqualTo("5759e988bd862e3fe1be46a994272793");
  }

  @Test
  void malformed_ids_give_null_not_an_exception() {
    assertThat(TraceIds.normalize(null)).isNull();
    assertThat(TraceIds.normalize("")).isNull();
    assertThat(TraceIds.normalize("1-xyz-123")).isNull();
    assertThat(TraceIds.normalize("00000000000000000000000000000000")).isNull();
    assertThat(TraceIds.normalize("Root=;Parent=1")).isNull();
  }

  @Test
  void xray_form_round_trips() {
    assertThat(TraceIds.toXRay("5759e988bd862e3fe1be46a994272793")).isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
  }

  /** The general rule, written out plainly: what normalize must return for every input. */
  private static String reference(String id) {
    if (id == null) {
      return null;
    }
    String s = id.trim();
    int root = s.indexOf("Root=");
    if (root >= 0) {
      int end = s.indexOf(';', root);
      s = s.substring(root + 5, end < 0 ? s.length() : end).trim();
    }
    if (s.length() == 35 && s.charAt(0) == '1' && s.charAt(1) == '-' && s.charAt(10) == '-') {
      s = s.substring(2, 10) + s.substring(11);
    }
    if (!s.matches("[0-9a-fA-F]{32}")) {
      return null;
    }
    s = s.toLowerCase(java.util.Locale.ROOT);
    return s.equals("0".repeat(32)) ? null : s;
  }

  @Test
  void every_form_and_near_miss_normalises_as_the_general_rule_says() {
    java.util.Random random = new java.util.Random(5);
    String alphabet = "0123456789abcdefABCDEFxyz- ;=";
    java.util.List<String> ids = new java.util.ArrayList<>(java.util.List.of("1-00000000-000000000000000000000000",
        "1-5759E988-BD862E3FE1BE46A994272793", " 5759e988bd862e3fe1be46a994272793 ",
        "1-5759e988-bd862e3fe1be46a99427279-", "15759e988-bd862e3fe1be46a994272793"));
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder(random.nextBoolean() ? "1-5759e988-bd862e3fe1be46a994272793"
          : "5759e988bd862e3fe1be46a994272793");
      for (int e = random.nextInt(3); e > 0; e--) {
        b.setCharAt(random.nextInt(b.length()), alphabet.charAt(random.nextInt(alphabet.length())));
      }
      ids.add(b.toString());
    }
    for (String id : ids) {
      assertThat(TraceIds.normalize(id)).as(id).isEqualTo(reference(id));
    }
  }
}
