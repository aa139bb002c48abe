package dev.taillight.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taillight.collector.store.FilterPattern.Role;
import dev.taillight.collector.store.FilterPattern.WrittenTerm;
import org.junit.jupiter.api.Test;

class FilterPatternTermsTest {

  @Test
  void words_phrases_and_signs_are_split_as_written() {
    assertThat(FilterPattern.terms("  ERROR \"payment declined\" ?WARN -retry -\"dead letter\" Order*  "))
        .containsExactly(
            new WrittenTerm("ERROR", Role.REQUIRED),
            new WrittenTerm("payment declined", Role.REQUIRED),
            new WrittenTerm("WARN", Role.OPTIONAL),
            new WrittenTerm("retry", Role.EXCLUDED),
            new WrittenTerm("dead letter", Role.EXCLUDED),
            new WrittenTerm("Order*", Role.REQUIRED));
  }

  @Test
  void a_sign_standing_alone_is_a_term_of_its_own() {
    assertThat(FilterPattern.terms("a - b ?"))
        .containsExactly(
            new WrittenTerm("a", Role.REQUIRED),
            new WrittenTerm("-", Role.REQUIRED),
            new WrittenTerm("b", Role.REQUIRED),
            new WrittenTerm("?", Role.REQUIRED));
  }

  @Test
  void an_unclosed_quote_is_refused_with_the_pattern_named() {
    assertThatThrownBy(() -> FilterPattern.terms("ERROR \"payment declined"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unclosed quote")
        .hasMessageContaining("ERROR \"payment declined");
  }
}
