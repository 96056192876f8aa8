package dev.vpngw.dataplane.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * One vpngw gateway, two on-prem sites (two real strongSwans) on a shared "internet" segment:
 *
 * <pre>
 *                                   ┌─ 192.0.2.21 site-a (strongSwan) ─ 198.18.2.2 host-a
 * host 198.18.1.2 ─ gw 192.0.2.10 ─ br
 *                                   └─ 192.0.2.22 site-b (strongSwan) ─ 198.18.3.2 host-b
 * </pre>
 *
 * Both tunnels run at once; a wrong key or a dead peer on one site shows up in that connection's
 * status with the right reason while the other keeps carrying traffic; fixing the manifest
 * re-negotiates only that connection; a restarted peer is dialled again.
 */
@RequiresHost(binaries = {"charon-systemd", "swanctl", "ping"})
class TwoSitesProgramInteropTest {
  private static final String KEY_A = "site-a-psk-0123456789";
  private static final String KEY_B = "site-b-psk-0123456789";

  @TempDir Path dir;

  record Sites(TestNetwork net, String host, String gw, String siteA, String siteB, String hostA, String hostB,
      String wanA, String wanB) {}

  static Sites build(TestNetwork net) {
    String inet = net.namespace("in");
    String host = net.namespace("h");
    String gw = net.namespace("gw");
    String siteA = net.namespace("sa");
    String siteB = net.namespace("sb");
    String hostA = net.namespace("ha");
    String hostB = net.namespace("hb");
    net.exec(inet, "ip", "link", "add", "br0", "type", "bridge");
    net.exec(inet, "ip", "link", "set", "br0", "up");
    String[] wans = new String[3];
    String[][] ends = {{gw, "192.0.2.10/24"}, {siteA, "192.0.2.21/24"}, {siteB, "192.0.2.22/24"}};
    for (int i = 0; i < ends.length; i++) {
      String[] ifs = net.veth(inet, "198.19.255." + (1 + i) + "/32", ends[i][0], ends[i][1]);
      net.exec(inet, "ip", "addr", "flush", "dev", ifs[0]);
      net.exec(inet, "ip", "link", "set", ifs[0], "master", "br0");
      wans[i] = ifs[1];
    }
    net.veth(host, "198.18.1.2/24", gw, "198.18.1.1/24");
    net.veth(siteA, "198.18.2.1/24", hostA, "198.18.2.2/24");
    net.veth(siteB, "198.18.3.1/24", hostB, "198.18.3.2/24");
    net.exec(host, "ip", "route", "add", "default", "via", "198.18.1.1");
    net.exec(hostA, "ip", "route", "add", "default", "via", "198.18.2.1");
    net.exec(hostB, "ip", "route", "add", "default", "via", "198.18.3.1");
    for (String ns : new String[] {gw, siteA, siteB}) {
      net.exec(ns, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    }
    return new Sites(net, host, gw, siteA, siteB, hostA, hostB, wans[1], wans[2]);
  }

  static String manifests(String keyForB) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData: {site-a: %s, site-b: %s}
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: VirtualNetworkGateway
        metadata: {name: gw}
        spec:
          sku: VpnGw1AZ
          addressSpace: [198.18.1.0/24]
          instances: [{publicIpAddress: 192.0.2.10}]
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: LocalNetworkGateway
        metadata: {name: site-a}
        spec: {gatewayIpAddress: 192.0.2.21, localNetworkAddressSpace: [198.18.2.0/24]}
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: LocalNetworkGateway
        metadata: {name: site-b}
        spec: {gatewayIpAddress: 192.0.2.22, localNetworkAddressSpace: [198.18.3.0/24]}
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: Connection
        metadata: {name: to-a}
        spec:
          connectionType: IPsec
          virtualNetworkGateway1: {name: gw}
          localNetworkGateway2: {name: site-a}
          sharedKey: {secretKeyRef: {name: keys, key: site-a}}
          dpdTimeoutSeconds: 9
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: Connection
        metadata: {name: to-b}
        spec:
          connectionType: IPsec
          virtualNetworkGateway1: {name: gw}
          localNetworkGateway2: {name: site-b}
          sharedKey: {secretKeyRef: {name: keys, key: site-b}}
          dpdTimeoutSeconds: 9
        """.formatted(KEY_A, keyForB);
  }

  static String swanctl(String self, String site, String key) {
    return new SwanctlConf(self, "192.0.2.10", site, "198.18.1.0/24", "aes256-sha256-modp2048", "aes256gcm16", key)
        .render();
  }

  private static String status(TestNetwork net, String gw) {
    return VpngwProcess.run(net, gw, "status", "--json").output();
  }

  private static String connectionJson(String statusJson, String connection) {
    int at = statusJson.indexOf("\"name\" : \"" + connection + "\"");
    if (at < 0) {
      return "";
    }
    int next = statusJson.indexOf("\"name\" : \"to-", at + 10);
    return statusJson.substring(at, next < 0 ? statusJson.length() : next);
  }

  private static String inboundSpi(String connectionJson) {
    Matcher m = Pattern.compile("\"inboundSpi\" : \"([0-9a-f]{8})\"").matcher(connectionJson);
    return m.find() ? m.group(1) : null;
  }

  private StrongSwanPeer site(TestNetwork net, String ns, String wan, String name, String self, String prefix,
      String key) throws Exception {
    StrongSwanPeer peer = StrongSwanPeer.start(net, ns, wan, dir.resolve(name), Map.of());
    peer.load(swanctl(self, prefix, key));
    return peer;
  }

  @Test
  void wrongKeyOnOneSiteLeavesTheOtherRunningAndAFixedManifestReconnectsOnlyThatSite() throws Exception {
    try (TestNetwork net = TestNetwork.create("two")) {
      Sites s = build(net);
      StrongSwanPeer a = site(net, s.siteA(), s.wanA(), "a", "192.0.2.21", "198.18.2.0/24", KEY_A);
      site(net, s.siteB(), s.wanB(), "b", "192.0.2.22", "198.18.3.0/24", KEY_B);
      Path config = Files.createDirectories(dir.resolve("config"));
      Files.writeString(config.resolve("gateway.yaml"), manifests("not-the-key-site-b-uses"));
      Path log = dir.resolve("vpngw.log");
      VpngwProcess.start(net, s.gw(), log, "run", "-f", config.toString(), "--instance", "0", "--admin-port", "9090",
          "--reload-interval", "500ms");

      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        String st = status(net, s.gw());
        assertThat(connectionJson(st, "to-a")).as(Files.readString(log)).contains("\"connectionStatus\" : \"Connected\"");
        assertThat(connectionJson(st, "to-b")).as(st).contains("\"connectionStatus\" : \"NotConnected\"")
            .contains("AuthenticationFailed");
      });
      TestNetwork.Result ping = net.tryExec(s.host(), Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2",
          "198.18.2.2");
      assertThat(ping.output()).as("site A carries traffic while site B fails").contains("3 received");
      String spiA = inboundSpi(connectionJson(status(net, s.gw()), "to-a"));
      assertThat(spiA).isNotNull();
      assertThat(Files.readString(log)).doesNotContain(KEY_A).doesNotContain(KEY_B).doesNotContain("not-the-key");

      // The user fixes the key in the manifest: only to-b is re-negotiated.
      Files.writeString(config.resolve("gateway.yaml"), manifests(KEY_B));
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(connectionJson(status(net, s.gw()), "to-b")).contains("\"connectionStatus\" : \"Connected\""));
      assertThat(inboundSpi(connectionJson(status(net, s.gw()), "to-a"))).as("to-a untouched by the reload")
          .isEqualTo(spiA);
      ping = net.tryExec(s.host(), Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", "198.18.3.2");
      assertThat(ping.output()).as(Files.readString(log)).contains("3 received");
    }
  }

  @Test
  void deadPeerIsDetectedAndDialledAgainWhenItComesBack() throws Exception {
    try (TestNetwork net = TestNetwork.create("dpd")) {
      Sites s = build(net);
      StrongSwanPeer a = site(net, s.siteA(), s.wanA(), "a", "192.0.2.21", "198.18.2.0/24", KEY_A);
      site(net, s.siteB(), s.wanB(), "b", "192.0.2.22", "198.18.3.0/24", KEY_B);
      Path config = Files.createDirectories(dir.resolve("config"));
      Files.writeString(config.resolve("gateway.yaml"), manifests(KEY_B));
      Path log = dir.resolve("vpngw.log");
      VpngwProcess.start(net, s.gw(), log, "run", "-f", config.toString(), "--instance", "0", "--admin-port", "9090");
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        String st = status(net, s.gw());
        assertThat(connectionJson(st, "to-a")).as(Files.readString(log)).contains("\"connectionStatus\" : \"Connected\"");
        assertThat(connectionJson(st, "to-b")).contains("\"connectionStatus\" : \"Connected\"");
      });

      a.kill();
      long killed = System.nanoTime();
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
          assertThat(connectionJson(status(net, s.gw()), "to-a")).as(Files.readString(log))
              .doesNotContain("\"connectionStatus\" : \"Connected\""));
      long detectedMs = (System.nanoTime() - killed) / 1_000_000;
      System.out.println("dead peer detected after " + detectedMs + " ms (dpdTimeoutSeconds 9)");
      assertThat(detectedMs).as("within dpdTimeoutSeconds (9 s) plus the status poll").isLessThan(11_000);
      TestNetwork.Result pingB = net.tryExec(s.host(), Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2",
          "198.18.3.2");
      assertThat(pingB.output()).as("site B unaffected").contains("3 received");

      try (StrongSwanPeer again = StrongSwanPeer.start(net, s.siteA(), s.wanA(), dir.resolve("a2"), Map.of())) {
        again.load(swanctl("192.0.2.21", "198.18.2.0/24", KEY_A));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
            assertThat(connectionJson(status(net, s.gw()), "to-a")).as(Files.readString(log))
                .contains("\"connectionStatus\" : \"Connected\""));
        TestNetwork.Result pingA = net.tryExec(s.host(), Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W",
            "2", "198.18.2.2");
        assertThat(pingA.output()).as(Files.readString(log)).contains("3 received");
      }
    }
  }
}
