package dev.vpngw.dataplane.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.routing.Ipv4Prefix;
import dev.vpngw.dataplane.testsupport.BirdPeer;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two BIRD peers (two sites) in two namespaces behind one gateway speaker: transit between them
 * with our ASN in the path, AS-path prepending honoured (longer path loses), ECMP across the two
 * tunnels for an equal-cost prefix, and peerWeight overriding path length.
 */
@RequiresHost(binaries = {"bird", "birdc"})
class BirdTransitInteropTest {
  static final Duration T = Duration.ofSeconds(15);

  @TempDir
  Path tmp;

  @Test
  void twoSitesLearnEachOtherThroughTheGateway() throws Exception {
    try (TestNetwork net = TestNetwork.create("bgpt")) {
      String gwNs = net.namespace("gw");
      String aNs = net.namespace("a");
      String bNs = net.namespace("b");
      net.veth(gwNs, "169.254.21.1/30", aNs, "169.254.21.2/30");
      net.veth(gwNs, "169.254.22.1/30", bNs, "169.254.22.2/30");
      BgpPeerConfig a = BgpPeerConfig.of("169.254.21.1", "169.254.21.2", 65010, 1);
      BgpPeerConfig b = BgpPeerConfig.of("169.254.22.1", "169.254.22.2", 65020, 2);
      BgpSpeakerConfig cfg = BgpSpeakerConfig.of(65515, "198.18.255.254", List.of(Ipv4Prefix.parse("198.18.1.0/24")), List.of(a, b))
          .withTimers(BirdSessionInteropTest.fastTimers());
      try (GatewayUnderTest gw = GatewayUnderTest.start(gwNs, cfg)) {
        // Site A: its own prefix, a shared one (equal cost) and a contested one announced plainly.
        BirdPeer birdA = BirdPeer.start(net, aNs, tmp.resolve("a"), BirdPeer.config("198.18.255.1", "169.254.21.2", 65010,
            "169.254.21.1", 65515, false, List.of("198.18.10.0/29", "198.18.30.0/29", "198.18.40.0/29"), ""));
        // Site B prepends its ASN twice on the contested prefix; shares 198.18.40.0/29 unprepended.
        String bExport = "  ipv4 { import all; export filter { if net = 198.18.30.0/29 then { bgp_path.prepend(65020); bgp_path.prepend(65020); } accept; }; };\n";
        BirdPeer birdB = BirdPeer.start(net, bNs, tmp.resolve("b"), BirdPeer.config("198.18.255.2", "169.254.22.2", 65020,
            "169.254.22.1", 65515, false, List.of("198.18.20.0/29", "198.18.30.0/29", "198.18.40.0/29"), bExport));

        await().atMost(T).until(() -> birdB.routesFrom("vpngw").contains("198.18.10.0/29"));
        await().atMost(T).until(() -> birdA.routesFrom("vpngw").contains("198.18.20.0/29"));
        assertThat(birdB.birdc("show", "route", "198.18.10.0/29", "all")).contains("BGP.as_path: 65515 65010").contains("BGP.next_hop: 169.254.22.1");
        assertThat(birdA.birdc("show", "route", "198.18.20.0/29", "all")).contains("BGP.as_path: 65515 65020");

        // Longer (prepended) path loses: the gateway forwards 198.18.30.0/29 to site A.
        await().atMost(T).until(() -> gw.speaker.learnedRoutes().stream().filter(r -> r.network().equals("198.18.30.0/29")).count() == 2);
        assertThat(gw.lookup("198.18.30.1", 0)).isEqualTo(1);
        assertThat(gw.speaker.learnedRoutes()).anyMatch(r -> r.network().equals("198.18.30.0/29") && r.asPath().equals("65020-65020-65020"));

        // Equal cost from both sites: ECMP across both tunnels, stable per flow.
        await().atMost(T).until(() -> gw.speaker.learnedRoutes().stream().filter(r -> r.network().equals("198.18.40.0/29")).count() == 2);
        Set<Integer> slots = new HashSet<>();
        for (int flow = 0; flow < 64; flow++) {
          int slot = gw.lookup("198.18.40.3", flow);
          assertThat(gw.lookup("198.18.40.3", flow)).isEqualTo(slot);
          slots.add(slot);
        }
        assertThat(slots).containsExactlyInAnyOrder(1, 2);

        // AS loop prevention on the sites' side: A never gets its own prefix back.
        assertThat(birdA.routesFrom("vpngw")).doesNotContain("198.18.10.0/29");
        // Both sites got our VNet.
        assertThat(birdA.routesFrom("vpngw")).contains("198.18.1.0/24");
        assertThat(birdB.routesFrom("vpngw")).contains("198.18.1.0/24");

        // Withdraw propagates through the gateway: A drops 198.18.10.0/29, B loses it.
        birdA.birdc("disable", "st4");
        await().atMost(T).until(() -> !birdB.routesFrom("vpngw").contains("198.18.10.0/29"));
        // 198.18.30.0/29 now only via B (prepended), and 198.18.40.0/29 falls back to one tunnel.
        await().atMost(T).until(() -> gw.lookup("198.18.30.1", 0) == 2);
        for (int flow = 0; flow < 16; flow++) {
          assertThat(gw.lookup("198.18.40.3", flow)).isEqualTo(2);
        }
      }
    }
  }

  @Test
  void peerWeightBeatsShorterAsPath() throws Exception {
    try (TestNetwork net = TestNetwork.create("bgpw")) {
      String gwNs = net.namespace("gw");
      String aNs = net.namespace("a");
      String bNs = net.namespace("b");
      net.veth(gwNs, "169.254.21.1/30", aNs, "169.254.21.2/30");
      net.veth(gwNs, "169.254.22.1/30", bNs, "169.254.22.2/30");
      BgpPeerConfig a = BgpPeerConfig.of("169.254.21.1", "169.254.21.2", 65010, 1);
      BgpPeerConfig b = BgpPeerConfig.of("169.254.22.1", "169.254.22.2", 65020, 2).withWeight(100);
      BgpSpeakerConfig cfg = BgpSpeakerConfig.of(65515, "198.18.255.254", List.of(Ipv4Prefix.parse("198.18.1.0/24")), List.of(a, b))
          .withTimers(BirdSessionInteropTest.fastTimers());
      try (GatewayUnderTest gw = GatewayUnderTest.start(gwNs, cfg)) {
        BirdPeer.start(net, aNs, tmp.resolve("a"), BirdPeer.config("198.18.255.1", "169.254.21.2", 65010, "169.254.21.1", 65515,
            false, List.of("198.18.30.0/29"), ""));
        String bExport = "  ipv4 { import all; export filter { bgp_path.prepend(65020); accept; }; };\n";
        BirdPeer.start(net, bNs, tmp.resolve("b"), BirdPeer.config("198.18.255.2", "169.254.22.2", 65020, "169.254.22.1", 65515,
            false, List.of("198.18.30.0/29"), bExport));
        await().atMost(T).until(() -> gw.speaker.learnedRoutes().stream().filter(r -> r.network().equals("198.18.30.0/29")).count() == 2);
        assertThat(gw.lookup("198.18.30.1", 0)).as("weight 100 wins over a shorter path").isEqualTo(2);
        assertThat(gw.speaker.learnedRoutes()).anyMatch(r -> r.network().equals("198.18.30.0/29") && r.weight() == 100);
      }
    }
  }
}
