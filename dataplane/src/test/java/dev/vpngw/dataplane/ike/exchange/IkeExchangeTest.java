package dev.vpngw.dataplane.ike.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.message.ExchangeType;
import dev.vpngw.dataplane.ike.message.IkeHeader;
import dev.vpngw.dataplane.ike.message.TrafficSelector;
import dev.vpngw.dataplane.ike.proposal.AzureIpsecPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** In-process exchanges between two vpngw IKE daemons. */
class IkeExchangeTest {

  @Test
  void establishesWithMatchingKeys() {
    try (ExchangePair p = new ExchangePair()) {
      p.establish();
      assertThat(p.sa().initiator()).isTrue();
      assertThat(p.sb().initiator()).isFalse();
      assertThat(p.sa().algorithms()).isEqualTo("aes256-sha1-prfsha1-modp1024");
      assertThat(p.sa().weakAlgorithms()).contains("DH group 2 (MODP_1024)", "integrity HMAC-SHA1-96");
      // Inbound is installed before outbound, and outbound switched last (make-before-break).
      assertThat(p.smA.calls().getFirst()).startsWith("add INBOUND");
      assertThat(p.smA.calls().get(2)).startsWith("switch");
    }
  }

  @Test
  void survivesLostPackets() {
    try (ExchangePair p = new ExchangePair()) {
      int[] n = {0};
      // Drop the first IKE_SA_INIT response and the first IKE_AUTH request.
      p.net.dropWhen(d -> (d.from().getAddress().equals(ExchangePair.B) || d.to().getPort() == 4500) && n[0]++ < 2);
      p.establish();
    }
  }

