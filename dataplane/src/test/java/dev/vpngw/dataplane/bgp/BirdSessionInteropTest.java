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

      // A site's static prefixes (localNetworkAddressSpace of another connection) are advertised.
      gw.onLoop(() -> {
        gw.table.setStatic(5, List.of(Ipv4Prefix.parse("198.18.50.0/24")));
        gw.table.commit();
        return null;
      });
      await().atMost(T).until(() -> bird.routesFrom("vpngw").contains("198.18.50.0/24"));
      assertThat(gw.lookup("198.18.50.1", 1)).isEqualTo(5);
      assertThat(gw.speaker.learnedRoutes()).contains(new GatewayRoute("169.254.21.1", "198.18.50.0/24", "", "169.254.21.1", "Static", "", 32768));

      // Explicit withdraw: BIRD stops announcing its statics.
      bird.birdc("disable", "st4");
      await().atMost(T).until(() -> gw.lookup("198.18.10.3", 1) == ForwardingLookup.NO_ROUTE);
      assertThat(gw.speaker.peerStatus("169.254.21.2").routesReceived()).isZero();
      assertThat(gw.speaker.peerStatus("169.254.21.2").state()).isEqualTo("Connected");
    }
  }

  static String neighborCapabilities(String showProtocolsAll) {
    int i = showProtocolsAll.indexOf("Neighbor capabilities");
    int j = showProtocolsAll.indexOf("Session:", i);
    return i < 0 ? "" : showProtocolsAll.substring(i, j < 0 ? showProtocolsAll.length() : j);
  }

  @Test
  void gatewayDialsPassiveBird_onNonApipaAddresses() throws Exception {
    net.veth(gwNs, "192.0.2.1/30", birdNs, "192.0.2.2/30");
    BgpPeerConfig peer = BgpPeerConfig.of("192.0.2.1", "192.0.2.2", BIRD_AS, 2);
    assertThat(peer.mode()).isEqualTo(PeerMode.ACTIVE);
    BirdPeer bird = BirdPeer.start(net, birdNs, tmp.resolve("bird"), BirdPeer.config("198.18.255.1", "192.0.2.2", BIRD_AS,
        "192.0.2.1", GW_AS, true, List.of("198.18.20.0/29"), ""));
    try (GatewayUnderTest gw = GatewayUnderTest.start(gwNs, gwConfig(peer, fastTimers()))) {
      await().atMost(T).until(() -> gw.speaker.peerStatus("192.0.2.2").state().equals("Connected"));
      assertThat(bird.established("vpngw")).isTrue();
      assertThat(net.exec(birdNs, "ss", "-tn")).as("we dialled BIRD's port 179").contains("192.0.2.2:179").contains("192.0.2.1:");
      await().atMost(T).until(() -> gw.lookup("198.18.20.1", 9) == 2);
      await().atMost(T).until(() -> bird.routesFrom("vpngw").contains("198.18.1.0/24"));

      // Admin stop: CEASE/administrative shutdown, status Stopped, routes gone; start again.
      gw.speaker.stopPeer("192.0.2.2");
      await().atMost(T).until(() -> gw.speaker.peerStatus("192.0.2.2").state().equals("Stopped"));
      await().atMost(T).until(() -> bird.protocolDetails("vpngw").contains("Administrative shutdown"));
      assertThat(gw.lookup("198.18.20.1", 9)).isEqualTo(ForwardingLookup.NO_ROUTE);
      gw.speaker.startPeer("192.0.2.2");
      await().atMost(T).until(() -> gw.speaker.peerStatus("192.0.2.2").state().equals("Connected"));
      await().atMost(T).until(() -> gw.lookup("198.18.20.1", 9) == 2);
    }
  }

  @Test
  void frozenBird_holdTimerExpires_routesWithdrawn() throws Exception {
    net.veth(gwNs, "169.254.21.1/30", birdNs, "169.254.21.2/30");
    BgpPeerConfig peer = BgpPeerConfig.of("169.254.21.1", "169.254.21.2", BIRD_AS, 1);
    try (GatewayUnderTest gw = GatewayUnderTest.start(gwNs, gwConfig(peer, fastTimers().withHold(3)))) {
      BirdPeer bird = BirdPeer.start(net, birdNs, tmp.resolve("bird"), BirdPeer.config("198.18.255.1", "169.254.21.2", BIRD_AS,
          "169.254.21.1", GW_AS, false, List.of("198.18.10.0/29"), "  graceful restart on;\n"));
      await().atMost(T).until(() -> gw.lookup("198.18.10.1", 1) == 1);
      assertThat(gw.speaker.peerStatus("169.254.21.2").holdTimeSeconds()).as("min(3, BIRD's 6)").isEqualTo(3);

      bird.signal("STOP"); // no more keepalives, TCP stays open
      long t0 = System.nanoTime();
      await().atMost(Duration.ofSeconds(6)).until(() -> gw.lookup("198.18.10.1", 1) == ForwardingLookup.NO_ROUTE);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ms).as("withdrawn within the 3 s hold time (+ slack)").isLessThan(4500);
      BgpPeerStatus st = gw.speaker.peerStatus("169.254.21.2");
      assertThat(st.state()).isIn("Idle", "Connecting");
      assertThat(st.lastError()).contains("hold timer expired");
      assertThat(st.staleRoutes()).as("a hold-timer expiry is not a graceful restart").isZero();

      bird.signal("CONT");
      await().atMost(T).until(() -> gw.lookup("198.18.10.1", 1) == 1);
    }
  }

  @Test
  void crashedBirdWithoutGracefulRestart_routesGoneAtOnce() throws Exception {
    net.veth(gwNs, "169.254.21.1/30", birdNs, "169.254.21.2/30");
    BgpPeerConfig peer = BgpPeerConfig.of("169.254.21.1", "169.254.21.2", BIRD_AS, 1);
    try (GatewayUnderTest gw = GatewayUnderTest.start(gwNs, gwConfig(peer, fastTimers()))) {
      BirdPeer bird = BirdPeer.start(net, birdNs, tmp.resolve("bird"), BirdPeer.config("198.18.255.1", "169.254.21.2", BIRD_AS,
          "169.254.21.1", GW_AS, false, List.of("198.18.10.0/29"), "  graceful restart off;\n"));
      await().atMost(T).until(() -> gw.lookup("198.18.10.1", 1) == 1);
      assertThat(gw.speaker.peerStatus("169.254.21.2").gracefulRestart()).isFalse();
      bird.crash();
      await().atMost(Duration.ofSeconds(2)).until(() -> gw.lookup("198.18.10.1", 1) == ForwardingLookup.NO_ROUTE);
      assertThat(gw.speaker.peerStatus("169.254.21.2").lastError()).contains("closed");
    }
  }

  @Test
  void gracefulRestart_negotiated_staleRoutesBridgeABirdRestart() throws Exception {
    net.veth(gwNs, "169.254.21.1/30", birdNs, "169.254.21.2/30");
    BgpPeerConfig peer = BgpPeerConfig.of("169.254.21.1", "169.254.21.2", BIRD_AS, 1);
    try (GatewayUnderTest gw = GatewayUnderTest.start(gwNs, gwConfig(peer, fastTimers()))) {
      BirdPeer bird = BirdPeer.start(net, birdNs, tmp.resolve("bird"), BirdPeer.config("198.18.255.1", "169.254.21.2", BIRD_AS,
          "169.254.21.1", GW_AS, false, List.of("198.18.10.0/29", "198.18.10.8/29"), "  graceful restart on;\n  graceful restart time 8;\n"));
      await().atMost(T).until(() -> gw.lookup("198.18.10.1", 1) == 1);
      assertThat(gw.speaker.peerStatus("169.254.21.2").gracefulRestart()).isTrue();
      // BIRD saw our capability (restart time 120 s, IPv4 unicast).
      String neighborCaps = neighborCapabilities(bird.protocolDetails("vpngw"));
      assertThat(neighborCaps).contains("Graceful restart").contains("Restart time: 120").contains("AF supported: ipv4");

      // Watch the FIB every millisecond from the crash until BIRD is back: it must never miss.
      java.util.concurrent.atomic.AtomicInteger misses = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread watcher = Thread.ofPlatform().start(() -> {
        while (watching.get()) {
          if (gw.lookup("198.18.10.1", 1) != 1 || gw.lookup("198.18.10.9", 1) != 1) {
            misses.incrementAndGet();
          }
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      bird.crash();
      // Inside the peer's restart time the routes stay, marked stale: no blackhole.
      await().atMost(T).until(() -> gw.speaker.peerStatus("169.254.21.2").staleRoutes() == 2);
      Thread.sleep(1500);

      // BIRD restarts in graceful-restart recovery (-R): its OPEN has R=1 and F=1 for IPv4, so we
      // keep the stale routes until its End-of-RIB, then only unrefreshed ones would go.
      bird.launch("-R");
      await().atMost(T).until(() -> gw.speaker.peerStatus("169.254.21.2").state().equals("Connected"));
      await().atMost(T).until(() -> gw.speaker.peerStatus("169.254.21.2").staleRoutes() == 0);
      Thread.sleep(200);
      watching.set(false);
      watcher.join();
      assertThat(misses.get()).as("FIB lookups that missed during the restart").isZero();
      assertThat(gw.lookup("198.18.10.1", 1)).isEqualTo(1);
      assertThat(gw.lookup("198.18.10.9", 1)).isEqualTo(1);
      assertThat(gw.speaker.peerStatus("169.254.21.2").routesReceived()).isEqualTo(2);
    }
  }

  @Test
  void gracefulRestart_peerNeverReturns_staleRoutesExpireAfterRestartTime() throws Exception {
    net.veth(gwNs, "169.254.21.1/30", birdNs, "169.254.21.2/30");
    BgpPeerConfig peer = BgpPeerConfig.of("169.254.21.1", "169.254.21.2", BIRD_AS, 1);
    try (GatewayUnderTest gw = GatewayUnderTest.start(gwNs, gwConfig(peer, fastTimers()))) {
      BirdPeer bird = BirdPeer.start(net, birdNs, tmp.resolve("bird"), BirdPeer.config("198.18.255.1", "169.254.21.2", BIRD_AS,
          "169.254.21.1", GW_AS, false, List.of("198.18.10.0/29"), "  graceful restart on;\n  graceful restart time 3;\n"));
      await().atMost(T).until(() -> gw.lookup("198.18.10.1", 1) == 1);
      bird.crash();
      long t0 = System.nanoTime();
      await().atMost(T).until(() -> gw.speaker.peerStatus("169.254.21.2").staleRoutes() == 1);
      await().atMost(T).until(() -> gw.lookup("198.18.10.1", 1) == ForwardingLookup.NO_ROUTE);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ms).as("kept for BIRD's 3 s restart time").isBetween(2500L, 6000L);
    }
  }

  @Test
  void routeRefresh_bothDirections() throws Exception {
    net.veth(gwNs, "169.254.21.1/30", birdNs, "169.254.21.2/30");
    BgpPeerConfig peer = BgpPeerConfig.of("169.254.21.1", "169.254.21.2", BIRD_AS, 1);
    try (GatewayUnderTest gw = GatewayUnderTest.start(gwNs, gwConfig(peer, fastTimers()))) {
      BirdPeer bird = BirdPeer.start(net, birdNs, tmp.resolve("bird"), BirdPeer.config("198.18.255.1", "169.254.21.2", BIRD_AS,
          "169.254.21.1", GW_AS, false, List.of("198.18.10.0/29"), ""));
      await().atMost(T).until(() -> gw.lookup("198.18.10.1", 1) == 1);
      await().atMost(T).until(() -> bird.routesFrom("vpngw").contains("198.18.1.0/24"));

      // BIRD asks us (its "reload in" sends ROUTE-REFRESH); we resend our Adj-RIB-Out.
      long sentBefore = gw.speaker.peerStatus("169.254.21.2").messagesSent();
      bird.birdc("reload", "in", "vpngw");
      await().atMost(T).until(() -> gw.speaker.peerStatus("169.254.21.2").routeRefreshesReceived() == 1);
      await().atMost(T).until(() -> gw.speaker.peerStatus("169.254.21.2").messagesSent() > sentBefore);
      assertThat(bird.routesFrom("vpngw")).containsExactly("198.18.1.0/24");

      // We ask BIRD; it resends its routes (an UPDATE arrives without any change on its side).
      long updatesBefore = gw.onLoop(() -> gw.speaker.peerStatus("169.254.21.2").messagesReceived());
      assertThat(gw.speaker.requestRefresh("169.254.21.2")).isTrue();
      await().atMost(T).until(() -> gw.speaker.peerStatus("169.254.21.2").messagesReceived() > updatesBefore + 0);
      assertThat(neighborCapabilities(bird.protocolDetails("vpngw"))).contains("Route refresh");
      assertThat(gw.lookup("198.18.10.1", 1)).isEqualTo(1);
    }
  }

  @Test
  void prefixLimitExceeded_sessionDroppedWithCease_statusSaysWhy() throws Exception {
    net.veth(gwNs, "169.254.21.1/30", birdNs, "169.254.21.2/30");
    BgpPeerConfig peer = BgpPeerConfig.of("169.254.21.1", "169.254.21.2", BIRD_AS, 1).withMaxPrefixes(20);
    List<String> thirty = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      thirty.add(new Ipv4Prefix(Ipv4Prefix.parseAddress("198.18.64.0") + i * 8, 29).toString());
    }
    try (GatewayUnderTest gw = GatewayUnderTest.start(gwNs, gwConfig(peer, fastTimers().withPrefixLimitIdle(60)))) {
      BirdPeer bird = BirdPeer.start(net, birdNs, tmp.resolve("bird"), BirdPeer.config("198.18.255.1", "169.254.21.2", BIRD_AS,
          "169.254.21.1", GW_AS, false, thirty, ""));
      await().atMost(T).until(() -> gw.speaker.peerStatus("169.254.21.2").lastError().contains("maximum prefixes"));
      BgpPeerStatus st = gw.speaker.peerStatus("169.254.21.2");
      assertThat(st.state()).isEqualTo("Idle");
      assertThat(st.lastError()).contains("limit 20");
      assertThat(st.routesReceived()).isZero();
      assertThat(gw.lookup("198.18.64.1", 1)).isEqualTo(ForwardingLookup.NO_ROUTE);
      await().atMost(T).until(() -> bird.protocolDetails("vpngw").contains("Maximum number of prefixes reached"));
      // Idle refuses BIRD's reconnects for the prefix-limit idle time.
      Thread.sleep(2500);
      assertThat(gw.speaker.peerStatus("169.254.21.2").state()).isEqualTo("Idle");
      assertThat(bird.established("vpngw")).isFalse();
    }
  }

  @Test
  void fourOctetPeerTransitToTwoOctetPeer_asTransAndAs4Path() throws Exception {
    net.veth(gwNs, "169.254.21.1/30", birdNs, "169.254.21.2/30");
    String birdNs2 = net.namespace("bird2");
    net.veth(gwNs, "169.254.22.1/30", birdNs2, "169.254.22.2/30");
    BgpPeerConfig four = BgpPeerConfig.of("169.254.21.1", "169.254.21.2", 4_200_000_010L, 1);
    BgpPeerConfig two = BgpPeerConfig.of("169.254.22.1", "169.254.22.2", 65020, 2);
    BgpSpeakerConfig cfg = BgpSpeakerConfig.of(GW_AS, "198.18.255.254", VNET, List.of(four, two)).withTimers(fastTimers());
    try (GatewayUnderTest gw = GatewayUnderTest.start(gwNs, cfg)) {
      BirdPeer b4 = BirdPeer.start(net, birdNs, tmp.resolve("b4"), BirdPeer.config("198.18.255.1", "169.254.21.2", 4_200_000_010L,
          "169.254.21.1", GW_AS, false, List.of("198.18.10.0/29"), ""));
      // A BIRD with 4-octet support off: 2-octet AS_PATHs on that session (RFC 6793 old speaker).
      BirdPeer b2 = BirdPeer.start(net, birdNs2, tmp.resolve("b2"), BirdPeer.config("198.18.255.2", "169.254.22.2", 65020,
          "169.254.22.1", GW_AS, false, List.of("198.18.20.0/29"), "  enable as4 off;\n"));
      await().atMost(T).until(() -> gw.lookup("198.18.10.1", 0) == 1 && gw.lookup("198.18.20.1", 0) == 2);
      assertThat(gw.speaker.peerStatus("169.254.21.2").fourOctetAs()).isTrue();
      assertThat(gw.speaker.peerStatus("169.254.22.2").fourOctetAs()).isFalse();
      assertThat(gw.speaker.learnedRoutes()).anyMatch(r -> r.network().equals("198.18.10.0/29") && r.asPath().equals("4200000010"));
      assertThat(gw.speaker.learnedRoutes()).anyMatch(r -> r.network().equals("198.18.20.0/29") && r.asPath().equals("65020"));
      await().atMost(T).until(() -> b4.routesFrom("vpngw").contains("198.18.20.0/29"));
      assertThat(b4.birdc("show", "route", "198.18.20.0/29", "all")).contains("BGP.as_path: 65515 65020");
      await().atMost(T).until(() -> b2.routesFrom("vpngw").contains("198.18.10.0/29"));
      String twoView = b2.birdc("show", "route", "198.18.10.0/29", "all");
      // On this 2-octet session our AS_PATH says "65515 23456" (AS_TRANS, see BgpMessageCodecTest);
      // BIRD can only rebuild 4200000010 by merging the AS4_PATH we attached (RFC 6793 §4.2.3).
      assertThat(twoView).contains("BGP.as_path: 65515 4200000010");
    }
  }

  @Test
  void pathsContainingOurAsnAreRejected() throws Exception {
    net.veth(gwNs, "169.254.21.1/30", birdNs, "169.254.21.2/30");
    BgpPeerConfig peer = BgpPeerConfig.of("169.254.21.1", "169.254.21.2", BIRD_AS, 1);
    try (GatewayUnderTest gw = GatewayUnderTest.start(gwNs, gwConfig(peer, fastTimers()))) {
      String export = "  ipv4 { import all; export filter { if net = 198.18.12.0/29 then bgp_path.prepend(65515); accept; }; };\n";
      BirdPeer.start(net, birdNs, tmp.resolve("bird"), BirdPeer.config("198.18.255.1", "169.254.21.2", BIRD_AS, "169.254.21.1", GW_AS,
          false, List.of("198.18.10.0/29", "198.18.12.0/29"), export));
      await().atMost(T).until(() -> gw.lookup("198.18.10.1", 0) == 1);
      await().atMost(T).until(() -> gw.speaker.peerStatus("169.254.21.2").lastWarning().contains("loop"));
      assertThat(gw.lookup("198.18.12.1", 0)).isEqualTo(ForwardingLookup.NO_ROUTE);
      assertThat(gw.speaker.learnedRoutes()).noneMatch(r -> r.network().equals("198.18.12.0/29"));
      assertThat(gw.speaker.peerStatus("169.254.21.2").state()).isEqualTo("Connected");
    }
  }

  @Test
  void bothSidesDial_collisionResolvedToOneStableSession() throws Exception {
    net.veth(gwNs, "192.0.2.1/30", birdNs, "192.0.2.2/30");
    BgpPeerConfig peer = BgpPeerConfig.of("192.0.2.1", "192.0.2.2", BIRD_AS, 2);
    try (GatewayUnderTest gw = GatewayUnderTest.start(gwNs, gwConfig(peer, fastTimers()))) {
      BirdPeer bird = BirdPeer.start(net, birdNs, tmp.resolve("bird"), BirdPeer.config("198.18.255.1", "192.0.2.2", BIRD_AS,
          "192.0.2.1", GW_AS, false, List.of("198.18.20.0/29"), ""));
      await().atMost(T).until(() -> gw.speaker.peerStatus("192.0.2.2").state().equals("Connected") && bird.established("vpngw"));
      String since = gw.speaker.peerStatus("192.0.2.2").connectedDuration();
      Thread.sleep(3000);
      BgpPeerStatus st = gw.speaker.peerStatus("192.0.2.2");
      assertThat(st.state()).isEqualTo("Connected");
      assertThat(st.connectedDuration()).as("no flap after the collision").isGreaterThan(since);
      assertThat(st.connectedDuration()).startsWith("00:00:0");
      assertThat(bird.established("vpngw")).isTrue();
      await().atMost(T).until(() -> gw.lookup("198.18.20.1", 0) == 2);
      assertThat(net.exec(gwNs, "ss", "-tn", "state", "established").lines().filter(l -> l.contains(":179")).count())
          .as("one TCP connection left").isEqualTo(1);
    }
  }
}
