package dev.vpngw.dataplane.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.testsupport.NatRouter;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.StrongSwanPeer;
import dev.vpngw.dataplane.testsupport.SwanctlConf;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import dev.vpngw.dataplane.testsupport.VpngwProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real NAT (nftables source NAT in a router namespace, with translated ports outside 500/4500)
 * between {@code vpngw run} and an unmodified strongSwan, each side behind it in turn; ESP rides the
 * translated UDP 4500 mapping. strongSwan with kernel-libipsec always fakes its NAT_DETECTION_SOURCE_IP
 * (libipsec needs UDP encapsulation), so vpngw always sees "peer behind NAT (or forcing
 * encapsulation)"; whether vpngw itself is behind the NAT is what NAT detection really tells here.
 *
 * <pre>
 * a) hostL ─ gw (vpngw) 198.18.3.2 ─ NAT 198.18.0.1 ══ 198.18.0.2 strongSwan ─ hostR
 * b) hostL ─ gw (vpngw) 198.18.0.1 ══ 198.18.0.2 NAT ─ 198.18.4.2 strongSwan ─ hostR
 * </pre>
 */
@RequiresHost(binaries = {"charon-systemd", "swanctl", "ping", "nft"})
class NatTraversalInteropTest {
  private static final String PSK = "nat-traversal-psk-0123456789";
  private static final Pattern REMOTE = Pattern.compile("\"remoteEndpoint\" : \"198\\.18\\.0\\.2:(\\d+)\"");

  @TempDir Path dir;

