package dev.vpngw.dataplane.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.SiteToSiteLine;
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
 * The whole program, as users run it: {@code vpngw run} reads the same manifests users apply to a
 * cluster (VirtualNetworkGateway, LocalNetworkGateway, Connection, Secret), dials an unmodified
 * strongSwan and carries traffic; {@code vpngw status} prints the table.
 *
 * <pre>
 * hostL 198.18.1.2 ─ gw (vpngw run) 198.18.0.1 ══ ESP-in-UDP ══ 198.18.0.2 strongSwan ─ 198.18.2.2 hostR
 * </pre>
 */
@RequiresHost(binaries = {"charon-systemd", "swanctl", "ping"})
class GatewayProgramInteropTest {
  static final String PSK = "program-test-psk-0123456789";

  @TempDir Path dir;

  static String manifests(String psk) {
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
            - publicIpAddress: 198.18.0.1
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: LocalNetworkGateway
        metadata: {name: onprem}
        spec:
          gatewayIpAddress: 198.18.0.2
          localNetworkAddressSpace: [198.18.2.0/24]
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: Connection
        metadata: {name: to-onprem}
        spec:
          connectionType: IPsec
          virtualNetworkGateway1: {name: gw}
          localNetworkGateway2: {name: onprem}
          sharedKey: {secretKeyRef: {name: onprem-psk, key: sharedKey}}
          dpdTimeoutSeconds: 10
        """.formatted(psk);
  }

  static String swanctl() {
    return new SwanctlConf("198.18.0.2", "198.18.0.1", "198.18.2.0/24", "198.18.1.0/24",
        "aes256-sha256-modp1024, aes256-sha1-modp1024", "aes256gcm16, aes256-sha1", PSK).render();
  }

  record Running(TestNetwork net, SiteToSiteLine line, StrongSwanPeer peer, Process vpngw, Path log,
      Path token) {
    String vpngwLog() throws java.io.IOException {
      return Files.readString(log);
    }

    TestNetwork.Result vpngw(String... args) {
      return VpngwProcess.run(net, line.gw(), args);
    }

    /** The admin endpoint's Prometheus page, fetched from inside the gateway's namespace. */
    String metrics() {
      return net.exec(line.gw(), "bash", "-c",
          "exec 3<>/dev/tcp/127.0.0.1/9090; printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3");
    }
  }

  private Running start(TestNetwork net) throws Exception {
    return start(net, dir);
  }

  /** strongSwan in the peer namespace, {@code vpngw run} in the gateway namespace, until Connected. */
  static Running start(TestNetwork net, Path dir) throws Exception {
    SiteToSiteLine line = SiteToSiteLine.build(net);
    StrongSwanPeer peer = StrongSwanPeer.start(net, line.peer(), line.peerWire(), dir.resolve("sw"), Map.of());
    peer.load(swanctl());
    Path config = Files.createDirectories(dir.resolve("config"));
    Files.writeString(config.resolve("gateway.yaml"), manifests(PSK));
    Files.writeString(config.resolve(".revision"), "rev-0001\n"); // as the operator mounts it
    Path token = dir.resolve("token");
    Files.writeString(token, "interop-admin-token\n");
    Path log = dir.resolve("vpngw.log");
    Process vpngw = VpngwProcess.start(net, line.gw(), log, "run", "-f", config.toString(), "--instance", "0",
        "--local-address", "198.18.0.1", "--admin-port", "9090", "--admin-token-file", token.toString());
    Running r = new Running(net, line, peer, vpngw, log, token);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      assertThat(vpngw.isAlive()).as(r.vpngwLog()).isTrue();
      assertThat(r.vpngw("status", "--json").output()).as(r.vpngwLog()).contains("\"Connected\"");
    });
    return r;
  }

  @Test
  void runDialsStrongSwanCarriesTrafficAndStatusSaysConnected() throws Exception {
    try (TestNetwork net = TestNetwork.create("prg")) {
      Running r = start(net);
      StrongSwanPeer.Sa sa = r.peer().listSas().getFirst();
      assertThat(sa.get("state")).isEqualTo("ESTABLISHED");
      assertThat(sa.get("initiator")).as("vpngw dialled (connectionMode Default)").isNotEqualTo("yes");

      TestNetwork.Result ping = net.tryExec(r.line().hostL(), Duration.ofSeconds(30), "ping", "-c", "5", "-i", "0.2",
          "-W", "2", "198.18.2.2");
      assertThat(ping.output()).as(r.vpngwLog() + r.peer().log()).contains("5 received");
      // Still carrying traffic after DPD rounds from both sides (dpdTimeoutSeconds 10: probes every ~3 s).
      Thread.sleep(8000);
      TestNetwork.Result again = net.tryExec(r.line().hostL(), Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2",
          "-W", "2", "198.18.2.2");
      assertThat(again.output()).as(r.vpngwLog() + r.peer().log()).contains("3 received");

      TestNetwork.Result table = r.vpngw("status");
      assertThat(table.output()).contains("to-onprem").contains("Connected");
      assertThat(r.vpngw("status", "--json").output()).contains("\"configRevision\" : \"rev-0001\"");
      String metrics = r.metrics();
      assertThat(metrics).contains("vpngw_tunnel_up{gateway=\"gw\",tunnel=\"to-onprem/0\"} 1.0")
          .containsPattern("vpngw_esp_packets_total\\{direction=\"in\",gateway=\"gw\"} [1-9]")
          .contains("vpngw_ike_handshake_seconds_count{gateway=\"gw\"} 1")
          .contains("vpngw_esp_drops_total{gateway=\"gw\",reason=\"auth\"} 0.0")
          .doesNotContain(PSK);
      // Azure's defaults offer DH group 2 (MODP-1024): status must call it weak.
      assertThat(r.vpngw("status", "--json").output()).contains("WeakCryptography");
      System.out.println(table.output());
    }
  }

  /**
   * Child and IKE rekeys, started by each side in turn through the real operations (`vpngw rekey`,
   * `swanctl --rekey`), while hostL pings hostR every 10 ms: make-before-break loses nothing.
   */
  @Test
  void rekeysFromBothSidesUnderContinuousTrafficLoseNoPacket() throws Exception {
    try (TestNetwork net = TestNetwork.create("rky")) {
      Running r = start(net);
      String before = r.peer().listSas().getFirst().children().getFirst().get("spi-in");
      Path pingLog = dir.resolve("ping.log");
      Process ping = net.start(r.line().hostL(), pingLog, "ping", "-c", "700", "-i", "0.01", "-W", "1", "198.18.2.2");
      String admin = "--admin-token-file=" + r.token();
      Thread.sleep(1000);
      assertThat(r.vpngw("rekey", "to-onprem", admin).exitCode()).as(r.vpngwLog()).isZero();
      Thread.sleep(1200);
      assertThat(r.peer().rekeyChild("net").exitCode()).isZero();
      Thread.sleep(1200);
      assertThat(r.vpngw("rekey", "to-onprem", "--ike", admin).exitCode()).as(r.vpngwLog()).isZero();
      Thread.sleep(1200);
      assertThat(r.peer().rekeyIke("gw").exitCode()).isZero();
      assertThat(ping.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      String out = Files.readString(pingLog);
      assertThat(out).as(r.vpngwLog() + r.peer().log()).contains("700 packets transmitted, 700 received");

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        var sas = r.peer().listSas();
        assertThat(sas).as("one IKE SA left after the IKE rekeys").hasSize(1);
        var installed = sas.getFirst().children().stream().filter(c -> "INSTALLED".equals(c.get("state"))).toList();
        assertThat(installed).as("one installed child SA after the rekeys").hasSize(1);
        assertThat(installed.getFirst().get("spi-in")).as("child SA was replaced").isNotEqualTo(before);
      });
      assertThat(r.vpngw("status").output()).contains("Connected");
    }
  }
}
