package dev.vpngw.dataplane.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.testsupport.BirdPeer;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.StrongSwanPeer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BGP inside real tunnels: one vpngw gateway (ASN 65010) and two sites, each a strongSwan
 * (libipsec) plus a BIRD (ASN 65020 and 65030) peering over APIPA addresses inside its tunnel, as
 * Azure does. The sites' prefixes are known only from BGP (no localNetworkAddressSpace), so
 * traffic follows learned routes; site A reaches site B through the gateway (transit, AS path
 * "65010 65030"); losing site B's tunnel withdraws its prefix from the gateway and from site A.
 */
@RequiresHost(binaries = {"charon-systemd", "swanctl", "bird", "birdc", "ping"})
class BgpOverTunnelsInteropTest {
  @TempDir Path dir;

  @Test
  void sitesLearnEachOtherThroughTheGatewayAndLoseTheRoutesWithTheTunnel() throws Exception {
    try (BgpTunnelRig rig = BgpTunnelRig.create("bgt", dir, "198.18.2.0/24", 65020, "198.18.3.0/24", 65030)) {
      rig.ipsec(rig.a);
      BirdPeer birdA = rig.bird(rig.a);
      StrongSwanPeer ipsecB = rig.ipsec(rig.b);
      BirdPeer birdB = rig.bird(rig.b);
      rig.writeManifests(rig.a, rig.b);
      rig.startGateway();

      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        assertThat(birdA.established("vpngw")).as(rig.gatewayLog() + birdA.protocolDetails("vpngw")).isTrue();
        assertThat(birdB.established("vpngw")).isTrue();
        assertThat(birdA.routesFrom("vpngw")).contains("198.18.1.0/24", "198.18.3.0/24");
        assertThat(birdB.routesFrom("vpngw")).contains("198.18.1.0/24", "198.18.2.0/24");
      });
      assertThat(birdA.birdc("show", "route", "198.18.3.0/24", "all")).as("transit path").contains("65010 65030");
      String status = rig.cli("status").output();
      assertThat(status).contains("Established");

      // VNet host -> site A and site A host -> site B (transit), each by learned routes only.
      assertThat(rig.net.tryExec(rig.host, Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2",
          rig.a.lanHostAddress()).output()).as(status).contains("3 received");
      assertThat(rig.net.tryExec(rig.a.lanHost(), Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2",
          rig.b.lanHostAddress()).output()).as(status).contains("3 received");

      // Site B's IPsec dies: DPD ends the tunnel, BGP's hold timer the session; B's prefix leaves A.
      ipsecB.kill();
      long lost = System.nanoTime();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
          assertThat(birdA.routesFrom("vpngw")).doesNotContain("198.18.3.0/24"));
      System.out.println("site B's prefix withdrawn from site A " + (System.nanoTime() - lost) / 1_000_000
          + " ms after its tunnel died");
      assertThat(rig.net.tryExec(rig.host, Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2",
          rig.a.lanHostAddress()).output()).as("site A unaffected").contains("3 received");
    }
  }
}
