package dev.vpngw.dataplane.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.testsupport.BirdPeer;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.StrongSwanPeer;
import dev.vpngw.dataplane.testsupport.SwanctlConf;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import dev.vpngw.dataplane.testsupport.VpngwProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
  private static final String KEY = "bgp-tunnel-psk-0123456789";

  @TempDir Path dir;

  static String manifests() {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData: {psk: %s}
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: VirtualNetworkGateway
        metadata: {name: gw}
        spec:
          sku: VpnGw1AZ
          enableBgp: true
          bgpSettings:
            asn: 65010
            bgpPeeringAddresses:
              - {instance: 0, customBgpIpAddresses: [169.254.21.1, 169.254.22.1]}
          addressSpace: [198.18.1.0/24]
          instances: [{publicIpAddress: 192.0.2.10}]
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: LocalNetworkGateway
        metadata: {name: site-a}
        spec:
          gatewayIpAddress: 192.0.2.21
          bgpSettings: {asn: 65020, bgpPeeringAddress: 169.254.21.2}
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: LocalNetworkGateway
        metadata: {name: site-b}
        spec:
          gatewayIpAddress: 192.0.2.22
          bgpSettings: {asn: 65030, bgpPeeringAddress: 169.254.22.2}
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: Connection
        metadata: {name: to-a}
        spec:
          connectionType: IPsec
          virtualNetworkGateway1: {name: gw}
          localNetworkGateway2: {name: site-a}
          sharedKey: {secretKeyRef: {name: keys, key: psk}}
          enableBgp: true
          dpdTimeoutSeconds: 9
          gatewayCustomBgpIpAddresses: [{instance: 0, customBgpIpAddress: 169.254.21.1}]
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: Connection
        metadata: {name: to-b}
        spec:
          connectionType: IPsec
          virtualNetworkGateway1: {name: gw}
          localNetworkGateway2: {name: site-b}
          sharedKey: {secretKeyRef: {name: keys, key: psk}}
          enableBgp: true
          dpdTimeoutSeconds: 9
          gatewayCustomBgpIpAddresses: [{instance: 0, customBgpIpAddress: 169.254.22.1}]
        """.formatted(KEY);
  }

  /** The site's IPsec: its prefix and APIPA address to the VNet, the other site and our APIPA address. */
  static String swanctl(String self, String sitePrefix, String siteBgp, String otherSite, String gwBgp) {
    return new SwanctlConf(self, "192.0.2.10", sitePrefix + ", " + siteBgp + "/32",
        "198.18.1.0/24, " + otherSite + ", " + gwBgp + "/32", "aes256-sha256-modp2048", "aes256gcm16", KEY).render();
  }

  static String bird(String routerId, long asn, String local, String neighbor, String prefix) {
    return "log \"@LOG@\" all;\nrouter id " + routerId + ";\nprotocol device { scan time 1; }\n"
        + "protocol static st4 { ipv4; route " + prefix + " unreachable; }\n"
        // Learned routes go to the site's kernel table: the site forwards by what BGP taught it.
        + "protocol kernel { ipv4 { export where source = RTS_BGP; }; }\n"
        + BirdPeer.bgp("vpngw", local, asn, neighbor, 65010, false,
            "  ipv4 { import all; export where proto = \"st4\"; };\n");
  }

  /** strongSwan + BIRD on one site; the site's ipsec0 gets a point-to-point address to our APIPA address. */
  private record Site(StrongSwanPeer ipsec, BirdPeer bird) {}

  private Site site(TestNetwork net, String ns, String wan, String name, String self, String prefix, String siteBgp,
      String other, String gwBgp, long asn) throws Exception {
    StrongSwanPeer sw = StrongSwanPeer.start(net, ns, wan, dir.resolve(name + "-sw"), Map.of());
    sw.load(swanctl(self, prefix, siteBgp, other, gwBgp));
    await().atMost(Duration.ofSeconds(10)).until(() ->
        net.tryExec(ns, Duration.ofSeconds(5), "ip", "link", "show", "ipsec0").exitCode() == 0);
    net.exec(ns, "ip", "link", "set", "ipsec0", "up");
    net.exec(ns, "ip", "addr", "add", siteBgp, "peer", gwBgp, "dev", "ipsec0");
    return new Site(sw, BirdPeer.start(net, ns, dir.resolve(name + "-bird"), bird(siteBgp, asn, siteBgp, gwBgp, prefix)));
  }

  @Test
  void sitesLearnEachOtherThroughTheGatewayAndLoseTheRoutesWithTheTunnel() throws Exception {
    try (TestNetwork net = TestNetwork.create("bgt")) {
      TwoSitesProgramInteropTest.Sites s = TwoSitesProgramInteropTest.build(net);
      Site a = site(net, s.siteA(), s.wanA(), "a", "192.0.2.21", "198.18.2.0/24", "169.254.21.2",
          "198.18.3.0/24", "169.254.21.1", 65020);
      BirdPeer birdA = a.bird();
      Site b = site(net, s.siteB(), s.wanB(), "b", "192.0.2.22", "198.18.3.0/24", "169.254.22.2",
          "198.18.2.0/24", "169.254.22.1", 65030);
      BirdPeer birdB = b.bird();
      Path config = Files.createDirectories(dir.resolve("config"));
      Files.writeString(config.resolve("gateway.yaml"), manifests());
      Path log = dir.resolve("vpngw.log");
      VpngwProcess.start(net, s.gw(), log, "run", "-f", config.toString(), "--instance", "0", "--admin-port", "9090");

      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        assertThat(birdA.established("vpngw")).as(Files.readString(log) + birdA.protocolDetails("vpngw")).isTrue();
        assertThat(birdB.established("vpngw")).isTrue();
        assertThat(birdA.routesFrom("vpngw")).contains("198.18.1.0/24", "198.18.3.0/24");
        assertThat(birdB.routesFrom("vpngw")).contains("198.18.1.0/24", "198.18.2.0/24");
      });
      assertThat(birdA.birdc("show", "route", "198.18.3.0/24", "all")).as("transit path").contains("65010 65030");
      String status = VpngwProcess.run(net, s.gw(), "status").output();
      assertThat(status).contains("Established");

      // VNet host -> site A and site A host -> site B (transit), each by learned routes only.
      assertThat(net.tryExec(s.host(), Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", "198.18.2.2")
          .output()).as(status).contains("3 received");
      assertThat(net.tryExec(s.hostA(), Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", "198.18.3.2")
          .output()).as(status).contains("3 received");

      // Site B's IPsec dies: DPD ends the tunnel, BGP's hold timer the session; B's prefix leaves A.
      b.ipsec().kill();
      long lost = System.nanoTime();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
          assertThat(birdA.routesFrom("vpngw")).doesNotContain("198.18.3.0/24"));
      System.out.println("site B's prefix withdrawn from site A " + (System.nanoTime() - lost) / 1_000_000
          + " ms after its tunnel died");
      assertThat(net.tryExec(s.host(), Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", "198.18.2.2")
          .output()).as("site A unaffected").contains("3 received");
    }
  }
}
