package dev.taillight.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.store.BlockCodec.Row;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockCodecTest {

  @Test
  void decodesExactlyTheRowsItEncodedWhateverTheText() {
    String[] texts = {"plain ascii", "", "Café RÉSUMÉ naïve", "Straße 東京 \uD83D\uDE00", "x".repeat(300),
        "tab\tand\nnewline", "\u0000nul", "é".repeat(200) + "ascii tail"};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < texts.length * 3; i++) {
      String t = texts[i % texts.length];
      String text = i % 3 == 0 ? t : i % 3 == 1 ? "other " + t : t; // text differs from message in some lines
      rows.add(new Row(1_000L + i / 2, 1_900L + i, "eid-" + i + t, i % 4, i % 2 == 0 ? null : "WARN ü",
          i % 5 == 0 ? null : "req-" + (i / 4) + t, t, text));
    }
    BlockCodec codec = new BlockCodec();
    BlockCodec.Encoded e = codec.encode(rows);
    assertThat(codec.decode(e.data(), e.more())).isEqualTo(rows);
    // part one alone: what text search needs
    List<Row> searchable = codec.decode(e.data(), null);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(searchable.get(i).ts()).isEqualTo(rows.get(i).ts());
      assertThat(searchable.get(i).requestId()).isEqualTo(rows.get(i).requestId());
      if (rows.get(i).searchable()) {
        assertThat(searchable.get(i).message()).isEqualTo(rows.get(i).message());
      }
    }
  }
}
