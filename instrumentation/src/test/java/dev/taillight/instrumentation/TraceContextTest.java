package dev.taillight.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TraceContextTest {
  @Test
  void parses_w3c_traceparent() {
    TraceContext c = TraceContext.fromTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "a=b");
    assertThat(c.traceIdHex()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(TraceContext.hex16(c.spanId())).isEqualTo("00f067aa0ba902b7");
    assertThat(c.sampled()).isTrue();
    assertThat(c.traceparent()).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  }

  @Test
  void accepts_future_versions_with_extra_fields() {
    assertThat(TraceContext.fromTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xyz", null))
        .isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "garbage", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
      "00-4bf92f3577b34da6a3ce929d0e0e473Z-00f067aa0ba902b7-01",
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
      "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01"})
  void rejects_malformed_traceparent(String header) {
    assertThat(TraceContext.fromTraceparent(header, null)).isNull();
  }

  @Test
  void parses_xray_header_in_any_order_with_lineage() {
    TraceContext c = TraceContext.fromXRay("Sampled=1;Lineage=a87bd80c:0,68fd508a:5;Parent=53995c3f42cd8ad8;Root=1-5759e988-bd862e3fe1be46a994272793");
    assertThat(c.traceIdHex()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(TraceContext.hex16(c.spanId())).isEqualTo("53995c3f42cd8ad8");
    assertThat(c.sampled()).isTrue();
    assertThat(c.xrayHeader()).isEqualTo("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Root=", "Root=1-5759e988", "Root=2-5759e988-bd862e3fe1be46a994272793",
      "Root=1-5759e98Z-bd862e3fe1be46a994272793", "Parent=53995c3f42cd8ad8", ";;;==;",
      "Root=1-00000000-000000000000000000000000"})
  void rejects_malformed_xray_header(String header) {
    assertThat(TraceContext.fromXRay(header)).isNull();
  }

  @Test
  void xray_parent_that_is_not_16_hex_is_ignored_but_root_kept() {
    TraceContext c = TraceContext.fromXRay("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=xyz");
    assertThat(c.traceIdHex()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(c.hasSpanId()).isFalse();
  }
}
