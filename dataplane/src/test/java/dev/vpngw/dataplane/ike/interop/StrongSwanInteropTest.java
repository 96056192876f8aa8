package dev.vpngw.dataplane.ike.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.esp.EspSaParams;
import dev.vpngw.dataplane.esp.EspTransform;
import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.IkeSaStatus;
import dev.vpngw.dataplane.ike.proposal.AzureIpsecPolicy;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.StrongSwanPeer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** vpngw's IKEv2 against an unmodified strongSwan 5.9.8 in a network namespace. */
@RequiresHost(binaries = {"charon-systemd", "swanctl"})
class StrongSwanInteropTest {

  @Test
  void vpngwInitiatesAzureDefaultsAndPeerPicksGcm256() throws Exception {
    try (InteropFixture f = new InteropFixture(Map.of())) {
      f.peer.load(f.swanctl("aes256-sha256-modp2048", "aes256gcm16", "", "", InteropFixture.PSK));
      f.daemon.addConnection(f.connection());
      f.daemon.initiate("vpngw");
      IkeSaStatus s = awaitEstablished(f);
      List<StrongSwanPeer.Sa> sas = f.peer.listSas();
      assertThat(sas).as(f.diagnostics()).hasSize(1);
      StrongSwanPeer.Sa sa = sas.getFirst();
      assertThat(sa.get("state")).isEqualTo("ESTABLISHED");
      assertThat(sa.get("initiator-spi")).isEqualTo(s.initiatorSpiHex());
      assertThat(sa.get("responder-spi")).isEqualTo(s.responderSpiHex());
      assertThat(sa.get("encr-alg")).isEqualTo("AES_CBC");
      assertThat(sa.get("encr-keysize")).isEqualTo("256");
      assertThat(sa.get("dh-group")).isEqualTo("MODP_2048");
      assertThat(sa.get("nat-remote")).as("strongSwan sees our fake NAT-D and encapsulates").isEqualTo("yes");
      StrongSwanPeer.Child c = sa.children().getFirst();
      assertThat(c.get("state")).isEqualTo("INSTALLED");
      assertThat(c.get("encr-alg")).isEqualTo("AES_GCM_16");
      assertThat(c.get("encap")).isEqualTo("yes");
      var ours = s.children().getFirst();
      assertThat(c.get("spi-in")).isEqualTo(ours.outboundSpiHex());
      assertThat(c.get("spi-out")).isEqualTo(ours.inboundSpiHex());
      var in = f.saManager.get(EspSaParams.Direction.INBOUND, ours.inboundSpi()).orElseThrow();
      assertThat(in.transform()).isEqualTo(EspTransform.AES_GCM_16_256);
      assertThat(in.local().getPort()).isEqualTo(4500);
      assertThat(f.saManager.activeOutbound("vpngw")).contains(ours.outboundSpi());
    }
  }

  @Test
  void strongSwanInitiatesAndVpngwResponds() throws Exception {
    try (InteropFixture f = new InteropFixture(Map.of())) {
      f.peer.load(f.swanctl("aes256-sha256-modp2048", "aes256gcm16", "", "", InteropFixture.PSK));
      f.daemon.addConnection(f.connection());
      var r = f.peer.initiate("net", "vpngw");
      assertThat(r.exitCode()).as(r.output() + f.diagnostics()).isZero();
      IkeSaStatus s = awaitEstablished(f);
      assertThat(s.initiator()).isFalse();
      StrongSwanPeer.Sa sa = f.peer.listSas().getFirst();
      assertThat(sa.get("state")).isEqualTo("ESTABLISHED");
      assertThat(sa.get("initiator")).isEqualTo("yes");
      assertThat(sa.get("initiator-spi")).isEqualTo(s.initiatorSpiHex());
      assertThat(sa.get("responder-spi")).isEqualTo(s.responderSpiHex());
      StrongSwanPeer.Child c = sa.children().getFirst();
      assertThat(c.get("state")).isEqualTo("INSTALLED");
      assertThat(c.get("encr-alg")).isEqualTo("AES_GCM_16");
      var ours = s.children().getFirst();
      assertThat(c.get("spi-in")).isEqualTo(ours.outboundSpiHex());
      assertThat(c.get("spi-out")).isEqualTo(ours.inboundSpiHex());
      assertThat(f.saManager.activeOutbound("vpngw")).contains(ours.outboundSpi());
    }
  }

