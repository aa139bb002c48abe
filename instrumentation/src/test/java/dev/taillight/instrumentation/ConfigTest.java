package dev.taillight.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfigTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void captureErr() {
    Problems.err = new PrintStream(err, true);
    Problems.resetForTests();
  }

  @AfterEach
  void restore() {
    Problems.err = null;
  }

  @Test
  void defaults_without_any_variable() {
    Config c = Config.from(Map.<String, String>of()::get);
    assertThat(c.disabled()).isFalse();
    assertThat(c.stdout()).isTrue();
    assertThat(c.otlp()).isFalse();
    assertThat(c.otlpEndpoint()).isEqualTo("http://localhost:4318/v1/traces");
    assertThat(c.timeoutMarginMs()).isEqualTo(500);
    assertThat(c.proactiveInitGapMs()).isEqualTo(10_000);
    assertThat(c.priceGbSecond("arm64")).isEqualTo(Config.PRICE_GB_SECOND_ARM);
    assertThat(c.priceGbSecond("x86_64")).isEqualTo(Config.PRICE_GB_SECOND_X86);
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void bad_values_fall_back_to_the_default_with_one_line_naming_the_variable() {
    Config c = Config.from(Map.of("TAILLIGHT_TIMEOUT_MARGIN_MS", "half a second",
        "TAILLIGHT_PRICE_GB_SECOND", "-3", "TAILLIGHT_DISABLED", "maybe", "TAILLIGHT_EXPORTER", "kafka")::get);
    assertThat(c.timeoutMarginMs()).isEqualTo(500);
    assertThat(c.priceGbSecond("x86_64")).isEqualTo(Config.PRICE_GB_SECOND_X86);
    assertThat(c.disabled()).isFalse();
    assertThat(c.stdout()).isTrue();
    assertThat(err.toString().lines())
        .contains("taillight: TAILLIGHT_TIMEOUT_MARGIN_MS=half a second is not a whole number >= 0; using 500")
        .contains("taillight: TAILLIGHT_PRICE_GB_SECOND=-3 is not a number >= 0; using the list price")
        .contains("taillight: TAILLIGHT_DISABLED=maybe is not true/false; using false")
        .contains("taillight: TAILLIGHT_EXPORTER=kafka is not one of stdout, otlp, stdout,otlp, none; writing to stdout");
  }

  @Test
  void otlp_endpoint_precedence() {
    assertThat(Config.from(Map.of("TAILLIGHT_OTLP_ENDPOINT", "http://a:1/x",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://b:2/y")::get).otlpEndpoint()).isEqualTo("http://a:1/x");
    assertThat(Config.from(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://b:2/y",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:3")::get).otlpEndpoint()).isEqualTo("http://b:2/y");
    assertThat(Config.from(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:3/")::get).otlpEndpoint())
        .isEqualTo("http://c:3/v1/traces");
    Config none = Config.from(Map.of("TAILLIGHT_EXPORTER", "none")::get);
    assertThat(none.stdout()).isFalse();
    assertThat(none.otlp()).isFalse();
  }
}
