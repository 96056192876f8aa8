package dev.vpngw.dataplane.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vpngw.dataplane.testsupport.BirdPeer;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.StrongSwanPeer;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's BGP surviving failures, against real strongSwan + BIRD sites through the tunnels:
 * graceful restart of the gateway process (we are the restarting speaker, BIRD the helper), and
 * ECMP over two on-prem devices announcing the same prefix, with one of them dying.
 */
@RequiresHost(binaries = {"charon-systemd", "swanctl", "bird", "birdc", "ping", "bash"})
class BgpTunnelResilienceInteropTest {
  private static final Duration UP = Duration.ofSeconds(40);
  private static final String A = "169.254.21.2";
  private static final String B = "169.254.22.2";

  @TempDir Path dir;

  /**
   * kill -9 of the vpngw process and a new start: the new process finds the heartbeat in its
   * state directory, sends OPEN with Restart State and Forwarding bits, BIRD (graceful restart on)
   * keeps our route stale meanwhile and takes it fresh at our End-of-RIB. The site's kernel route
   * (exported by BIRD) is never deleted.
   */
  @Test
  void gatewayRestartIsGracefulForBird() throws Exception {
    try (BgpTunnelRig rig = BgpTunnelRig.create("bggr", dir, "198.18.2.0/24", 65020, "198.18.3.0/24", 65030)) {
      rig.writeManifests(rig.a);
      rig.startGateway();
      rig.ipsec(rig.a);
      // Hold 30 s: BIRD must learn of the restart from the new process (a TCP reset), not from its hold timer.
      BirdPeer bird = rig.bird(rig.a, List.of(), "  graceful restart on;\n", 30);
      rig.awaitEstablished(rig.a, bird, UP);
      await().atMost(Duration.ofSeconds(10)).until(() -> bird.routesFrom("vpngw").contains(BgpTunnelRig.VNET)
          && !rig.net.exec(rig.a.ns(), "ip", "route", "show", BgpTunnelRig.VNET).isBlank());
      JsonNode first = rig.peer(A);
      assertThat(first.path("gracefulRestart").asBoolean()).as("GR negotiated").isTrue();
      assertThat(rig.bgp().path("restarted").asBoolean()).as("a first start is not a restart").isFalse();
      Path monitor = dir.resolve("route-monitor.log");
      rig.net.start(rig.a.ns(), monitor, "ip", "-o", "monitor", "route");
      Thread.sleep(300);

      long t0 = System.nanoTime();
      rig.crashGateway();
      // Down: BIRD cannot know yet (no FIN/NOTIFICATION leaves a dead process), the route stays.
      Thread.sleep(1500);
      assertThat(bird.routesFrom("vpngw")).contains(BgpTunnelRig.VNET);
      Files.writeString(rig.dir.resolve("vpngw.log"), "\n--- restart ---\n", java.nio.file.StandardOpenOption.APPEND);
      rig.startGateway();
      boolean sawStale = false;
      boolean routeAlways = true;
      long staleAtMs = -1;
      long deadline = System.nanoTime() + UP.toNanos();
      while (System.nanoTime() < deadline) {
        String details = bird.protocolDetails("vpngw");
        boolean stale = details.contains("Neighbor graceful restart active");
        if (stale && !sawStale) {
          staleAtMs = (System.nanoTime() - t0) / 1_000_000;
        }
        sawStale |= stale;
        routeAlways &= bird.routesFrom("vpngw").contains(BgpTunnelRig.VNET);
        if (sawStale && !stale && details.contains("Established")) {
          break;
        }
        Thread.sleep(100);
      }
      long freshMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(sawStale).as("BIRD held our routes as stale (graceful restart)\n" + bird.protocolDetails("vpngw")
          + BgpTunnelRig.tail(rig.gatewayLog(), 3000)).isTrue();
      assertThat(bird.established("vpngw")).isTrue();
      assertThat(routeAlways).as("BIRD had 198.18.1.0/24 at every poll").isTrue();
      assertThat(bird.routesFrom("vpngw")).contains(BgpTunnelRig.VNET);
      assertThat(rig.gatewayLog()).contains("announcing Restart State");
      assertThat(rig.bgp().path("restarted").asBoolean()).isTrue();
      JsonNode again = rig.peer(A);
      assertThat(again.path("fsmState").asText()).isEqualTo("ESTABLISHED");
      assertThat(again.path("restarting").asBoolean()).as("R bit only until the session is back").isFalse();
      Thread.sleep(500);
      String routeEvents = Files.readString(monitor);
      // BIRD's kernel protocol mirrors its table into the main table ("proto bird"); a flush of our
      // routes would show as a deletion there. (libipsec's own table-220 routes churn with the SAs.)
      assertThat(routeEvents.lines().filter(l -> l.startsWith("Deleted 198.18.1.0/24") && l.contains("proto bird")))
          .as("the site's BGP route via the tunnel was never withdrawn:\n" + routeEvents).isEmpty();
      assertThat(rig.net.exec(rig.a.ns(), "ip", "route", "show", BgpTunnelRig.VNET)).contains("via 169.254.21.1", "proto bird");
      // Traffic again over the new process's tunnel.
      assertThat(rig.net.tryExec(rig.a.lanHost(), Duration.ofSeconds(15), "ping", "-c", "3", "-i", "0.2", "-W", "2",
          "198.18.1.2").output()).contains("3 received");
      System.out.println("graceful restart: BIRD saw the restart (stale) " + staleAtMs + " ms after kill -9, fresh again after "
          + freshMs + " ms; route present at every poll; kernel route events during restart: "
          + routeEvents.lines().filter(l -> l.contains("198.18.1.0/24")).toList());
    }
  }

