package dev.vpngw.dataplane.ike.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.esp.EspSaParams;
import dev.vpngw.dataplane.esp.EspTransform;
import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.IkeSaStatus;
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

  static IkeSaStatus awaitEstablished(InteropFixture f) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
        assertThat(f.status()).as(f.diagnostics()).isNotNull()
            .satisfies(s -> assertThat(s.state()).isEqualTo(IkeSaState.ESTABLISHED))
            .satisfies(s -> assertThat(s.children()).hasSize(1)));
    return f.status();
  }
}