  @Test
  void customPolicyAesCbc256Sha256Modp2048() throws Exception {
    try (InteropFixture f = new InteropFixture(Map.of())) {
      f.peer.load(f.swanctl("aes256-sha256-modp2048", "aes256-sha256-modp2048", "", "", InteropFixture.PSK));
      var policy = new AzureIpsecPolicy(3600, 102400000, "AES256", "SHA256", "AES256", "SHA256", "DHGroup14", "PFS2048");
      f.daemon.addConnection(f.connection().withPolicies(policy.toIkePolicy(), policy.toChildPolicy()));
      f.daemon.initiate("vpngw");
      IkeSaStatus s = awaitEstablished(f);
      assertThat(s.algorithms()).isEqualTo("aes256-sha256-prfsha256-modp2048");
      StrongSwanPeer.Sa sa = f.peer.listSas().getFirst();
      assertThat(sa.get("integ-alg")).isEqualTo("HMAC_SHA2_256_128");
      assertThat(sa.get("prf-alg")).isEqualTo("PRF_HMAC_SHA2_256");
      StrongSwanPeer.Child c = sa.children().getFirst();
      assertThat(c.get("encr-alg")).isEqualTo("AES_CBC");
      assertThat(c.get("encr-keysize")).isEqualTo("256");
      assertThat(c.get("integ-alg")).isEqualTo("HMAC_SHA2_256_128");
      var in = f.saManager.get(EspSaParams.Direction.INBOUND, s.children().getFirst().inboundSpi()).orElseThrow();
      assertThat(in.transform()).isEqualTo(EspTransform.AES_CBC_256_HMAC_SHA256_128);
      assertThat(in.integKey()).hasSize(32);
      // PFS applies from the first CREATE_CHILD_SA: rekey and check the new child used MODP_2048.
      int oldIn = s.children().getFirst().inboundSpi();
      f.daemon.rekeyChild("vpngw", oldIn);
      awaitChildReplaced(f, oldIn);
      StrongSwanPeer.Child rekeyed = installed(f);
      assertThat(rekeyed.get("dh-group")).as(f.diagnostics()).isEqualTo("MODP_2048");
      assertThat(rekeyed.get("spi-out")).isEqualTo(f.status().children().getFirst().inboundSpiHex());
    }
  }

