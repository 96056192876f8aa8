package dev.vpngw.dataplane.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.status.InstanceStatus;
import dev.vpngw.dataplane.status.StatusJson;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.SiteToSiteLine;
import dev.vpngw.dataplane.testsupport.StrongSwanPeer;
import dev.vpngw.dataplane.testsupport.SwanctlConf;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import dev.vpngw.dataplane.testsupport.VpngwProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy-based ({@code usePolicyBasedTrafficSelectors}) between {@code vpngw run} and an unmodified
 * strongSwan: two gateway prefixes × two site prefixes are four child SAs under one IKE SA, each
 * carrying its own pair's traffic, each rekeyed on its own.
 *
 * <pre>
 * hostL 198.18.1.2 + 198.18.3.2 ─ gw (vpngw) ══ 4 CHILD_SAs ══ strongSwan ─ hostR 198.18.2.2 + 198.18.4.2
 * </pre>
 */
@RequiresHost(binaries = {"charon-systemd", "swanctl", "ping"})
class PolicyBasedInteropTest {
  private static final String PSK = "policy-based-test-psk-0123456789";
  static final List<String> VNET = List.of("198.18.1.0/24", "198.18.3.0/24");
  static final List<String> SITE = List.of("198.18.2.0/24", "198.18.4.0/24");
  /** hostL's address in each VNet prefix, hostR's in each site prefix. */
  static final Map<String, String> HOST = Map.of("198.18.1.0/24", "198.18.1.2", "198.18.3.0/24", "198.18.3.2",
      "198.18.2.0/24", "198.18.2.2", "198.18.4.0/24", "198.18.4.2");

  @TempDir Path dir;

