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
}
