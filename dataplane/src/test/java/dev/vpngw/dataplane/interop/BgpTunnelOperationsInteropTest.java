package dev.vpngw.dataplane.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vpngw.dataplane.bgp.RawBgpPeer;
import dev.vpngw.dataplane.testsupport.BirdPeer;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.StrongSwanPeer;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import dev.vpngw.dataplane.testsupport.VpngwProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BGP operations between the vpngw program and real on-prem devices, with every BGP packet inside
 * the IPsec tunnel (strongSwan libipsec, APIPA peering as Azure): route refresh both ways, the
 * prefix limit, RFC 7606 treat-as-withdraw from a raw speaker in the site, and a neighbour added
 * by a reload while the existing session keeps running.
 */
@RequiresHost(binaries = {"charon-systemd", "swanctl", "bird", "birdc", "ping"})
class BgpTunnelOperationsInteropTest {
  private static final Duration UP = Duration.ofSeconds(40);
  private static final String A = "169.254.21.2";
  private static final String B = "169.254.22.2";

  @TempDir Path dir;

  /** BIRD's per-channel "Import updates" / "Export updates" received counter. */
  static long birdStat(BirdPeer bird, String row) {
    Matcher m = Pattern.compile(row + ":\\s+(\\d+)").matcher(bird.protocolDetails("vpngw"));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  static long num(JsonNode peer, String field) {
    return peer.path(field).asLong();
  }

  /**
   * Not APIPA: the site peers from its LAN address and the gateway from its default BGP address
   * (the last host of its first addressSpace prefix), so the gateway dials — and BIRD only listens,
   * so the session exists only if the gateway opened it through the tunnel.
   */
  @Test
  void theGatewayDialsANonApipaPeerThroughTheTunnel() throws Exception {
    try (BgpTunnelRig rig = BgpTunnelRig.create("bgdl", dir, "198.18.2.0/24", 65020, "198.18.3.0/24", 65030)) {
      BgpTunnelRig.Site site = rig.a.withBgp("198.18.2.1", "198.18.1.254");
      rig.writeManifests(site);
      rig.startGateway();
      rig.ipsec(site);
      BirdPeer bird = rig.bird(site, List.of(), "", 6, true);
      rig.awaitEstablished(site, bird, UP);
      // The gateway's end of the TCP connection is the ephemeral one: it connected to BIRD's port 179.
      String tcp = rig.net.exec(rig.gw, "ss", "-tnH", "state", "established", "dst", "198.18.2.1");
      // (ss may print the JVM's dual-stack socket as [::ffff:198.18.1.254]:port.)
      assertThat(tcp).as(tcp).containsPattern("198\\.18\\.1\\.254\\]?:\\d+\\s+\\S*198\\.18\\.2\\.1\\]?:179\\b");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(bird.routesFrom("vpngw")).contains(BgpTunnelRig.VNET);
        assertThat(rig.nextHops("198.18.2.0/24")).containsExactly("198.18.2.1");
      });
      TestNetwork.Result ping = rig.net.tryExec(rig.host, Duration.ofSeconds(15), "ping", "-c", "3", "-i", "0.2", "-W", "2",
          site.lanHostAddress());
      assertThat(ping.exitCode()).as(ping.output()).isZero();
      System.out.println("gateway-dialled BGP through the tunnel: " + tcp.strip());
    }
  }

  @Test
  void routeRefreshBothWaysInsideTheTunnelKeepsTheSession() throws Exception {
    try (BgpTunnelRig rig = BgpTunnelRig.create("bgrr", dir, "198.18.2.0/24", 65020, "198.18.3.0/24", 65030)) {
      rig.writeManifests(rig.a);
      rig.startGateway();
      rig.ipsec(rig.a);
      BirdPeer bird = rig.bird(rig.a);
      rig.awaitEstablished(rig.a, bird, UP);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(bird.routesFrom("vpngw")).contains(BgpTunnelRig.VNET);
        assertThat(rig.nextHops("198.18.2.0/24")).containsExactly(A);
      });

      // BIRD -> gateway: "reload in" makes BIRD send ROUTE-REFRESH; the gateway re-sends its routes.
      long importBefore = birdStat(bird, "Import updates");
      bird.birdc("reload", "in", "vpngw");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(num(rig.peer(A), "routeRefreshesReceived")).isEqualTo(1);
        assertThat(birdStat(bird, "Import updates")).isGreaterThan(importBefore);
      });
      // "reload out": BIRD re-sends its routes unasked; the gateway takes them as UPDATEs.
      long updatesIn = num(rig.peer(A), "updatesReceived");
      bird.birdc("reload", "out", "vpngw");
      await().atMost(Duration.ofSeconds(10)).until(() -> num(rig.peer(A), "updatesReceived") > updatesIn);

      // Gateway -> BIRD through the CLI: ask BIRD to resend (ROUTE-REFRESH), then re-send ours.
      long updatesIn2 = num(rig.peer(A), "updatesReceived");
      TestNetwork.Result in = rig.cli("bgp-refresh", "--peer", A, "--direction", "in");
      assertThat(in.exitCode()).as(in.output()).isZero();
      assertThat(in.output()).contains(A + ": ROUTE-REFRESH sent");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(num(rig.peer(A), "routeRefreshesSent")).isEqualTo(1);
        assertThat(num(rig.peer(A), "updatesReceived")).isGreaterThan(updatesIn2);
      });
      long importBefore2 = birdStat(bird, "Import updates");
      TestNetwork.Result out = rig.cli("bgp-refresh", "--direction", "out");
      assertThat(out.exitCode()).as(out.output()).isZero();
      assertThat(out.output()).contains(A + ": 1 routes re-sent");
      await().atMost(Duration.ofSeconds(10)).until(() -> birdStat(bird, "Import updates") > importBefore2);

      // The operation is bearer-token protected like the others.
      Path wrong = Files.writeString(dir.resolve("wrong.token"), "not-the-token");
      TestNetwork.Result refused = VpngwProcess.run(rig.net, rig.gw, "bgp-refresh", "--admin-token-file", wrong.toString());
      assertThat(refused.exitCode()).isNotZero();
      assertThat(refused.output()).contains("HTTP 401");
      TestNetwork.Result unknown = rig.cli("bgp-refresh", "--peer", "169.254.21.9");
      assertThat(unknown.exitCode()).isNotZero();
      assertThat(unknown.output()).contains("HTTP 404", "peer 169.254.21.9 is not configured");

      JsonNode p = rig.peer(A);
      assertThat(p.path("fsmState").asText()).isEqualTo("ESTABLISHED");
      assertThat(num(p, "establishedTransitions")).as("never reset").isEqualTo(1);
      assertThat(bird.established("vpngw")).isTrue();
      System.out.println("route refresh in tunnel: BIRD import updates " + importBefore + " -> " + birdStat(bird, "Import updates")
          + ", gateway updates received " + num(p, "updatesReceived") + ", sent " + num(p, "updatesSent")
          + ", refreshes received/sent " + num(p, "routeRefreshesReceived") + "/" + num(p, "routeRefreshesSent"));
    }
  }

  @Test
  void prefixLimitCeasesTheSessionWithAReasonAndKeepsTheTunnel() throws Exception {
    try (BgpTunnelRig rig = BgpTunnelRig.create("bgpl", dir, "198.18.2.0/24", 65020, "198.18.3.0/24", 65030)) {
      rig.writeManifests(rig.a);
      rig.startGateway();
      StrongSwanPeer sw = rig.ipsec(rig.a);
      await().atMost(UP).until(() -> sw.listSas().stream().anyMatch(s -> "ESTABLISHED".equals(s.get("state"))
          && !s.children().isEmpty()));
      String spiBefore = sw.listSas().getFirst().children().getFirst().get("spi-in");
      // Azure's limit is 4,000 prefixes from a peer: BIRD announces 4,001 /30s out of 198.19.0.0/16.
      List<String> many = IntStream.range(0, 4001).mapToObj(i -> "198.19." + (i * 4 / 256) + "." + (i * 4 % 256) + "/30").toList();
      long t0 = System.nanoTime();
      BirdPeer bird = rig.bird(rig.a, many, "", 6);

      await().atMost(UP).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
        JsonNode p = rig.peer(A);
        assertThat(p.path("lastError").asText()).as(BgpTunnelRig.tail(rig.gatewayLog(), 3000))
            .matches("maximum prefixes exceeded: received \\d+ > limit 4000 .*");
      });
      long droppedMs = (System.nanoTime() - t0) / 1_000_000;
      JsonNode p = rig.peer(A);
      assertThat(p.path("fsmState").asText()).isEqualTo("IDLE");
      assertThat(num(p, "routesReceived")).isZero();
      assertThat(rig.bgp().path("forwarding").toString()).doesNotContain("198.19.");

      // /status: the connection's BgpEstablished condition names the reason; the tunnel is Connected.
      JsonNode conn = rig.connection("to-a");
      assertThat(conn.path("connectionStatus").asText()).isEqualTo("Connected");
      JsonNode bgpCondition = null;
      for (JsonNode c : conn.path("conditions")) {
        if ("BgpEstablished".equals(c.path("type").asText())) {
          bgpCondition = c;
        }
      }
      assertThat(bgpCondition).isNotNull();
      assertThat(bgpCondition.path("reason").asText()).isEqualTo("BgpPrefixLimitExceeded");
      assertThat(bgpCondition.path("message").asText()).contains("BGP " + A, "maximum prefixes exceeded", "limit 4000");
      TestNetwork.Result table = rig.cli("status");
      assertThat(table.output()).contains("to-a", "Connected", "maximum prefixes exceeded", "limit 4000");
      assertThat(Files.readString(bird.dir().resolve("bird.log"))).as("BIRD got our Cease")
          .contains("Received: Maximum number of prefixes reached");

      // No tight loop: BIRD keeps retrying, the gateway stays Idle (refusing it) for its 60 s.
      Thread.sleep(8000);
      p = rig.peer(A);
      assertThat(num(p, "establishedTransitions")).as("one session, no flapping").isEqualTo(1);
      assertThat(p.path("fsmState").asText()).isEqualTo("IDLE");
      assertThat(bird.established("vpngw")).isFalse();
      // The IPsec tunnel never moved: same child SA, still installed.
      StrongSwanPeer.Child child = sw.listSas().getFirst().children().getFirst();
      assertThat(child.get("spi-in")).isEqualTo(spiBefore);
      assertThat(child.get("state")).isEqualTo("INSTALLED");
      assertThat(rig.connection("to-a").path("connectionStatus").asText()).isEqualTo("Connected");
      System.out.println("prefix limit: session ceased " + droppedMs + " ms after BIRD started; 8 s later still Idle,"
          + " establishedTransitions 1, child SA " + spiBefore + " unchanged");
      System.out.println(table.output());
    }
  }

  // A raw speaker in site A (ASN 65020), typed in bytes: OPEN hold 30, id 198.18.2.1, MP ipv4, RR, AS4.
  static final String OPEN = "04 fdfc 001e c6120201 10 02 0e 0104 0001 0001 0200 4104 0000fdfc";
  static final String ORIGIN_IGP = "400101 00";
  static final String AS_PATH = "400206 02 01 0000fdfc";
  static final String NEXT_HOP = "400304 a9fe1502";
  static final String NLRI_LAN = "18 c61202"; // 198.18.2.0/24
  static final String NLRI_10 = "1d c6120a00"; // 198.18.10.0/29
  static final String NLRI_11 = "1d c6120b00"; // 198.18.11.0/29

  @Test
  void malformedUpdateThroughTheTunnelIsTreatedAsWithdraw() throws Exception {
    try (BgpTunnelRig rig = BgpTunnelRig.create("bgmu", dir, "198.18.2.0/24", 65020, "198.18.3.0/24", 65030)) {
      rig.writeManifests(rig.a);
      rig.startGateway();
      StrongSwanPeer sw = rig.ipsec(rig.a);
      await().atMost(UP).until(() -> sw.listSas().stream().anyMatch(s -> !s.children().isEmpty()));
      // No BIRD here: the site routes the VNet into the tunnel by hand, BGP comes from the raw speaker.
      rig.net.exec(rig.a.ns(), "ip", "route", "add", BgpTunnelRig.VNET, "via", rig.a.gwBgp(), "dev", "ipsec0");
      try (RawBgpPeer raw = RawBgpPeer.connect(rig.a.ns(), A, rig.a.gwBgp())) {
        assertThat(raw.await(1, 5000)).as("gateway OPEN through the tunnel").isNotNull();
        raw.send(RawBgpPeer.message(1, OPEN));
        assertThat(raw.await(4, 5000)).as("gateway KEEPALIVE").isNotNull();
        raw.send(RawBgpPeer.message(4, ""));
        await().atMost(Duration.ofSeconds(10)).until(() -> rig.established(A));

        raw.send(RawBgpPeer.update("", ORIGIN_IGP + AS_PATH + NEXT_HOP, NLRI_LAN + NLRI_10 + NLRI_11));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          assertThat(rig.nextHops("198.18.10.0/29")).containsExactly(A);
          assertThat(rig.nextHops("198.18.11.0/29")).containsExactly(A);
        });
        // Traffic follows the route the raw speaker taught: VNet host -> site A's host.
        assertThat(rig.net.tryExec(rig.host, Duration.ofSeconds(15), "ping", "-c", "3", "-i", "0.2", "-W", "2",
            rig.a.lanHostAddress()).output()).contains("3 received");

        // 1. ORIGIN 7 (undefined) on 198.18.10.0/29: that prefix is withdrawn, nothing else.
        raw.send(RawBgpPeer.update("", "400101 07" + AS_PATH + NEXT_HOP, NLRI_10));
        await().atMost(Duration.ofSeconds(10)).until(() -> rig.nextHops("198.18.10.0/29").isEmpty());
        assertThat(rig.nextHops("198.18.11.0/29")).containsExactly(A);
        // 2. NEXT_HOP of length 5; 3. AS_PATH segment type 9; 4. ORIGIN with the optional bit; 5. no NEXT_HOP.
        raw.send(RawBgpPeer.update("", ORIGIN_IGP + AS_PATH + "400305 a9fe150200", NLRI_11));
        raw.send(RawBgpPeer.update("", ORIGIN_IGP + "400206 09 01 0000fdfc" + NEXT_HOP, NLRI_10));
        raw.send(RawBgpPeer.update("", "c00101 00" + AS_PATH + NEXT_HOP, NLRI_10));
        raw.send(RawBgpPeer.update("", ORIGIN_IGP + AS_PATH, NLRI_10));
        raw.send(RawBgpPeer.message(4, ""));
        await().atMost(Duration.ofSeconds(10)).until(() -> num(rig.peer(A), "treatAsWithdraw") == 5);
        assertThat(rig.nextHops("198.18.11.0/29")).isEmpty();
        assertThat(rig.nextHops("198.18.10.0/29")).isEmpty();

        // Session untouched: no NOTIFICATION, a good UPDATE is accepted again, the LAN route never left.
        raw.send(RawBgpPeer.update("", ORIGIN_IGP + AS_PATH + NEXT_HOP, NLRI_10));
        await().atMost(Duration.ofSeconds(10)).until(() -> rig.nextHops("198.18.10.0/29").equals(List.of(A)));
        assertThat(rig.nextHops("198.18.2.0/24")).containsExactly(A);
        assertThat(raw.sawNotification()).isFalse();
        assertThat(raw.closedByGateway()).isFalse();
        JsonNode p = rig.peer(A);
        assertThat(p.path("fsmState").asText()).isEqualTo("ESTABLISHED");
        assertThat(num(p, "establishedTransitions")).isEqualTo(1);
        assertThat(p.path("lastWarning").asText()).contains("treat-as-withdraw");
        assertThat(rig.net.tryExec(rig.host, Duration.ofSeconds(15), "ping", "-c", "3", "-i", "0.2", "-W", "2",
            rig.a.lanHostAddress()).output()).contains("3 received");
        System.out.println("RFC 7606 in tunnel: treat-as-withdraw " + num(p, "treatAsWithdraw") + ", last warning: "
            + p.path("lastWarning").asText());
      }
    }
  }

  @Test
  void aNeighbourAddedByReloadComesUpWithoutResettingTheOther() throws Exception {
    try (BgpTunnelRig rig = BgpTunnelRig.create("bgad", dir, "198.18.2.0/24", 65020, "198.18.3.0/24", 65030)) {
      rig.writeManifests(rig.a);
      rig.startGateway();
      rig.ipsec(rig.a);
      BirdPeer birdA = rig.bird(rig.a);
      rig.awaitEstablished(rig.a, birdA, UP);
      String birdSince = birdSince(birdA);
      JsonNode before = rig.peer(A);
      StrongSwanPeer swB = rig.ipsec(rig.b);
      BirdPeer birdB = rig.bird(rig.b);
      Thread.sleep(1000); // A's uptime must visibly grow across the reload

      rig.writeManifests(rig.a, rig.b);
      long t0 = System.nanoTime();
      TestNetwork.Result reload = rig.cli("reload");
      assertThat(reload.exitCode()).as(reload.output()).isZero();
      assertThat(reload.output()).contains("to-b");
      rig.awaitEstablished(rig.b, birdB, UP);
      long upMs = (System.nanoTime() - t0) / 1_000_000;
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(birdA.routesFrom("vpngw")).as("site B reaches site A through the gateway").contains("198.18.3.0/24");
        assertThat(birdB.routesFrom("vpngw")).contains("198.18.2.0/24", BgpTunnelRig.VNET);
      });

      JsonNode after = rig.peer(A);
      assertThat(num(after, "establishedTransitions")).as("A never reset").isEqualTo(1);
      assertThat(after.path("connectedDuration").asText()).isGreaterThan(before.path("connectedDuration").asText());
      assertThat(num(after, "messagesReceived")).isGreaterThan(num(before, "messagesReceived"));
      assertThat(birdSince(birdA)).as("BIRD A's session state time").isEqualTo(birdSince);
      assertThat(swB.listSas()).isNotEmpty();
      assertThat(rig.net.tryExec(rig.a.lanHost(), Duration.ofSeconds(15), "ping", "-c", "3", "-i", "0.2", "-W", "2",
          rig.b.lanHostAddress()).output()).as("transit A -> B").contains("3 received");
      System.out.println("runtime peer: B Established " + upMs + " ms after `vpngw reload` was started (CLI JVM included); A up " + before.path("connectedDuration").asText()
          + " -> " + after.path("connectedDuration").asText() + ", establishedTransitions 1");
    }
  }

  /** The "Since" column of BIRD's protocol line (when its state last changed). */
  static String birdSince(BirdPeer bird) {
    String line = bird.birdc("show", "protocols", "vpngw").lines().filter(l -> l.startsWith("vpngw")).findFirst().orElse("");
    String[] f = line.trim().split("\\s+");
    return f.length > 4 ? f[3] + " " + f[4] : line;
  }
}