  @Test
  void deleteRemovesEverythingOnBothSides() {
    try (ExchangePair p = new ExchangePair()) {
      p.establish();
      p.a.terminate("c");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(p.sa().state()).isEqualTo(IkeSaState.DESTROYED);
        assertThat(p.sb().state()).isEqualTo(IkeSaState.DESTROYED);
        assertThat(p.smA.installed()).isEmpty();
        assertThat(p.smB.installed()).isEmpty();
        assertThat(p.a.ikeSaCount()).isZero();
        assertThat(p.b.ikeSaCount()).isZero();
      });
    }
  }

  @Test
  void childAndIkeRekeyKeepOnePairOfEach() {
    try (ExchangePair p = new ExchangePair()) {
      p.establish();
      int oldIn = p.sa().children().getFirst().inboundSpi();
      long oldSpi = p.sa().initiatorSpi();
      p.a.rekeyChild("c", oldIn);
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(p.sa().childRekeys()).isEqualTo(1));
      p.awaitConsistent();
      assertThat(p.sa().children().getFirst().inboundSpi()).isNotEqualTo(oldIn);
      p.b.rekeyIke("c");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(p.sa().ikeRekeys()).isEqualTo(1));
      p.awaitConsistent();
      assertThat(p.sa().initiatorSpi()).isNotEqualTo(oldSpi);
      assertThat(p.sa().initiator()).as("B initiated the rekey, so it is the new SA's initiator").isFalse();
      // Children survive on the new IKE SA and can be rekeyed there.
      int in2 = p.sb().children().getFirst().inboundSpi();
      p.b.rekeyChild("c", in2);
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(p.sb().childRekeys()).isEqualTo(2));
      p.awaitConsistent();
    }
  }

  @Test
  void softByteLifetimeFromTheDataPlaneTriggersAChildRekey() {
    try (ExchangePair p = new ExchangePair()) {
      p.establish();
      int in = p.sa().children().getFirst().inboundSpi();
      p.smA.listener().softLifetimeReached("c", dev.vpngw.dataplane.esp.EspSaParams.Direction.INBOUND, in);
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(p.sa().childRekeys()).isEqualTo(1));
      p.awaitConsistent();
      assertThat(p.sa().children().getFirst().inboundSpi()).isNotEqualTo(in);
    }
  }

  @Test
  void invalidKeRetryUsesTheRespondersGroup() {
    var ecp = new AzureIpsecPolicy(3600, 0, "GCMAES256", "GCMAES256", "AES256", "SHA256", "ECP256", "None");
    try (ExchangePair p = new ExchangePair(c -> c, c -> c.withPolicies(ecp.toIkePolicy(), ecp.toChildPolicy()), 50)) {
      p.establish();
      assertThat(p.sa().algorithms()).isEqualTo("aes256-sha256-prfsha256-ecp256");
      assertThat(p.sa().children().getFirst().algorithms()).isEqualTo("aes256gcm16");
      // The first request carried a MODP-1024 KE (Azure default order), the accepted one ECP-256.
      var keGroups = p.net.sent().stream().filter(d -> d.to().getAddress().equals(ExchangePair.B))
          .filter(d -> d.data()[18] == ExchangeType.IKE_SA_INIT.value())
          .map(d -> ((dev.vpngw.dataplane.ike.message.DecodeResult.Ok) dev.vpngw.dataplane.ike.message.IkeMessage.decode(d.data(), null, null))
              .message().first(dev.vpngw.dataplane.ike.message.KePayload.class).orElseThrow().dhGroup())
          .distinct().toList();
      assertThat(keGroups).containsExactly(2, 19);
    }
  }

  @Test
  void trafficSelectorsAreNarrowedByThePolicyBasedResponder() {
    var local = List.of(TrafficSelector.fromCidr("198.18.10.0/24"));
    var remote = List.of(TrafficSelector.fromCidr("198.18.20.0/24"));
    try (ExchangePair p = new ExchangePair(c -> c, c -> c.withTrafficSelectors(remote, local), 50)) {
      p.establish();
      // B allows 198.18.20.0/24 (its side) <-> 198.18.10.0/24 (A's side); A proposed 0/0 <-> 0/0.
      assertThat(p.sa().children().getFirst().localTs()).containsExactly("198.18.10.0..198.18.10.255");
      assertThat(p.sa().children().getFirst().remoteTs()).containsExactly("198.18.20.0..198.18.20.255");
      assertThat(p.sb().children().getFirst().localTs()).containsExactly("198.18.20.0..198.18.20.255");
    }
  }

  @Test
  void disjointSelectorsAreTsUnacceptable() {
    var other = List.of(TrafficSelector.fromCidr("203.0.113.0/24"));
    try (ExchangePair p = new ExchangePair(c -> c.withTrafficSelectors(other, other), c -> c.withTrafficSelectors(
        List.of(TrafficSelector.fromCidr("198.51.100.0/24")), List.of(TrafficSelector.fromCidr("192.0.2.0/24"))), 50)) {
      p.a.initiate("c");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(p.sa().lastErrorNotify()).isEqualTo("TS_UNACCEPTABLE");
        assertThat(p.sa().state()).isEqualTo(IkeSaState.DESTROYED);
        assertThat(p.smA.installed()).isEmpty();
        assertThat(p.smB.installed()).isEmpty();
      });
    }
  }

  @Test
  void wrongPskFailsBothSidesWithAuthenticationFailed() {
    try (ExchangePair p = new ExchangePair(c -> c.withPsk("not-the-same".getBytes()), c -> c, 50)) {
      p.a.initiate("c");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(p.sa().state()).isEqualTo(IkeSaState.FAILED);
        assertThat(p.sa().lastErrorNotify()).isEqualTo("AUTHENTICATION_FAILED");
        assertThat(p.sb().lastErrorNotify()).isEqualTo("AUTHENTICATION_FAILED");
        assertThat(p.b.halfOpenCount()).isZero();
      });
    }
  }

  @Test
  void cookieIsRequestedAndReturnedUnderLoad() {
    try (ExchangePair p = new ExchangePair(c -> c, c -> c, 0)) {
      p.establish();
      // One cookie per IKE_SA_INIT that reached B without one (a retransmission may add another).
      assertThat(p.b.cookiesSent()).isBetween(1L, 2L);
    }
  }

  @Test
  void initialContactReplacesAStaleIkeSa() {
    try (ExchangePair p = new ExchangePair()) {
      p.establish();
      long first = p.sb().initiatorSpi();
      // A loses its state (restart) and dials again: B must drop the old SA on INITIAL_CONTACT.
      var restarted = new dev.vpngw.dataplane.ike.IkeDaemon(p.net.endpoint(ExchangePair.A),
          new dev.vpngw.dataplane.testsupport.RecordingSaManager(), dev.vpngw.dataplane.ike.IkeDaemon.Options.defaults());
      restarted.addConnection(ExchangePair.conn(ExchangePair.A, ExchangePair.B));
      restarted.initiate("c");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(p.sb().initiatorSpi()).isNotEqualTo(first);
        assertThat(p.sb().state()).isEqualTo(IkeSaState.ESTABLISHED);
        assertThat(p.b.ikeSaCount()).isEqualTo(1);
        assertThat(p.smB.installed()).hasSize(2);
      });
      restarted.close();
    }
  }

  @Test
  void initiatorOnlyResponderDropsThePeersInit() {
    try (ExchangePair p = new ExchangePair(c -> c, c -> c.withMode(dev.vpngw.dataplane.ike.ConnectionMode.INITIATOR_ONLY), 50)) {
      p.a.initiate("c");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(p.sa().state()).isEqualTo(IkeSaState.FAILED);
        assertThat(p.sa().lastError()).contains("peer not responding");
      });
      assertThat(p.b.ikeSaCount()).isZero();
      // ... but B may dial A.
      p.b.initiate("c");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(p.sb()).isNotNull();
        assertThat(p.sb().state()).isEqualTo(IkeSaState.ESTABLISHED);
      });
    }
  }

  @Test
  void responderOnlyRefusesToDial() {
    try (ExchangePair p = new ExchangePair(c -> c.withMode(dev.vpngw.dataplane.ike.ConnectionMode.RESPONDER_ONLY), c -> c, 50)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.a.initiate("c")).hasMessageContaining("ResponderOnly");
      p.b.initiate("c");
      p.awaitConsistent();
    }
  }

  @Test
  void reconnectsAfterThePeerDeletesTheIkeSa() {
    try (ExchangePair p = new ExchangePair()) {
      var redial = new dev.vpngw.dataplane.ike.IkeDaemon(p.net.endpoint(ExchangePair.A), p.smA,
          dev.vpngw.dataplane.ike.IkeDaemon.Options.defaults().withReconnectDelay(Duration.ofMillis(100)));
      redial.addConnection(ExchangePair.conn(ExchangePair.A, ExchangePair.B));
      redial.initiate("c");
      // B publishes no status before its responder SA is up: null until then, not an error.
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(p.sb()).isNotNull();
        assertThat(p.sb().state()).isEqualTo(IkeSaState.ESTABLISHED);
      });
      long first = p.sb().initiatorSpi();
      p.b.terminate("c");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(redial.status("c").orElseThrow().state()).isEqualTo(IkeSaState.ESTABLISHED);
        assertThat(redial.status("c").orElseThrow().initiatorSpi()).isNotEqualTo(first);
        assertThat(p.sb().state()).isEqualTo(IkeSaState.ESTABLISHED);
      });
      // An operator's terminate is not undone.
      redial.terminate("c");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(redial.ikeSaCount()).isZero());
      Thread.sleep(400);
      assertThat(redial.ikeSaCount()).isZero();
      redial.close();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean isInitRequest(byte[] d) {
    return d.length > 20 && d[18] == ExchangeType.IKE_SA_INIT.value() && (d[19] & IkeHeader.FLAG_RESPONSE) == 0;
  }
}
