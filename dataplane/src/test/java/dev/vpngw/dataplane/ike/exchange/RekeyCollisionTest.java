package dev.vpngw.dataplane.ike.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Simultaneous rekeys (RFC 7296 §2.8.1/§2.8.2) with all four orderings of the lowest nonce, like
 * strongSwan's test_ike_rekey.c::test_collision: both requests are held in flight and released
 * together, so each side receives the other's request while its own is pending.
 *
 * <p>Nonce order per side: its own Ni (request) then its Nr (answer to the peer). Exchange A uses
 * (Ni_A, Nr_B), exchange B uses (Ni_B, Nr_A); the exchange holding the lowest nonce loses.
 */
class RekeyCollisionTest {
  private static final String[] NAMES = {"Ni_A", "Nr_A", "Ni_B", "Nr_B"};

  private static boolean exchangeAWins(int lowest) {
    return !(lowest == 0 || lowest == 3);
  }

  private static void scriptNonces(ExchangePair p, int lowest) {
    int[] first = {0x90, 0x90, 0x90, 0x90};
    first[lowest] = 0x10;
    p.nonA.next(first[0], first[1]);
    p.nonB.next(first[2], first[3]);
  }

  @ParameterizedTest(name = "lowest nonce {0}")
  @ValueSource(ints = {0, 1, 2, 3})
  void childRekeyCollision(int lowest) {
    try (ExchangePair p = new ExchangePair()) {
      p.establish();
      int inA = p.sa().children().getFirst().inboundSpi();
      int inB = p.sb().children().getFirst().inboundSpi();
      scriptNonces(p, lowest);
      p.net.hold();
      p.a.rekeyChild("c", inA);
      p.b.rekeyChild("c", inB);
      await().atMost(Duration.ofSeconds(5)).until(() -> p.net.heldSenders() == 2);
      p.net.release();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(p.sa().childRekeys()).isEqualTo(1);
        assertThat(p.sb().childRekeys()).isEqualTo(1);
      });
      p.awaitConsistent();
      boolean aWins = exchangeAWins(lowest);
      assertThat(p.sa().children().getFirst().initiatedByUs()).as("lowest %s: A's exchange wins=%s", NAMES[lowest], aWins)
          .isEqualTo(aWins);
      assertThat(p.sb().children().getFirst().initiatedByUs()).isEqualTo(!aWins);
      assertThat(p.sa().children().getFirst().inboundSpi()).isNotEqualTo(inA);
    }
  }

  @ParameterizedTest(name = "lowest nonce {0}")
  @ValueSource(ints = {0, 1, 2, 3})
  void ikeRekeyCollision(int lowest) {
    try (ExchangePair p = new ExchangePair()) {
      p.establish();
      long oldSpiI = p.sa().initiatorSpi();
      int childIn = p.sa().children().getFirst().inboundSpi();
      scriptNonces(p, lowest);
      p.net.hold();
      p.a.rekeyIke("c");
      p.b.rekeyIke("c");
      await().atMost(Duration.ofSeconds(5)).until(() -> p.net.heldSenders() == 2);
      p.net.release();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(p.sa().ikeRekeys()).isEqualTo(1);
        assertThat(p.sb().ikeRekeys()).isEqualTo(1);
      });
      p.awaitConsistent();
      boolean aWins = exchangeAWins(lowest);
      assertThat(p.sa().initiator()).as("lowest %s: A's exchange wins=%s", NAMES[lowest], aWins).isEqualTo(aWins);
      assertThat(p.sb().initiator()).isEqualTo(!aWins);
      assertThat(p.sa().initiatorSpi()).isNotEqualTo(oldSpiI);
      assertThat(p.sa().children().getFirst().inboundSpi()).as("the child moved, not rekeyed").isEqualTo(childIn);
      // The surviving SA works: a child rekey over it completes.
      p.a.rekeyChild("c", childIn);
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(p.sa().childRekeys()).isEqualTo(1));
      p.awaitConsistent();
    }
  }

  @org.junit.jupiter.api.RepeatedTest(5)
  void crossingIkeAndChildRekeysAreRefusedWithTemporaryFailureThenRetried() {
    try (ExchangePair p = new ExchangePair()) {
      p.establish();
      int inB = p.sb().children().getFirst().inboundSpi();
      p.net.hold();
      p.b.rekeyChild("c", inB);
      p.a.rekeyIke("c");
      await().atMost(Duration.ofSeconds(5)).until(() -> p.net.heldSenders() == 2);
      p.net.release();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(p.sa().ikeRekeys()).isEqualTo(1);
        assertThat(p.sb().childRekeys()).isEqualTo(1);
      });
      p.awaitConsistent();
      assertThat(p.smA.calls()).as("no SA was lost on the way").noneMatch(c -> c.startsWith("deleteTunnel"));
    }
  }
}
