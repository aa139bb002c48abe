package dev.taillight.collector.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventFileReaderTest {

  private static long at(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void iso_times_with_zone_offset_fraction_or_none_parse_to_epoch_millis() {
    assertThat(EventFileReader.parseIso("2024-05-20T16:29:44.833Z")).isEqualTo(at("2024-05-20T16:29:44.833Z"));
    assertThat(EventFileReader.parseIso("2024-05-20T18:29:44.833+02:00")).isEqualTo(at("2024-05-20T16:29:44.833Z"));
    assertThat(EventFileReader.parseIso("2024-05-20T11:29:44-0500")).isEqualTo(at("2024-05-20T16:29:44Z"));
    assertThat(EventFileReader.parseIso("2023-06-02T11:27:22.355000")).isEqualTo(at("2023-06-02T11:27:22.355Z"));
    assertThat(EventFileReader.parseIso("2023-06-02T11:27:22.5")).isEqualTo(at("2023-06-02T11:27:22.500Z"));
  }

  @Test
  void things_that_are_not_iso_times_give_null() {
    assertThat(EventFileReader.parseIso("2024-13-01T00:00:00Z")).isNull();
    assertThat(EventFileReader.parseIso("2023-02-30T00:00:00Z")).isNull();
    assertThat(EventFileReader.parseIso("2023/06/02/[72]88ab219a63d343d294d0a9947e8ab36a")).isNull();
    assertThat(EventFileReader.parseIso("2023-06-02T11:27:22.Z")).isNull();
    assertThat(EventFileReader.parseIso("2023-06-02T11:27:22 extra")).isNull();
    assertThat(EventFileReader.parseIso("yesterday")).isNull();
  }
}
