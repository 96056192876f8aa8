package dev.vpngw.dataplane.ike.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.esp.EspSaParams;
import dev.vpngw.dataplane.ike.ChildSaStatus;
import dev.vpngw.dataplane.ike.IkeConnection.SelectorPair;
import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.IkeSaStatus;
import dev.vpngw.dataplane.ike.message.TrafficSelector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Policy-based connections between two in-process daemons: one child SA per traffic-selector pair
 * (the first in IKE_AUTH, the others by CREATE_CHILD_SA), each rekeyed and re-created on its own,
 * responder narrowing of a wide proposal to the configured pairs, and ESN negotiation.
 */
class PolicyChildrenTest {
  /** A's pairs (local ↔ remote); B has the mirror image. */
  static final List<SelectorPair> PAIRS = List.of(
      pair("198.18.1.0/24", "198.18.2.0/24"),
      pair("198.18.1.0/24", "198.18.3.0/24"),
      pair("198.18.4.0/24", "198.18.2.0/24"));

  static SelectorPair pair(String local, String remote) {
    return new SelectorPair(List.of(TrafficSelector.fromCidr(local)), List.of(TrafficSelector.fromCidr(remote)));
  }

  static List<SelectorPair> mirror(List<SelectorPair> pairs) {
    return pairs.stream().map(p -> new SelectorPair(p.remote(), p.local())).toList();
  }

  static String key(ChildSaStatus c) {
    return c.localTs() + "<->" + c.remoteTs();
  }

  static String key(SelectorPair p) {
    return p.local().stream().map(Object::toString).toList() + "<->" + p.remote().stream().map(Object::toString).toList();
  }