  static String manifests(String publicIp, String peerPublicIp, String mode, int dpd) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: onprem-psk}
        stringData: {sharedKey: %s}
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: VirtualNetworkGateway
        metadata: {name: gw}
        spec:
          sku: VpnGw1AZ
          addressSpace: [198.18.1.0/24]
          instances:
            - publicIpAddress: %s
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: LocalNetworkGateway
        metadata: {name: onprem}
        spec:
          gatewayIpAddress: %s
          localNetworkAddressSpace: [198.18.2.0/24]
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: Connection
        metadata: {name: to-onprem}
        spec:
          connectionType: IPsec
          connectionMode: %s
          virtualNetworkGateway1: {name: gw}
          localNetworkGateway2: {name: onprem}
          sharedKey: {secretKeyRef: {name: onprem-psk, key: sharedKey}}
          dpdTimeoutSeconds: %d
        """.formatted(PSK, publicIp, peerPublicIp, mode, dpd);
  }

  private Process startVpngw(TestNetwork net, String ns, String yaml, String localAddress, Map<String, String> env)
      throws Exception {
    Path config = Files.createDirectories(dir.resolve("config"));
    Files.writeString(config.resolve("gateway.yaml"), yaml);
    Files.writeString(dir.resolve("token"), "nat-admin-token\n");
    return VpngwProcess.start(net, ns, dir.resolve("vpngw.log"), env, "run", "-f", config.toString(), "--instance",
        "0", "--local-address", localAddress, "--admin-port", "9090", "--admin-token-file",
        dir.resolve("token").toString());
  }

  private String vpngwLog() throws Exception {
    return Files.readString(dir.resolve("vpngw.log"));
  }

  private static void awaitRoutes(TestNetwork net, String gw) {
    VpngwProcess.awaitTunnelRoute(net, gw, "198.18.2.2");
  }

  private static String status(TestNetwork net, String gw) {
    return VpngwProcess.admin(net, gw, 9090, "/status");
  }

  private static String metrics(TestNetwork net, String gw) {
    return VpngwProcess.admin(net, gw, 9090, "/metrics");
  }

  private static String ping(TestNetwork net, String from, String to, int count) {
    return net.tryExec(from, Duration.ofSeconds(30), "ping", "-c", String.valueOf(count), "-i", "0.2", "-W", "2", to)
        .output();
  }

  /**
   * vpngw (pod address 198.18.3.2, public 198.18.0.1 on the NAT) dials strongSwan. Both sides see
   * the NAT where it is, IKE floats to 4500 and ESP flows through the translated port, and NAT-T
   * keepalives (every second here) hold the mapping through an idle period longer than the router's
   * 4 s UDP timeout, so the outside host can still reach in.
   */
  @Test
  void vpngwBehindNatDialsStrongSwan() throws Exception {
    try (TestNetwork net = TestNetwork.create("nata")) {
      String hostL = net.namespace("hl");
      String gw = net.namespace("gw");
      String nat = net.namespace("nat");
      String peer = net.namespace("sw");
      String hostR = net.namespace("hr");
      net.veth(hostL, "198.18.1.2/24", gw, "198.18.1.1/24");
      net.veth(gw, "198.18.3.2/30", nat, "198.18.3.1/30");
      String[] wire = net.veth(nat, "198.18.0.1/30", peer, "198.18.0.2/30");
      net.veth(peer, "198.18.2.1/24", hostR, "198.18.2.2/24");
      net.exec(hostL, "ip", "route", "add", "default", "via", "198.18.1.1");
      net.exec(hostR, "ip", "route", "add", "default", "via", "198.18.2.1");
      net.exec(gw, "ip", "route", "add", "default", "via", "198.18.3.1");
      net.exec(gw, "sysctl", "-qw", "net.ipv4.ip_forward=1");
      net.exec(peer, "sysctl", "-qw", "net.ipv4.ip_forward=1");
      NatRouter router = NatRouter.create(net, nat, wire[0]);
      router.snat(null, "40000-40999");
      router.count("keepalives", "oifname \"" + wire[0] + "\" udp length 9 @th,64,8 0xff");
      router.count("esp_out", "oifname \"" + wire[0] + "\" udp dport 4500 udp length > 9 @th,64,32 != 0");
      router.udpTimeouts(4);

      StrongSwanPeer sw = StrongSwanPeer.start(net, peer, wire[1], dir.resolve("sw"), Map.of());
      sw.load(new SwanctlConf("198.18.0.2", "198.18.0.1", "198.18.2.0/24", "198.18.1.0/24",
          "aes256-sha256-modp2048, aes256-sha256-modp1024", "aes256gcm16, aes256-sha1", PSK)
          .render());
      // DPD probes would refresh the mapping too: make them rare so the keepalives are what holds it.
      Process vpngw = startVpngw(net, gw, manifests("198.18.0.1", "198.18.0.2", "Default", 45), "198.18.3.2",
          Map.of("VPNGW_NATT_KEEPALIVE", "1s"));
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        assertThat(vpngw.isAlive()).as(vpngwLog()).isTrue();
        assertThat(status(net, gw)).as(vpngwLog()).contains("\"Connected\"");
      });
      awaitRoutes(net, gw);

      StrongSwanPeer.Sa sa = sw.listSas().getFirst();
      assertThat(sa.get("state")).isEqualTo("ESTABLISHED");
      assertThat(sa.get("remote-host")).isEqualTo("198.18.0.1");
      int natPort = Integer.parseInt(sa.get("remote-port"));
      assertThat(natPort).as("strongSwan sees vpngw's IKE on the translated 4500 mapping").isBetween(40000, 40999);
      assertThat(sa.get("local-port")).isEqualTo("4500");
      assertThat(sa.get("nat-remote")).as("strongSwan found the NAT in front of vpngw").isEqualTo("yes");
      assertThat(sa.get("nat-local")).as("strongSwan itself is not behind a NAT").isNotEqualTo("yes");

      String json = status(net, gw);
      assertThat(json).contains("\"localEndpoint\" : \"198.18.3.2:4500\"")
          .contains("\"remoteEndpoint\" : \"198.18.0.2:4500\"").contains("\"NatTraversal\"")
          .contains("this gateway is behind a NAT");
      assertThat(vpngwLog()).contains("NAT: this gateway is behind a NAT");
      assertThat(metrics(net, gw))
          .contains("vpngw_tunnel_behind_nat{gateway=\"gw\",side=\"local\",tunnel=\"to-onprem/0\"} 1.0");

      assertThat(ping(net, hostL, "198.18.2.2", 5)).as(vpngwLog() + sw.log()).contains("5 received");
      assertThat(router.packets("esp_out")).as("ESP left through the NAT on UDP 4500").isGreaterThanOrEqualTo(5);

      // Idle for longer than the router's UDP timeout: only keepalives (1/s) keep the mapping.
      long keepalivesBefore = router.packets("keepalives");
      Thread.sleep(7000);
      long keepalives = router.packets("keepalives") - keepalivesBefore;
      assertThat(keepalives).as("NAT-T keepalives through the router in 7 s").isGreaterThanOrEqualTo(4);
      assertThat(router.conntrack()).as("mapping still there").contains("dport=" + natPort);
      // strongSwan sends first: its ESP must find vpngw's mapping still open.
      assertThat(ping(net, hostR, "198.18.1.2", 5)).as(vpngwLog() + sw.log()).contains("5 received");
      assertThat(sw.listSas().getFirst().get("remote-port")).isEqualTo(String.valueOf(natPort));
      System.out.printf("vpngw behind NAT: IKE/ESP mapped 198.18.3.2:4500 -> 198.18.0.1:%d, %d keepalives in 7 s idle%n",
          natPort, keepalives);
    }
  }

  /**
   * strongSwan (198.18.4.2 behind a NAT whose public address 198.18.0.2 is the LocalNetworkGateway's
   * gatewayIpAddress) dials vpngw. vpngw answers and sends ESP to the translated port. Then the
   * mapping moves twice (rule replaced with another port range, old mapping left to expire): once
   * found by the next authenticated ESP packet, once by the next IKE request; each time vpngw
   * follows (RFC 7296 §2.23) and traffic resumes.
   */
  @Test
  void strongSwanBehindNatDialsVpngwWhichFollowsMappingChanges() throws Exception {
    try (TestNetwork net = TestNetwork.create("natb")) {
      String hostL = net.namespace("hl");
      String gw = net.namespace("gw");
      String nat = net.namespace("nat");
      String peer = net.namespace("sw");
      String hostR = net.namespace("hr");
      net.veth(hostL, "198.18.1.2/24", gw, "198.18.1.1/24");
      String[] wire = net.veth(gw, "198.18.0.1/30", nat, "198.18.0.2/30");
      String[] inside = net.veth(nat, "198.18.4.1/30", peer, "198.18.4.2/30");
      net.veth(peer, "198.18.2.1/24", hostR, "198.18.2.2/24");
      net.exec(hostL, "ip", "route", "add", "default", "via", "198.18.1.1");
      net.exec(hostR, "ip", "route", "add", "default", "via", "198.18.2.1");
      net.exec(peer, "ip", "route", "add", "default", "via", "198.18.4.1");
      net.exec(gw, "sysctl", "-qw", "net.ipv4.ip_forward=1");
      net.exec(peer, "sysctl", "-qw", "net.ipv4.ip_forward=1");
      NatRouter router = NatRouter.create(net, nat, wire[1]);
      router.snat("198.18.0.2", "41000-41099");
      router.udpTimeouts(3);

      // strongSwan, behind the NAT, keeps its mapping open with keepalives (the router forgets idle ones after 3 s).
      StrongSwanPeer sw = StrongSwanPeer.start(net, peer, inside[1], dir.resolve("sw"), Map.of("keep_alive", "1s"));
      sw.load(new SwanctlConf("198.18.4.2", "198.18.0.1", "198.18.2.0/24", "198.18.1.0/24",
          "aes256-sha256-modp2048, aes256-sha256-modp1024", "aes256gcm16, aes256-sha1", PSK)
          .render("198.18.0.2", true));
      Process vpngw = startVpngw(net, gw, manifests("198.18.0.1", "198.18.0.2", "ResponderOnly", 45), "198.18.0.1",
          Map.of());
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
          .until(() -> status(net, gw).contains("to-onprem"));
      assertThat(sw.initiate("net", "gw").output()).as(vpngwLog() + sw.log()).contains("initiate completed successfully");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(status(net, gw)).as(vpngwLog()).contains("\"Connected\""));
      awaitRoutes(net, gw);

      int port1 = remotePort(status(net, gw));
      assertThat(port1).as("vpngw sees strongSwan's 4500 on the translated port").isBetween(41000, 41099);
      StrongSwanPeer.Sa sa = sw.listSas().getFirst();
      assertThat(sa.get("nat-local")).as("strongSwan found itself behind the NAT").isEqualTo("yes");
      assertThat(status(net, gw)).contains("the peer is behind a NAT").doesNotContain("this gateway is behind a NAT");
      assertThat(metrics(net, gw))
          .contains("vpngw_tunnel_behind_nat{gateway=\"gw\",side=\"remote\",tunnel=\"to-onprem/0\"} 1.0")
          .contains("vpngw_tunnel_behind_nat{gateway=\"gw\",side=\"local\",tunnel=\"to-onprem/0\"} 0.0");
      assertThat(ping(net, hostL, "198.18.2.2", 3)).as("vpngw sends ESP to the translated port" + vpngwLog()
          + net.tryExec(peer, Duration.ofSeconds(5), "ip", "route", "show", "table", "all").output()
          + sw.swanctl("--list-sas") + router.conntrack() + sw.log()).contains("3 received");

      // Mapping change 1: a NAT outage lets the mapping expire, then it comes back with another port
      // range; strongSwan's ESP (not its unauthenticated keepalives) shows vpngw the new port.
      remap(router, port1, "42000-42099");
      String first = ping(net, hostR, "198.18.1.2", 5);
      int port2 = remotePort(status(net, gw));
      assertThat(port2).as("vpngw followed the mapping from ESP" + vpngwLog()).isBetween(42000, 42099);
      assertThat(received(first)).as(first + vpngwLog()).isGreaterThanOrEqualTo(4);
      assertThat(vpngwLog()).contains("peer endpoint moved /198.18.0.2:" + port1 + " -> /198.18.0.2:" + port2
          + " (authenticated ESP");
      assertThat(ping(net, hostL, "198.18.2.2", 3)).contains("3 received");

      // Mapping change 2: this time strongSwan's next IKE request (a child rekey) comes first.
      remap(router, port2, "43000-43099");
      assertThat(sw.rekeyChild("net").exitCode()).isZero();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(remotePort(status(net, gw))).isBetween(43000, 43099));
      int port3 = remotePort(status(net, gw));
      assertThat(vpngwLog()).contains("-> /198.18.0.2:" + port3 + " (authenticated IKE request");
      String second = ping(net, hostL, "198.18.2.2", 5);
      assertThat(second).as("vpngw sends first, to the new mapping" + vpngwLog()).contains("5 received");
      assertThat(status(net, gw)).contains("\"Connected\"").contains("peer endpoint moved 2 time(s)");
      assertThat(metrics(net, gw)).contains("vpngw_peer_endpoint_moves_total{gateway=\"gw\",tunnel=\"to-onprem/0\"} 2.0");
      System.out.printf("strongSwan behind NAT: ports %d -> %d (ESP, %d/5 pings) -> %d (IKE, %d/5 pings)%n",
          port1, port2, received(first), port3, received(second));
    }
  }

  private static int remotePort(String statusJson) {
    Matcher m = REMOTE.matcher(statusJson);
    assertThat(m.find()).as(statusJson).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static int received(String pingOutput) {
    Matcher m = Pattern.compile("(\\d+) received").matcher(pingOutput);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  /** Outage until the mapping to {@code oldPort} has timed out, then NAT to {@code ports} from now on. */
  private static void remap(NatRouter router, int oldPort, String ports) {
    router.outage(true);
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
        .until(() -> !router.conntrack().contains("dport=" + oldPort + " "));
    router.snat("198.18.0.2", ports);
    router.outage(false);
  }
}