  @Test
  void ecp256WithPfsAndGcm() throws Exception {
    try (InteropFixture f = new InteropFixture(Map.of())) {
      f.peer.load(f.swanctl("aes256gcm16-prfsha256-ecp256", "aes256gcm16-ecp256", "", "", InteropFixture.PSK));
      var policy = new AzureIpsecPolicy(3600, 102400000, "GCMAES256", "GCMAES256", "GCMAES256", "SHA256", "ECP256", "ECP256");
      f.daemon.addConnection(f.connection().withPolicies(policy.toIkePolicy(), policy.toChildPolicy()));
      var r = f.peer.initiate("net", "vpngw");
      assertThat(r.exitCode()).as(r.output() + f.diagnostics()).isZero();
      IkeSaStatus s = awaitEstablished(f);
      assertThat(s.algorithms()).isEqualTo("aes256gcm16-prfsha256-ecp256");
      StrongSwanPeer.Sa sa = f.peer.listSas().getFirst();
      assertThat(sa.get("dh-group")).isEqualTo("ECP_256");
      assertThat(sa.get("encr-alg")).isEqualTo("AES_GCM_16");
      // strongSwan rekeys the child: its CREATE_CHILD_SA carries an ECP-256 KE we must answer.
      int oldIn = s.children().getFirst().inboundSpi();
      var rk = f.peer.rekeyChild("net");
      assertThat(rk.exitCode()).as(rk.output()).isZero();
      awaitChildReplaced(f, oldIn);
      StrongSwanPeer.Child c = installed(f);
      assertThat(c.get("dh-group")).as(f.diagnostics()).isEqualTo("ECP_256");
      assertThat(c.get("spi-in")).isEqualTo(f.status().children().getFirst().outboundSpiHex());
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} / {1}")
  @org.junit.jupiter.params.provider.CsvSource({
      "3des-sha1-modp1024, 3des-sha1, 3DES_CBC, HMAC_SHA1_96, MODP_1024",
      "aes128gcm16-prfsha256-ecp384, aes128-sha1, AES_GCM_16, , ECP_384",
      "aes192-sha384-modp2048s256, aes256-sha256, AES_CBC, HMAC_SHA2_384_192, MODP_2048_256"})
  void otherAlgorithmsInterop(String ike, String esp, String encr, String integ, String dh) throws Exception {
    try (InteropFixture f = new InteropFixture(Map.of())) {
      f.peer.load(f.swanctl(ike, esp, "", "", InteropFixture.PSK));
      // Accept anything from a broad local list: Azure defaults plus the modern suites.
      var wide = new java.util.ArrayList<>(dev.vpngw.dataplane.ike.proposal.AzureDefaults.ikePolicy().proposals());
      var all = List.of(dev.vpngw.dataplane.ike.crypto.DhGroup.MODP_1024, dev.vpngw.dataplane.ike.crypto.DhGroup.MODP_2048,
          dev.vpngw.dataplane.ike.crypto.DhGroup.MODP_2048_256, dev.vpngw.dataplane.ike.crypto.DhGroup.ECP_384);
      wide.add(new dev.vpngw.dataplane.ike.proposal.IkeProposal(dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm.AES_GCM_16,
          128, dev.vpngw.dataplane.ike.crypto.IntegrityAlgorithm.NONE, dev.vpngw.dataplane.ike.crypto.PrfAlgorithm.HMAC_SHA2_256, all));
      wide.add(new dev.vpngw.dataplane.ike.proposal.IkeProposal(dev.vpngw.dataplane.ike.crypto.EncryptionAlgorithm.AES_CBC,
          192, dev.vpngw.dataplane.ike.crypto.IntegrityAlgorithm.HMAC_SHA2_384_192,
          dev.vpngw.dataplane.ike.crypto.PrfAlgorithm.HMAC_SHA2_384, all));
      var conn = f.connection().withPolicies(new dev.vpngw.dataplane.ike.proposal.IkePolicy(wide, java.time.Duration.ofHours(8)),
          dev.vpngw.dataplane.ike.proposal.AzureDefaults.childPolicy());
      f.daemon.addConnection(conn);
      var r = f.peer.initiate("net", "vpngw");
      assertThat(r.exitCode()).as(r.output() + f.diagnostics()).isZero();
      IkeSaStatus s = awaitEstablished(f);
      StrongSwanPeer.Sa sa = f.peer.listSas().getFirst();
      assertThat(sa.get("encr-alg")).isEqualTo(encr);
      assertThat(sa.get("integ-alg")).isEqualTo(integ);
      assertThat(sa.get("dh-group")).isEqualTo(dh);
      assertThat(sa.get("responder-spi")).isEqualTo(s.responderSpiHex());
      assertThat(sa.children().getFirst().get("spi-out")).isEqualTo(s.children().getFirst().inboundSpiHex());
    }
  }

  @Test
  void ikeFragmentationRfc7383BothWays() throws Exception {
    // strongSwan fragments everything above 300-byte datagrams; we fragment above 200-byte messages.
    try (InteropFixture f = new InteropFixture(Map.of("fragment_size", "300"), 200)) {
      f.peer.load(f.swanctl("aes256-sha256-modp2048", "aes256gcm16", "fragmentation = yes", "", InteropFixture.PSK));
      f.daemon.addConnection(f.connection());
      var r = f.peer.initiate("net", "vpngw");
      assertThat(r.exitCode()).as(r.output() + f.diagnostics()).isZero();
      awaitEstablished(f);
      assertThat(f.peer.log()).contains("received fragment #2").contains("fragment #2 of");
      // And a rekey over the fragmenting SA.
      int oldIn = f.status().children().getFirst().inboundSpi();
      f.daemon.rekeyChild("vpngw", oldIn);
      awaitChildReplaced(f, oldIn);
    }
  }

  @Test
  void policyBasedSelectorsNarrowTheRouteBasedProposal() throws Exception {
    try (InteropFixture f = new InteropFixture(Map.of())) {
      f.peer.load(f.swanctl("aes256-sha256-modp2048", "aes256gcm16", "", "", InteropFixture.PSK));
      var ours = List.of(dev.vpngw.dataplane.ike.message.TrafficSelector.fromCidr("198.18.20.0/24"));
      var theirs = List.of(dev.vpngw.dataplane.ike.message.TrafficSelector.fromCidr("198.18.10.0/24"),
          dev.vpngw.dataplane.ike.message.TrafficSelector.fromCidr("198.18.11.0/24"));
      f.daemon.addConnection(f.connection().withTrafficSelectors(ours, theirs));
      // libipsec routes each narrowed policy from a local source address inside its local selector.
      f.net.exec(f.peerNs, "ip", "addr", "add", "198.18.10.1/32", "dev", "lo");
      f.net.exec(f.peerNs, "ip", "addr", "add", "198.18.11.1/32", "dev", "lo");
      var r = f.peer.initiate("net", "vpngw");
      assertThat(r.exitCode()).as(r.output() + f.diagnostics()).isZero();
      awaitEstablished(f);
      StrongSwanPeer.Child c = installed(f);
      assertThat(c.fields().get("local-ts")).isEqualTo(List.of("198.18.10.0/24", "198.18.11.0/24"));
      assertThat(c.fields().get("remote-ts")).isEqualTo(List.of("198.18.20.0/24"));
      assertThat(f.status().children().getFirst().localTs()).containsExactly("198.18.20.0..198.18.20.255");
    }
  }

  @Test
  void peerDeletesAndWeDeleteCleanly() throws Exception {
    try (InteropFixture f = new InteropFixture(Map.of())) {
      f.peer.load(f.swanctl("aes256-sha256-modp2048", "aes256gcm16", "", "", InteropFixture.PSK));
      f.daemon.addConnection(f.connection());
      f.daemon.initiate("vpngw");
      awaitEstablished(f);
      var t = f.peer.terminateIke("vpngw");
      assertThat(t.exitCode()).as(t.output()).isZero();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(f.status().state()).isEqualTo(IkeSaState.DESTROYED);
        assertThat(f.status().lastError()).isEqualTo("deleted by peer");
        assertThat(f.saManager.installed()).isEmpty();
      });
      // Up again, and this time we delete: strongSwan must drop its SAs.
      f.daemon.initiate("vpngw");
      awaitEstablished(f);
      assertThat(f.peer.listSas()).hasSize(1);
      f.daemon.terminate("vpngw");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(f.peer.listSas()).isEmpty();
        assertThat(f.status().state()).isEqualTo(IkeSaState.DESTROYED);
        assertThat(f.saManager.installed()).isEmpty();
      });
    }
  }

  @Test
  void wrongPskIsAuthenticationFailedAsInitiator() throws Exception {
    try (InteropFixture f = new InteropFixture(Map.of())) {
      f.peer.load(f.swanctl("aes256-sha256-modp2048", "aes256gcm16", "", "", "some-other-secret"));
      f.daemon.addConnection(f.connection());
      f.daemon.initiate("vpngw");
      awaitFailure(f, "AUTHENTICATION_FAILED");
      assertThat(f.peer.log()).contains("N(AUTH_FAILED)");
      assertThat(f.saManager.installed()).isEmpty();
    }
  }

  @Test
  void wrongPskIsAuthenticationFailedAsResponder() throws Exception {
    try (InteropFixture f = new InteropFixture(Map.of())) {
      f.peer.load(f.swanctl("aes256-sha256-modp2048", "aes256gcm16", "", "", "some-other-secret"));
      f.daemon.addConnection(f.connection());
      f.peer.initiate("net", "vpngw");
      awaitFailure(f, "AUTHENTICATION_FAILED");
      assertThat(f.peer.log()).contains("received AUTHENTICATION_FAILED notify error");
      assertThat(f.saManager.installed()).isEmpty();
    }
  }

  @Test
  void noCommonProposalIsNoProposalChosen() throws Exception {
    try (InteropFixture f = new InteropFixture(Map.of())) {
      f.peer.load(f.swanctl("aes128gcm16-prfsha512-ecp384", "aes256gcm16", "", "", InteropFixture.PSK));
      var policy = new AzureIpsecPolicy(3600, 102400000, "AES256", "SHA256", "AES256", "SHA256", "DHGroup14", "None");
      f.daemon.addConnection(f.connection().withPolicies(policy.toIkePolicy(), policy.toChildPolicy()));
      f.daemon.initiate("vpngw");
      awaitFailure(f, "NO_PROPOSAL_CHOSEN");
      assertThat(f.peer.log()).contains("N(NO_PROP)");
      // And the other way round: strongSwan initiating gets our NO_PROPOSAL_CHOSEN.
      var r = f.peer.initiate("net", "vpngw");
      assertThat(r.exitCode()).isNotZero();
      assertThat(f.peer.log()).contains("received NO_PROPOSAL_CHOSEN notify error");
    }
  }

  static void awaitFailure(InteropFixture f, String notify) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
        assertThat(f.status()).as(f.diagnostics()).isNotNull()
            .satisfies(s -> assertThat(s.state()).isIn(IkeSaState.FAILED, IkeSaState.DESTROYED))
            .satisfies(s -> assertThat(s.lastErrorNotify()).isEqualTo(notify)));
  }

  static void awaitChildReplaced(InteropFixture f, int oldInbound) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
      IkeSaStatus s = f.status();
      assertThat(s.children()).as(f.diagnostics()).hasSize(1);
      assertThat(s.children().getFirst().inboundSpi()).isNotEqualTo(oldInbound);
      assertThat(f.saManager.get(EspSaParams.Direction.INBOUND, oldInbound)).isEmpty();
      List<StrongSwanPeer.Sa> sas = f.peer.listSas();
      assertThat(sas).hasSize(1);
      var live = sas.getFirst().children().stream().filter(c -> !"DELETED".equals(c.get("state"))).toList();
      assertThat(live).hasSize(1);
      assertThat(live.getFirst().get("state")).isEqualTo("INSTALLED");
    });
  }

  static StrongSwanPeer.Child installed(InteropFixture f) {
    return f.peer.listSas().getFirst().children().stream().filter(c -> "INSTALLED".equals(c.get("state")))
        .findFirst().orElseThrow();
  }

  static IkeSaStatus awaitEstablished(InteropFixture f) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
        assertThat(f.status()).as(f.diagnostics()).isNotNull()
            .satisfies(s -> assertThat(s.state()).isEqualTo(IkeSaState.ESTABLISHED))
            .satisfies(s -> assertThat(s.children()).hasSize(1)));
    return f.status();
  }
}