  /** Both sides established with exactly one installed child per pair, SPIs crosswise equal. */
  static Map<String, ChildSaStatus> awaitChildren(ExchangePair p, List<SelectorPair> pairsOfA) {
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
      IkeSaStatus x = p.sa();
      IkeSaStatus y = p.sb();
      assertThat(x).isNotNull();
      assertThat(y).isNotNull();
      assertThat(x.state()).isEqualTo(IkeSaState.ESTABLISHED);
      assertThat(y.state()).isEqualTo(IkeSaState.ESTABLISHED);
      assertThat(x.children()).as("A %s", x.children()).hasSize(pairsOfA.size())
          .allMatch(c -> c.state().equals("INSTALLED"));
      assertThat(y.children()).as("B %s", y.children()).hasSize(pairsOfA.size());
      assertThat(x.children().stream().map(PolicyChildrenTest::key))
          .containsExactlyInAnyOrderElementsOf(pairsOfA.stream().map(PolicyChildrenTest::key).toList());
      for (ChildSaStatus ca : x.children()) {
        ChildSaStatus cb = y.children().stream().filter(c -> c.inboundSpi() == ca.outboundSpi()).findFirst().orElseThrow();
        assertThat(cb.outboundSpi()).isEqualTo(ca.inboundSpi());
        assertThat(cb.localTs()).isEqualTo(ca.remoteTs());
      }
      assertThat(p.smA.installed()).hasSize(2 * pairsOfA.size());
      assertThat(p.smB.installed()).hasSize(2 * pairsOfA.size());
    });
    return p.sa().children().stream().collect(Collectors.toMap(PolicyChildrenTest::key, Function.identity()));
  }

  @Test
  void oneChildPerSelectorPairTheFirstInIkeAuth() {
    try (ExchangePair p = new ExchangePair(c -> c.withChildPairs(PAIRS), c -> c.withChildPairs(mirror(PAIRS)), 50)) {
      p.a.initiate("c");
      Map<String, ChildSaStatus> children = awaitChildren(p, PAIRS);
      assertThat(children).hasSize(3);
      // The ESP SAs carry their pair's selectors (packet path: outbound choice and inbound check).
      for (ChildSaStatus c : children.values()) {
        EspSaParams in = p.smA.get(EspSaParams.Direction.INBOUND, c.inboundSpi()).orElseThrow();
        assertThat(in.selectors().any()).isFalse();
        assertThat(in.esn()).as("no ESN unless asked for").isFalse();
      }
      // Exactly one IKE_AUTH and two CREATE_CHILD_SA requests from A (no duplicate children).
      assertThat(p.a.ikeSaCount()).isEqualTo(1);
      assertThat(p.sa().children().stream().filter(ChildSaStatus::initiatedByUs)).hasSize(3);
    }
  }

  @Test
  void rekeyingOneChildLeavesTheOthersAlone() {
    try (ExchangePair p = new ExchangePair(c -> c.withChildPairs(PAIRS), c -> c.withChildPairs(mirror(PAIRS)), 50)) {
      p.a.initiate("c");
      Map<String, ChildSaStatus> before = awaitChildren(p, PAIRS);
      ChildSaStatus target = before.get(key(PAIRS.get(1)));
      p.b.rekeyChild("c", target.outboundSpi()); // B rekeys it: B's inbound SPI is A's outbound
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        Map<String, ChildSaStatus> now = awaitChildren(p, PAIRS);
        assertThat(now.get(key(PAIRS.get(1))).inboundSpi()).isNotEqualTo(target.inboundSpi());
        assertThat(now.get(key(PAIRS.get(0))).inboundSpi()).isEqualTo(before.get(key(PAIRS.get(0))).inboundSpi());
        assertThat(now.get(key(PAIRS.get(2))).inboundSpi()).isEqualTo(before.get(key(PAIRS.get(2))).inboundSpi());
      });
      assertThat(p.sa().childRekeys()).isEqualTo(1);
    }
  }

  @Test
  void aLostChildIsRecreatedWithoutTouchingTheOthers() {
    try (ExchangePair p = new ExchangePair(c -> c.withChildPairs(PAIRS), c -> c.withChildPairs(mirror(PAIRS)), 50)) {
      p.a.initiate("c");
      Map<String, ChildSaStatus> before = awaitChildren(p, PAIRS);
      ChildSaStatus lost = before.get(key(PAIRS.get(2)));
      p.b.deleteChild("c", lost.outboundSpi());
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        Map<String, ChildSaStatus> now = awaitChildren(p, PAIRS);
        assertThat(now.get(key(PAIRS.get(2))).inboundSpi()).isNotEqualTo(lost.inboundSpi());
        assertThat(now.get(key(PAIRS.get(0))).inboundSpi()).isEqualTo(before.get(key(PAIRS.get(0))).inboundSpi());
        assertThat(now.get(key(PAIRS.get(1))).inboundSpi()).isEqualTo(before.get(key(PAIRS.get(1))).inboundSpi());
      });
      // And after an IKE rekey every child is still there.
      long ikeSpi = p.sa().initiatorSpi();
      p.a.rekeyIke("c");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(p.sa().initiatorSpi()).isNotEqualTo(ikeSpi);
        awaitChildren(p, PAIRS);
      });
    }
  }

  @Test
  void responderNarrowsAWideProposalToOnePairAndCreatesTheOthers() {
    List<TrafficSelector> wide = List.of(TrafficSelector.fromCidr("198.18.0.0/16"));
    List<SelectorPair> bPairs = List.of(pair("198.18.2.0/24", "198.18.1.0/24"), pair("198.18.3.0/24", "198.18.1.0/24"));
    try (ExchangePair p = new ExchangePair(c -> c.withTrafficSelectors(wide, wide), c -> c.withChildPairs(bPairs), 50)) {
      p.a.initiate("c");
      Map<String, ChildSaStatus> children = awaitChildren(p, mirror(bPairs));
      assertThat(children.values().stream().filter(ChildSaStatus::initiatedByUs))
          .as("A's IKE_AUTH child was narrowed to B's first pair; B created the second").hasSize(1);
      assertThat(p.sb().children().stream().map(PolicyChildrenTest::key))
          .containsExactlyInAnyOrderElementsOf(bPairs.stream().map(PolicyChildrenTest::key).toList());
    }
  }

  @Test
  void esnIsTakenWhenTheResponderPrefersItAndShownInStatus() {
    try (ExchangePair p = new ExchangePair(c -> c,
        c -> c.withPolicies(c.ikePolicy(), c.childPolicy().withPreferEsn(true)), 50)) {
      p.establish();
      ChildSaStatus ca = p.sa().children().getFirst();
      assertThat(ca.algorithms()).endsWith("/esn");
      assertThat(p.smA.get(EspSaParams.Direction.OUTBOUND, ca.outboundSpi()).orElseThrow().esn()).isTrue();
      assertThat(p.smB.get(EspSaParams.Direction.INBOUND, ca.outboundSpi()).orElseThrow().esn()).isTrue();
    }
  }

  @Test
  void noEsnByDefaultEvenThoughBothValuesAreOffered() {
    try (ExchangePair p = new ExchangePair()) {
      p.establish();
      ChildSaStatus ca = p.sa().children().getFirst();
      assertThat(ca.algorithms()).doesNotContain("esn");
      assertThat(p.smA.get(EspSaParams.Direction.OUTBOUND, ca.outboundSpi()).orElseThrow().esn()).isFalse();
    }
  }

}