  static String manifests(String connectionMode) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: branch-psk}
        stringData: {sharedKey: %s}
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: VirtualNetworkGateway
        metadata: {name: gw}
        spec:
          sku: VpnGw1AZ
          addressSpace: [198.18.1.0/24, 198.18.3.0/24]
          instances:
            - publicIpAddress: 198.18.0.1
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: LocalNetworkGateway
        metadata: {name: branch}
        spec:
          gatewayIpAddress: 198.18.0.2
          localNetworkAddressSpace: [198.18.2.0/24, 198.18.4.0/24]
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: Connection
        metadata: {name: to-branch}
        spec:
          connectionType: IPsec
          virtualNetworkGateway1: {name: gw}
          localNetworkGateway2: {name: branch}
          sharedKey: {secretKeyRef: {name: branch-psk, key: sharedKey}}
          connectionMode: %s
          dpdTimeoutSeconds: 15
          usePolicyBasedTrafficSelectors: true
          ipsecPolicies:
            - saLifeTimeSeconds: 3600
              saDataSizeKilobytes: 102400000
              ipsecEncryption: GCMAES256
              ipsecIntegrity: GCMAES256
              ikeEncryption: AES256
              ikeIntegrity: SHA256
              dhGroup: ECP256
              pfsGroup: ECP256
        """.formatted(PSK, connectionMode);
  }

  static SwanctlConf swanctl() {
    return new SwanctlConf("198.18.0.2", "198.18.0.1", String.join(",", SITE), String.join(",", VNET),
        "aes256-sha256-ecp256", "aes256gcm16-ecp256", PSK);
  }

  record Running(TestNetwork net, SiteToSiteLine line, StrongSwanPeer peer, Process vpngw, Path log, Path token) {
    String diagnostics() throws java.io.IOException {
      return "\n--- vpngw log:\n" + Files.readString(log) + "\n--- list-sas:\n"
          + peer.tryRun("--list-sas").output() + "\n--- charon log:\n" + peer.log();
    }

    TestNetwork.Result vpngw(String... args) {
      return VpngwProcess.run(net, line.gw(), args);
    }

    InstanceStatus status() throws Exception {
      return StatusJson.read(vpngw("status", "--json").output());
    }

    /** Installed CHILD_SAs on the strongSwan side, as "local_ts|remote_ts" → child fields. */
    Map<String, StrongSwanPeer.Child> peerChildren() {
      var sas = peer.listSas();
      assertThat(sas).hasSize(1);
      return sas.getFirst().children().stream().filter(c -> "INSTALLED".equals(c.get("state")))
          .collect(Collectors.toMap(c -> c.get("local-ts") + "|" + c.get("remote-ts"), c -> c, (a, b) -> a));
    }
  }

  /** The four hosts, an address per prefix, strongSwan and {@code vpngw run}. */
  private Running start(TestNetwork net, SwanctlConf conf, String connectionMode) throws Exception {
    SiteToSiteLine line = SiteToSiteLine.build(net);
    net.exec(line.hostL(), "ip", "addr", "add", "198.18.3.2/32", "dev", "lo");
    net.exec(line.gw(), "ip", "route", "add", "198.18.3.0/24", "via", "198.18.1.2");
    net.exec(line.hostR(), "ip", "addr", "add", "198.18.4.2/32", "dev", "lo");
    net.exec(line.peer(), "ip", "route", "add", "198.18.4.0/24", "via", "198.18.2.2");
    // libipsec installs each policy's route with a source address inside the local selector.
    net.exec(line.peer(), "ip", "addr", "add", "198.18.4.1/32", "dev", "lo");
    StrongSwanPeer peer = StrongSwanPeer.start(net, line.peer(), line.peerWire(), dir.resolve("sw"), Map.of());
    peer.load(conf.render());
    Path config = Files.createDirectories(dir.resolve("config"));
    Files.writeString(config.resolve("gateway.yaml"), manifests(connectionMode));
    Path token = dir.resolve("token");
    Files.writeString(token, "policy-admin-token\n");
    Path log = dir.resolve("vpngw.log");
    Process vpngw = VpngwProcess.start(net, line.gw(), log, "run", "-f", config.toString(), "--instance", "0",
        "--local-address", "198.18.0.1", "--admin-port", "9090", "--admin-token-file", token.toString());
    return new Running(net, line, peer, vpngw, log, token);
  }

  /** strongSwan routes both VNet prefixes into libipsec's ipsec0 (install_routes = no); its policies pick the child. */
  private static void routeSiteIntoIpsec0(Running r) {
    await().atMost(Duration.ofSeconds(20)).until(() -> r.net().tryExec(r.line().peer(), Duration.ofSeconds(5),
        "ip", "link", "show", "ipsec0").exitCode() == 0);
    r.net().exec(r.line().peer(), "ip", "link", "set", "ipsec0", "up");
    for (String p : VNET) {
      r.net().exec(r.line().peer(), "ip", "route", "replace", p, "dev", "ipsec0");
    }
  }

  /** Both sides show one installed child per (VNet prefix, site prefix) pair. */
  private static void awaitFourChildren(Running r) {
    await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      assertThat(r.vpngw().isAlive()).isTrue();
      Map<String, StrongSwanPeer.Child> children = r.peerChildren();
      assertThat(children.keySet()).as(r.diagnostics()).containsExactlyInAnyOrder(
          "[198.18.2.0/24]|[198.18.1.0/24]", "[198.18.2.0/24]|[198.18.3.0/24]",
          "[198.18.4.0/24]|[198.18.1.0/24]", "[198.18.4.0/24]|[198.18.3.0/24]");
      InstanceStatus s = r.status();
      assertThat(s.childSas()).as(r.diagnostics()).hasSize(4).allMatch(c -> c.state().equals("INSTALLED"));
      assertThat(s.childSas().stream().map(c -> c.localTs() + "|" + c.remoteTs())).containsExactlyInAnyOrder(
          "[198.18.1.0..198.18.1.255]|[198.18.2.0..198.18.2.255]", "[198.18.1.0..198.18.1.255]|[198.18.4.0..198.18.4.255]",
          "[198.18.3.0..198.18.3.255]|[198.18.2.0..198.18.2.255]", "[198.18.3.0..198.18.3.255]|[198.18.4.0..198.18.4.255]");
      // Our inbound SPI of each child is strongSwan's outbound one.
      var ours = s.childSas().stream().map(c -> c.inboundSpi()).collect(Collectors.toSet());
      assertThat(children.values().stream().map(c -> c.get("spi-out"))).containsExactlyInAnyOrderElementsOf(ours);
    });
  }

  /** A ping on every pair: each one's packets ride its own child (strongSwan counts per child). */
  private static void pingEveryPair(Running r) throws Exception {
    for (String l : VNET) {
      for (String s : SITE) {
        TestNetwork.Result ping = r.net().tryExec(r.line().hostL(), Duration.ofSeconds(30), "ping", "-c", "3", "-i",
            "0.2", "-W", "2", "-I", HOST.get(l), HOST.get(s));
        assertThat(ping.output()).as(l + " -> " + s + r.diagnostics()).contains("3 received");
      }
    }
    Map<String, StrongSwanPeer.Child> children = r.peerChildren();
    for (StrongSwanPeer.Child c : children.values()) {
      assertThat(Long.parseLong(c.get("packets-in"))).as("child %s", c.fields()).isGreaterThanOrEqualTo(3);
      assertThat(Long.parseLong(c.get("packets-out"))).as("child %s", c.fields()).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void vpngwInitiatesOneChildPerPairEachCarriesItsTrafficAndOneIsRekeyedAloneUnderTraffic() throws Exception {
    // A policy-based device: one child config per pair, as Azure's docs ask such devices to be set up.
    SwanctlConf conf = swanctl().withChildren(List.of(
        new SwanctlConf.Child("n12", "198.18.2.0/24", "198.18.1.0/24", "aes256gcm16-ecp256", "none"),
        new SwanctlConf.Child("n32", "198.18.2.0/24", "198.18.3.0/24", "aes256gcm16-ecp256", "none"),
        new SwanctlConf.Child("n14", "198.18.4.0/24", "198.18.1.0/24", "aes256gcm16-ecp256", "none"),
        new SwanctlConf.Child("n34", "198.18.4.0/24", "198.18.3.0/24", "aes256gcm16-ecp256", "none")));
    try (TestNetwork net = TestNetwork.create("pol")) {
      Running r = start(net, conf, "InitiatorOnly");
      routeSiteIntoIpsec0(r);
      awaitFourChildren(r);
      assertThat(r.peer().listSas().getFirst().get("initiator")).as("vpngw dialled").isNotEqualTo("yes");
      pingEveryPair(r);
      System.out.println(r.vpngw("status").output());

      // Rekey the 198.18.3.0/24 <-> 198.18.4.0/24 child from strongSwan while both it and another pair carry
      // a 10 ms ping; the other three keep their SPIs.
      Map<String, StrongSwanPeer.Child> before = r.peerChildren();
      String rekeyed = "[198.18.4.0/24]|[198.18.3.0/24]";
      Path pingA = dir.resolve("ping-34.log");
      Path pingB = dir.resolve("ping-12.log");
      Process p1 = net.start(r.line().hostL(), pingA, "ping", "-c", "300", "-i", "0.01", "-W", "1", "-I", "198.18.3.2",
          "198.18.4.2");
      Process p2 = net.start(r.line().hostL(), pingB, "ping", "-c", "300", "-i", "0.01", "-W", "1", "-I", "198.18.1.2",
          "198.18.2.2");
      Thread.sleep(1000);
      assertThat(r.peer().rekeyChild("n34").exitCode()).isZero();
      assertThat(p1.waitFor(40, TimeUnit.SECONDS)).isTrue();
      assertThat(p2.waitFor(40, TimeUnit.SECONDS)).isTrue();
      String outA = Files.readString(pingA);
      String outB = Files.readString(pingB);
      System.out.println("rekeyed pair: " + outA.lines().filter(l -> l.contains("transmitted")).findFirst().orElse(outA));
      System.out.println("other pair:   " + outB.lines().filter(l -> l.contains("transmitted")).findFirst().orElse(outB));
      assertThat(outA).as(r.diagnostics()).contains("300 packets transmitted, 300 received");
      assertThat(outB).as(r.diagnostics()).contains("300 packets transmitted, 300 received");
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        Map<String, StrongSwanPeer.Child> after = r.peerChildren();
        assertThat(after).hasSize(4);
        assertThat(after.get(rekeyed).get("spi-in")).isNotEqualTo(before.get(rekeyed).get("spi-in"));
        for (String k : before.keySet()) {
          if (!k.equals(rekeyed)) {
            assertThat(after.get(k).get("spi-in")).as(k).isEqualTo(before.get(k).get("spi-in"));
            assertThat(after.get(k).get("spi-out")).as(k).isEqualTo(before.get(k).get("spi-out"));
          }
        }
        assertThat(r.status().childSas()).hasSize(4);
      });
      // A child the peer deletes comes back (created by us), the others untouched.
      Map<String, StrongSwanPeer.Child> beforeLoss = r.peerChildren();
      assertThat(r.peer().tryRun("--terminate", "--child", "n12", "--timeout", "5").exitCode()).isZero();
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        Map<String, StrongSwanPeer.Child> after = r.peerChildren();
        assertThat(after).hasSize(4);
        String lost = "[198.18.2.0/24]|[198.18.1.0/24]";
        assertThat(after.get(lost).get("spi-in")).isNotEqualTo(beforeLoss.get(lost).get("spi-in"));
        assertThat(after.get("[198.18.4.0/24]|[198.18.3.0/24]").get("spi-in"))
            .isEqualTo(beforeLoss.get("[198.18.4.0/24]|[198.18.3.0/24]").get("spi-in"));
      });
      pingEveryPair(r);
      String drops = r.vpngw("status").output();
      assertThat(drops).doesNotContain("ts_mismatch");
      System.out.println(r.vpngw("status").output());
    }
  }

  @Test
  void strongSwanProposesOneWideSelectorVpngwNarrowsItAndCreatesTheOtherPairs() throws Exception {
    SwanctlConf conf = swanctl().withChildren(List.of(
        new SwanctlConf.Child("net", "198.18.0.0/16", "198.18.0.0/16", "aes256gcm16-ecp256", "none")));
    try (TestNetwork net = TestNetwork.create("pow")) {
      Running r = start(net, conf, "ResponderOnly");
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
          r.vpngw("status", "--json").exitCode() == 0);
      TestNetwork.Result init = r.peer().initiate("net", "gw");
      assertThat(init.exitCode()).as(init.output() + r.diagnostics()).isZero();
      // strongSwan's IKE_AUTH asked for 198.18.0.0/16 both ways; we narrowed it to the first pair.
      assertThat(r.peer().log()).contains("198.18.2.0/24 === 198.18.1.0/24");
      routeSiteIntoIpsec0(r);
      awaitFourChildren(r);
      assertThat(r.peer().listSas().getFirst().get("initiator")).isEqualTo("yes");
      pingEveryPair(r);
      // strongSwan rekeys one child by its unique id: the others keep their SPIs.
      Map<String, StrongSwanPeer.Child> before = r.peerChildren();
      String target = "[198.18.4.0/24]|[198.18.3.0/24]";
      assertThat(r.peer().tryRun("--rekey", "--child-id", before.get(target).get("uniqueid")).exitCode()).isZero();
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        Map<String, StrongSwanPeer.Child> after = r.peerChildren();
        assertThat(after).hasSize(4);
        assertThat(after.get(target).get("spi-in")).isNotEqualTo(before.get(target).get("spi-in"));
        before.keySet().stream().filter(k -> !k.equals(target)).forEach(k ->
            assertThat(after.get(k).get("spi-in")).as(k).isEqualTo(before.get(k).get("spi-in")));
      });
      // strongSwan's IKE rekey moves all four children to the new IKE SA, SPIs unchanged.
      Map<String, StrongSwanPeer.Child> beforeIke = r.peerChildren();
      String ikeSpi = r.peer().listSas().getFirst().get("initiator-spi");
      assertThat(r.peer().rekeyIke("gw").exitCode()).isZero();
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        assertThat(r.peer().listSas()).hasSize(1);
        assertThat(r.peer().listSas().getFirst().get("initiator-spi")).isNotEqualTo(ikeSpi);
        Map<String, StrongSwanPeer.Child> moved = r.peerChildren();
        assertThat(moved.keySet()).isEqualTo(beforeIke.keySet());
        moved.forEach((k, c) -> assertThat(c.get("spi-in")).as(k).isEqualTo(beforeIke.get(k).get("spi-in")));
      });
      // `vpngw rekey --ike`: the IKE SA and every child SA, each child on its own.
      assertThat(r.vpngw("rekey", "to-branch", "--ike", "--admin-token-file=" + r.token()).exitCode()).isZero();
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        assertThat(r.peer().listSas()).hasSize(1);
        Map<String, StrongSwanPeer.Child> after = r.peerChildren();
        assertThat(after).hasSize(4);
        assertThat(r.status().childSas()).hasSize(4);
      });
      Map<String, StrongSwanPeer.Child> afterIke = r.peerChildren();
      assertThat(afterIke.keySet()).isEqualTo(beforeIke.keySet());
      pingEveryPair(r);
      System.out.println(r.vpngw("status").output());
    }
  }
}
