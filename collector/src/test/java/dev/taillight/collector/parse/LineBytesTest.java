package dev.taillight.collector.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The eight-at-a-time scans of {@link LineBytes} against byte-by-byte references: every position of the mark in and
 * around a word, every byte value, strings ending at, before and past the end of the array, bytes above 0x7F.
 */
class LineBytesTest {

  /** The byte-by-byte meaning of {@link LineBytes#plainStringEnd}. */
  private static int plainStringEndByBytes(byte[] b, int from, int end) {
    for (int i = from; i < end; i++) {
      if (b[i] == '"') {
        return i;
      }
      if (b[i] == '\\') {
        return -1;
      }
    }
    return end;
  }

  /** The byte-by-byte meaning of {@link LineBytes#plainHexId}. */
  private static boolean plainHexIdByBytes(byte[] b, int from, int len) {
    boolean zero = true;
    for (int i = from; i < from + len; i++) {
      int c = b[i] & 0xff;
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
      zero &= c == '0';
    }
    return !zero;
  }

  @Test
  void a_string_ends_at_its_first_quote_or_backslash_wherever_it_falls() {
    for (int len = 0; len < 40; len++) {
      for (int mark = 0; mark < len; mark++) {
        for (byte m : new byte[] {'"', '\\'}) {
          byte[] b = new byte[len];
          java.util.Arrays.fill(b, (byte) 'x');
          b[mark] = m;
          for (int from = 0; from <= len; from++) {
            for (int end = from; end <= len; end++) {
              assertThat(LineBytes.plainStringEnd(b, from, end))
                  .as("len %d mark %c at %d from %d end %d", len, (char) m, mark, from, end)
                  .isEqualTo(plainStringEndByBytes(b, from, end));
            }
          }
        }
      }
    }
  }

  @Test
  void no_byte_value_but_quote_and_backslash_ends_a_string() {
    for (int v = 0; v < 256; v++) {
      for (int at = 0; at < 16; at++) {
        byte[] b = new byte[20];
        java.util.Arrays.fill(b, (byte) 'a');
        b[at] = (byte) v;
        b[18] = '"';
        assertThat(LineBytes.plainStringEnd(b, 0, 20)).as("byte %d at %d", v, at)
            .isEqualTo(plainStringEndByBytes(b, 0, 20));
      }
    }
  }

  @Test
  void strings_of_random_bytes_end_where_a_byte_by_byte_scan_says() {
    Random random = new Random(11);
    byte[] alphabet = {'"', '\\', 'a', '0', ' ', (byte) 0x80, (byte) 0xA2, (byte) 0xDC, (byte) 0xFF, 0x21, 0x23,
        0x5B, 0x5D, 0x01, 0x00};
    for (int round = 0; round < 200_000; round++) {
      byte[] b = new byte[random.nextInt(48)];
      for (int i = 0; i < b.length; i++) {
        // mostly plain letters, so that strings run over several words
        b[i] = random.nextInt(8) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) 'q';
      }
      int from = random.nextInt(b.length + 1);
      int end = from + random.nextInt(b.length - from + 1);
      assertThat(LineBytes.plainStringEnd(b, from, end)).isEqualTo(plainStringEndByBytes(b, from, end));
    }
  }

  @Test
  void only_lower_case_hex_ids_not_all_zero_are_plain() {
    String[] ids = {"4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "0000000000000000",
        "00000000000000000000000000000000", "0000000000000001", "4BF92F3577B34DA6", "4bf92f3577b34dag",
        "4bf92f3577b34da/", "4bf92f3577b34da:", "4bf92f3577b34da`", "`bf92f3577b34da6", "ffffffffffffffff",
        "9999999999999999", "aaaaaaaaaaaaaaaa"};
    for (String id : ids) {
      byte[] b = ("\"" + id + "\"").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      assertThat(LineBytes.plainHexId(b, 1, id.length())).as(id).isEqualTo(plainHexIdByBytes(b, 1, id.length()));
    }
  }

  @Test
  void every_byte_value_in_every_place_of_an_id_is_judged_as_byte_by_byte() {
    for (int v = 0; v < 256; v++) {
      for (int at = 0; at < 16; at++) {
        for (byte fill : new byte[] {'0', '7', 'c'}) {
          byte[] b = new byte[18];
          java.util.Arrays.fill(b, fill);
          b[1 + at] = (byte) v;
          assertThat(LineBytes.plainHexId(b, 1, 16)).as("byte %d at %d in %c", v, at, (char) fill)
              .isEqualTo(plainHexIdByBytes(b, 1, 16));
        }
      }
    }
  }
}