  /**
   * Two on-prem devices of one site (same ASN 65020, one Connection each) both announce
   * 198.18.3.0/24: the FIB holds both next hops and flows spread over both tunnels. When device A
   * dies, the prefix keeps B's next hop and traffic continues.
   */
  @Test
  void ecmpOverTwoDevicesAndFailoverToTheSurvivor() throws Exception {
    try (BgpTunnelRig rig = BgpTunnelRig.create("bgec", dir, "198.18.3.0/24", 65020, "198.18.3.0/24", 65020)) {
      rig.writeManifests(rig.a, rig.b);
      rig.startGateway();
      StrongSwanPeer swA = rig.ipsec(rig.a);
      StrongSwanPeer swB = rig.ipsec(rig.b);
      BirdPeer birdA = rig.bird(rig.a);
      BirdPeer birdB = rig.bird(rig.b);
      rig.awaitEstablished(rig.a, birdA, UP);
      rig.awaitEstablished(rig.b, birdB, UP);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(rig.nextHops("198.18.3.0/24")).containsExactlyInAnyOrder(A, B));

      // 64 UDP flows (each datagram from a new socket: a new source port) from the VNet host.
      long aBefore = rig.egressBytes("to-a");
      long bBefore = rig.egressBytes("to-b");
      long swABefore = bytesIn(swA);
      long swBBefore = bytesIn(swB);
      sendFlows(rig, 64);
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(rig.egressBytes("to-a") - aBefore).as("tunnel to-a carried flows").isGreaterThan(20_000);
        assertThat(rig.egressBytes("to-b") - bBefore).as("tunnel to-b carried flows").isGreaterThan(20_000);
      });
      long aShare = rig.egressBytes("to-a") - aBefore;
      long bShare = rig.egressBytes("to-b") - bBefore;
      long swAShare = bytesIn(swA) - swABefore;
      long swBShare = bytesIn(swB) - swBBefore;
      assertThat(swAShare).as("strongSwan A decrypted its share").isGreaterThan(20_000);
      assertThat(swBShare).as("strongSwan B decrypted its share").isGreaterThan(20_000);

      // Device A dies: its IKE SA is deleted (the gateway sees the tunnel go), then charon is gone.
      Path ping = dir.resolve("ping.log");
      rig.net.start(rig.host, ping, "ping", "-i", "0.05", "-W", "1", "-c", "140", rig.a.lanHostAddress());
      Thread.sleep(1500);
      long t0 = System.nanoTime();
      // Unload A's connection first so the gateway's immediate re-dial finds nothing to talk to.
      swA.load("connections {\n}\nsecrets {\n}\n");
      TestNetwork.Result term = swA.terminateIke("gw");
      swA.kill();
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
          rig.nextHops("198.18.3.0/24").equals(List.of(B)));
      long convergedMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(term.exitCode()).as(term.output()).isZero();
      long aAfter = rig.egressBytes("to-a");
      long bAfter = rig.egressBytes("to-b");
      sendFlows(rig, 64);
      await().atMost(Duration.ofSeconds(5)).until(() -> rig.egressBytes("to-b") - bAfter > 50_000);
      assertThat(rig.egressBytes("to-a")).as("nothing more into the dead tunnel").isEqualTo(aAfter);
      await().atMost(Duration.ofSeconds(15)).until(() -> Files.readString(ping).contains("packet loss"));
      String pingOut = Files.readString(ping);
      assertThat(rig.net.tryExec(rig.host, Duration.ofSeconds(15), "ping", "-c", "5", "-i", "0.2", "-W", "2",
          rig.b.lanHostAddress()).output()).as("traffic continues over B").contains("5 received");
      String summary = pingOut.lines().filter(l -> l.contains("packet loss")).findFirst().orElse(pingOut);
      int received = Integer.parseInt(summary.replaceAll(".* (\\d+) received.*", "$1"));
      assertThat(received).as(pingOut).isGreaterThan(100);
      System.out.println("ECMP: 64 flows -> to-a " + aShare + " B, to-b " + bShare + " B (strongSwan in A " + swAShare
          + " B, B " + swBShare + " B); device A killed: FIB down to [" + B + "] after " + convergedMs
          + " ms; 64 more flows all on to-b (+" + (rig.egressBytes("to-b") - bAfter) + " B, to-a +0); ping during failover: "
          + summary);
    }
  }

  /** {@code n} UDP flows of 20 × 1,000 bytes each from the VNet host to the shared LAN host. */
  private static void sendFlows(BgpTunnelRig rig, int n) {
    String script = "for f in $(seq 1 " + n + "); do exec 3>/dev/udp/198.18.3.10/$((7000 + f)); "
        + "for i in $(seq 1 20); do head -c 1000 /dev/zero >&3; done; exec 3>&-; done";
    TestNetwork.Result r = rig.net.tryExec(rig.host, Duration.ofSeconds(30), "bash", "-c", script);
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  private static long bytesIn(StrongSwanPeer sw) {
    return sw.listSas().stream().flatMap(s -> s.children().stream())
        .mapToLong(c -> c.get("bytes-in") == null ? 0 : Long.parseLong(c.get("bytes-in"))).sum();
  }
}
