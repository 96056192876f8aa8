package dev.vpngw.dataplane.ike.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The peer reboots: INITIAL_CONTACT replaces our stale SA; after DPD we dial again. */
@RequiresHost(binaries = {"charon-systemd", "swanctl"})
class StrongSwanRestartTest {

  @Test
  void rebootedPeerInitiatingWithInitialContactReplacesTheStaleSa() throws Exception {
    try (InteropFixture f = new InteropFixture(Map.of())) {
      String conf = f.swanctl("aes256-sha256-modp2048", "aes256gcm16", "", "", InteropFixture.PSK);
      f.peer.load(conf);
      f.daemon.addConnection(f.connection());
      f.daemon.initiate("vpngw");
      long stale = StrongSwanInteropTest.awaitEstablished(f).initiatorSpi();
      f.restartPeer(conf, true);
      var r = f.peer.initiate("net", "vpngw");
      assertThat(r.exitCode()).as(r.output() + f.diagnostics()).isZero();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(f.status().state()).as(f.diagnostics()).isEqualTo(IkeSaState.ESTABLISHED);
        assertThat(f.status().initiatorSpi()).isNotEqualTo(stale);
        assertThat(f.daemon.ikeSaCount()).isEqualTo(1);
        assertThat(f.saManager.installed()).hasSize(2);
      });
      var sa = f.peer.listSas().getFirst();
      assertThat(sa.get("responder-spi")).isEqualTo(f.status().responderSpiHex());
    }
  }

  @Test
  void afterDpdDeclaresThePeerDeadWeDialAgainUntilItIsBack() throws Exception {
    try (InteropFixture f = new InteropFixture(Map.of(), -300)) {
      String conf = f.swanctl("aes256-sha256-modp2048", "aes256gcm16", "", "", InteropFixture.PSK);
      f.peer.load(conf);
      f.daemon.addConnection(f.connection().withTimers(InteropFixture.fastTimers(), Duration.ofSeconds(2)));
      f.daemon.initiate("vpngw");
      long first = StrongSwanInteropTest.awaitEstablished(f).initiatorSpi();
      f.peer.kill();
      await().atMost(Duration.ofSeconds(6)).untilAsserted(() -> assertThat(f.saManager.installed()).isEmpty());
      f.restartPeer(conf, false);
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        assertThat(f.status().state()).as(f.diagnostics()).isEqualTo(IkeSaState.ESTABLISHED);
        assertThat(f.status().initiatorSpi()).isNotEqualTo(first);
        assertThat(f.peer.listSas()).hasSize(1);
      });
    }
  }
}
