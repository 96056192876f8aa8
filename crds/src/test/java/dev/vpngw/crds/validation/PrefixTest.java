package dev.vpngw.crds.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrefixTest {
  @ParameterizedTest
  @ValueSource(strings = {"198.18.0.0/16", "169.254.21.2/32", "0.0.0.0/0", "203.0.113.128/25", "2001:db8::/32"})
  void networkPrefixesParse(String text) {
    assertThat(Prefix.parse(text)).isInstanceOf(Prefix.Ok.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"198.18.0.1/16", "203.0.113.129/24", "198.18.0.0", "not-a-prefix", "198.18.0.0/33"})
  void hostBitsMissingLengthAndGarbageAreRefused(String text) {
    assertThat(Prefix.parse(text)).isInstanceOf(Prefix.Bad.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"198.18.0.1/16"})
  void hostBitsMessageNamesTheNetwork(String text) {
    assertThat(((Prefix.Bad) Prefix.parse(text)).problem()).contains("198.18.0.0/16");
  }
}
