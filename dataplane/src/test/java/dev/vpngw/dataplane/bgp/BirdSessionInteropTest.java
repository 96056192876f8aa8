package dev.vpngw.dataplane.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.bgp.status.BgpPeerStatus;
import dev.vpngw.dataplane.bgp.status.GatewayRoute;
import dev.vpngw.dataplane.routing.ForwardingLookup;
import dev.vpngw.dataplane.routing.Ipv4Prefix;
import dev.vpngw.dataplane.testsupport.BirdPeer;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our speaker against a real BIRD 2 over a veth pair between two namespaces (no tunnel yet):
 * session setup both ways, routes both ways, withdraw, hold timer, route refresh, prefix limit.
 */
@RequiresHost(binaries = {"bird", "birdc"})
class BirdSessionInteropTest {
  static final long GW_AS = 65515;
  static final long BIRD_AS = 65010;
  static final List<Ipv4Prefix> VNET = List.of(Ipv4Prefix.parse("198.18.1.0/24"));
  static final Duration T = Duration.ofSeconds(15);

  @TempDir
  Path tmp;
  TestNetwork net;
  String gwNs;
  String birdNs;

  @BeforeEach
  void network() {
    net = TestNetwork.create("bgps");
    gwNs = net.namespace("gw");
    birdNs = net.namespace("bird");
  }

  @AfterEach
  void teardown() {
    net.close();
  }

  static BgpSpeakerConfig gwConfig(BgpPeerConfig peer, BgpTimers timers) {
    return BgpSpeakerConfig.of(GW_AS, "198.18.255.254", VNET, List.of(peer)).withTimers(timers);
  }

  static BgpTimers fastTimers() {
    return BgpTimers.DEFAULTS.withHold(6).withConnectRetry(1).withIdleHold(1);
  }

  @Test
  void birdDialsPassiveGatewayOnApipa_routesFlowBothWays() throws Exception {
    net.veth(gwNs, "169.254.21.1/30", birdNs, "169.254.21.2/30");
    BgpPeerConfig peer = BgpPeerConfig.of("169.254.21.1", "169.254.21.2", BIRD_AS, 7);
    assertThat(peer.mode()).isEqualTo(PeerMode.PASSIVE);
    try (GatewayUnderTest gw = GatewayUnderTest.start(gwNs, gwConfig(peer, fastTimers()))) {
      BirdPeer bird = BirdPeer.start(net, birdNs, tmp.resolve("bird"), BirdPeer.config("198.18.255.1", "169.254.21.2", BIRD_AS,
          "169.254.21.1", GW_AS, false,
          List.of("198.18.10.0/29", "198.18.11.0/29", "198.18.1.0/24", "198.18.0.0/16", "0.0.0.0/0"), ""));

      await().atMost(T).until(() -> gw.speaker.peerStatus("169.254.21.2").state().equals("Connected"));
      assertThat(bird.established("vpngw")).isTrue();

      // BIRD learns our addressSpace with our ASN as the path.
      await().atMost(T).until(() -> bird.routesFrom("vpngw").contains("198.18.1.0/24"));
      assertThat(bird.birdc("show", "route", "198.18.1.0/24", "all")).contains("BGP.as_path: 65515").contains("169.254.21.1");

      // We learn BIRD's routes into the FIB; the exact VNet prefix is filtered, the superset and
      // the default route are accepted.
      await().atMost(T).until(() -> gw.lookup("198.18.10.3", 1) == 7);
      assertThat(gw.lookup("198.18.11.5", 1)).isEqualTo(7);
      assertThat(gw.lookup("198.18.1.9", 1)).as("own VNet stays local, superset does not capture it").isEqualTo(ForwardingLookup.NO_ROUTE);
      assertThat(gw.lookup("198.18.200.1", 1)).as("superset 198.18.0.0/16").isEqualTo(7);
      assertThat(gw.lookup("203.0.113.1", 1)).as("default route may be received").isEqualTo(7);

      List<GatewayRoute> learned = gw.speaker.learnedRoutes();
      assertThat(learned).contains(new GatewayRoute("169.254.21.1", "198.18.10.0/29", "169.254.21.2", "169.254.21.2", "EBgp", "65010", 0));
      assertThat(learned).contains(new GatewayRoute("169.254.21.1", "198.18.1.0/24", "", "169.254.21.1", "Network", "", 32768));
      assertThat(learned).noneMatch(r -> r.network().equals("198.18.1.0/24") && r.origin().equals("EBgp"));

      List<GatewayRoute> advertised = gw.speaker.advertisedRoutes("169.254.21.2");
      assertThat(advertised).extracting(GatewayRoute::network).containsExactly("198.18.1.0/24");
      assertThat(bird.routesFrom("vpngw")).as("never a default route, never a learned route back").containsExactly("198.18.1.0/24");

      BgpPeerStatus st = gw.speaker.peerStatus("169.254.21.2");
      assertThat(st.asn()).isEqualTo(BIRD_AS);
      assertThat(st.routesReceived()).isEqualTo(5);
      assertThat(st.holdTimeSeconds()).isEqualTo(6);
      assertThat(st.fourOctetAs()).isTrue();
      assertThat(st.messagesReceived()).isGreaterThanOrEqualTo(3);
      assertThat(st.connectedDuration()).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{7}");

      // Explicit withdraw: BIRD stops announcing its statics.
      bird.birdc("disable", "st4");
      await().atMost(T).until(() -> gw.lookup("198.18.10.3", 1) == ForwardingLookup.NO_ROUTE);
      assertThat(gw.speaker.peerStatus("169.254.21.2").routesReceived()).isZero();
      assertThat(gw.speaker.peerStatus("169.254.21.2").state()).isEqualTo("Connected");
    }
  }
}
