package dev.vpngw.dataplane.ike.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.ike.IkeConnection;
import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.IkeSaStatus;
import dev.vpngw.dataplane.ike.proposal.AzureDefaults;
import dev.vpngw.dataplane.ike.proposal.ChildPolicy;
import dev.vpngw.dataplane.ike.proposal.IkePolicy;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.StrongSwanPeer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rekeys and dead peer detection against a real strongSwan, with lifetimes of seconds. */
@RequiresHost(binaries = {"charon-systemd", "swanctl"})
class StrongSwanRekeyDpdTest {
  private static final String SHORT_IKE = "rekey_time = 4s\n over_time = 4s\n rand_time = 1s";
  private static final String SHORT_CHILD = "rekey_time = 3s\n life_time = 8s\n rand_time = 1s";

  private static IkeConnection withLifetimes(IkeConnection c, Duration ike, Duration child) {
    IkePolicy ip = new IkePolicy(c.ikePolicy().proposals(), ike);
    ChildPolicy cp = AzureDefaults.childPolicy().withLifetime(child);
    return c.withPolicies(ip, cp);
  }

  @Test
  void strongSwanRekeysChildAndIkeSa() throws Exception {
    try (InteropFixture f = new InteropFixture(Map.of())) {
      f.peer.load(f.swanctl("aes256-sha256-modp2048", "aes256gcm16", SHORT_IKE, SHORT_CHILD, InteropFixture.PSK));
      f.daemon.addConnection(withLifetimes(f.connection(), Duration.ofHours(1), Duration.ofHours(1)));
      f.daemon.initiate("vpngw");
      StrongSwanInteropTest.awaitEstablished(f);
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        IkeSaStatus s = f.status();
        assertThat(s.ikeRekeys()).as(f.diagnostics()).isGreaterThanOrEqualTo(1);
        assertThat(s.childRekeys()).isGreaterThanOrEqualTo(2);
      });
      assertConsistent(f);
    }
  }

  @Test
  void vpngwRekeysChildAndIkeSa() throws Exception {
    try (InteropFixture f = new InteropFixture(Map.of())) {
      f.peer.load(f.swanctl("aes256-sha256-modp2048", "aes256gcm16", "rekey_time = 1h", "rekey_time = 1h", InteropFixture.PSK));
      f.daemon.addConnection(withLifetimes(f.connection(), Duration.ofSeconds(5), Duration.ofSeconds(3)));
      f.daemon.initiate("vpngw");
      StrongSwanInteropTest.awaitEstablished(f);
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        IkeSaStatus s = f.status();
        assertThat(s.ikeRekeys()).as(f.diagnostics()).isGreaterThanOrEqualTo(2);
        assertThat(s.childRekeys()).isGreaterThanOrEqualTo(3);
      });
      assertConsistent(f);
    }
  }

  @Test
  void bothSidesRekeyWithShortLifetimes() throws Exception {
    try (InteropFixture f = new InteropFixture(Map.of())) {
      f.peer.load(f.swanctl("aes256-sha256-modp2048", "aes256gcm16", SHORT_IKE, SHORT_CHILD, InteropFixture.PSK));
      f.daemon.addConnection(withLifetimes(f.connection(), Duration.ofSeconds(5), Duration.ofSeconds(3)));
      var r = f.peer.initiate("net", "vpngw");
      assertThat(r.exitCode()).as(r.output()).isZero();
      StrongSwanInteropTest.awaitEstablished(f);
      await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        IkeSaStatus s = f.status();
        assertThat(s.ikeRekeys()).as(f.diagnostics()).isGreaterThanOrEqualTo(2);
        assertThat(s.childRekeys()).isGreaterThanOrEqualTo(4);
      });
      assertConsistent(f);
    }
  }

  @Test
  void dpdDetectsKilledPeer() throws Exception {
    try (InteropFixture f = new InteropFixture(Map.of())) {
      f.peer.load(f.swanctl("aes256-sha256-modp2048", "aes256gcm16", "", "", InteropFixture.PSK));
      f.daemon.addConnection(f.connection().withTimers(InteropFixture.fastTimers(), Duration.ofSeconds(3)));
      f.daemon.initiate("vpngw");
      StrongSwanInteropTest.awaitEstablished(f);
      // Alive peer: DPD probes are answered and the SA stays up past the timeout.
      Thread.sleep(3500);
      assertThat(f.status().state()).as(f.diagnostics()).isEqualTo(IkeSaState.ESTABLISHED);
      assertThat(f.peer.log()).contains("INFORMATIONAL request");
      f.peer.kill();
      await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        IkeSaStatus s = f.status();
        assertThat(s.state()).as(f.diagnostics()).isEqualTo(IkeSaState.DESTROYED);
        assertThat(s.lastError()).contains("DPD");
      });
      assertThat(f.saManager.installed()).isEmpty();
    }
  }

  /** One IKE SA and one child on each side, the same SPIs, nothing stale in our data plane. */
  static void assertConsistent(InteropFixture f) {
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      IkeSaStatus s = f.status();
      assertThat(s.state()).as(f.diagnostics()).isEqualTo(IkeSaState.ESTABLISHED);
      List<StrongSwanPeer.Sa> sas = f.peer.listSas();
      assertThat(sas).as(f.diagnostics()).hasSize(1);
      StrongSwanPeer.Sa sa = sas.getFirst();
      assertThat(sa.get("state")).isEqualTo("ESTABLISHED");
      assertThat(sa.get("initiator-spi")).isEqualTo(s.initiatorSpiHex());
      assertThat(sa.get("responder-spi")).isEqualTo(s.responderSpiHex());
      // strongSwan lists rekeyed children as DELETED for a few seconds (delete_rekeyed_delay).
      var live = sa.children().stream().filter(c -> !"DELETED".equals(c.get("state"))).toList();
      assertThat(live).hasSize(1);
      assertThat(s.children()).hasSize(1);
      var c = live.getFirst();
      assertThat(c.get("state")).isEqualTo("INSTALLED");
      assertThat(c.get("spi-in")).isEqualTo(s.children().getFirst().outboundSpiHex());
      assertThat(c.get("spi-out")).isEqualTo(s.children().getFirst().inboundSpiHex());
      assertThat(f.saManager.installed()).hasSize(2);
      assertThat(f.saManager.activeOutbound("vpngw")).contains(s.children().getFirst().outboundSpi());
    });
  }
}
