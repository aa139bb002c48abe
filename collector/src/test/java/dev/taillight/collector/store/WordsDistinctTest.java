package dev.taillight.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WordsDistinctTest {

  private static Set<String> split(String document) {
    return document.isEmpty() ? Set.of() : new HashSet<>(Arrays.asList(document.split(" ", -1)));
  }

  private static Set<String> expected(List<String> texts) {
    Set<String> words = new HashSet<>();
    for (String t : texts) {
      words.addAll(Arrays.asList(Words.of(t)));
    }
    return words;
  }

  @Test
  void documentHoldsEachWordOfTheTextsOnceFoldedLikeTheIndex() {
    Words.Distinct d = new Words.Distinct();
    List<String> texts = List.of("ERROR Payment declined: order-1234 (retry 2)", "error PAYMENT ok",
        "Café crème à la française", "Straße ΣΊΣΥΦΟΣ 東京 2026年", "emoji \uD83D\uDE00 x\uD835\uDC00y", "",
        "   ", "a", "A a á Á");
    for (String t : texts) {
      d.add(t);
    }
    String doc = d.document();
    assertThat(doc).doesNotStartWith(" ").doesNotEndWith(" ").doesNotContain("  ");
    assertThat(doc.split(" ")).doesNotHaveDuplicates();
    assertThat(split(doc)).isEqualTo(expected(texts)).contains("error", "payment", "order", "1234", "cafe", "a");
    assertThat(d.size()).isEqualTo(expected(texts).size());
  }

  @Test
  void manyWordsAndReuseGiveTheSameSetsAsSplittingOneByOne() {
    Random random = new Random(42);
    String alphabet = "abcXYZ019 .,-_:éÉßΣσ東\uD83D\uDE00\uD835\uDC00\t\n";
    Words.Distinct d = new Words.Distinct();
    for (int round = 0; round < 50; round++) {
      d.clear();
      List<String> texts = new java.util.ArrayList<>();
      int lines = 1 + random.nextInt(400);
      for (int i = 0; i < lines; i++) {
        StringBuilder b = new StringBuilder();
        int len = random.nextInt(80);
        for (int j = 0; j < len; j++) {
          int k = random.nextInt(alphabet.length());
          char c = alphabet.charAt(k);
          b.append(c);
          if (Character.isHighSurrogate(c) && k + 1 < alphabet.length()) {
            b.append(alphabet.charAt(k + 1));
          }
        }
        b.append(" w").append(random.nextInt(3000)); // enough distinct words to grow the table
        texts.add(b.toString());
        d.add(b.toString());
      }
      assertThat(split(d.document())).as("round %d", round).isEqualTo(expected(texts));
      assertThat(d.document().split(" ")).doesNotHaveDuplicates();
    }
    d.clear();
    assertThat(d.document()).isEmpty();
  }
}
