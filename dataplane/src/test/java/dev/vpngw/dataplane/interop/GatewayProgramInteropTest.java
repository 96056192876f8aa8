package dev.vpngw.dataplane.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.StrongSwanPeer;
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
  private static final String PSK = "program-test-psk-0123456789";

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
    return """
        connections {
          gw {
            version = 2
            local_addrs = 198.18.0.2
            remote_addrs = 198.18.0.1
            encap = yes
            proposals = aes256-sha256-modp1024, aes256-sha1-modp1024
            local {
              auth = psk
              id = 198.18.0.2
            }
            remote {
              auth = psk
              id = 198.18.0.1
            }
            children {
              net {
                local_ts = 198.18.2.0/24
                remote_ts = 198.18.1.0/24
                esp_proposals = aes256gcm16, aes256-sha1
                start_action = none
              }
            }
          }
        }
        secrets {
          ike-gw {
            id-1 = 198.18.0.1
            id-2 = 198.18.0.2
            secret = "%s"
          }
        }
        """.formatted(PSK);
  }

  @Test
  void runDialsStrongSwanCarriesTrafficAndStatusSaysConnected() throws Exception {
    try (TestNetwork net = TestNetwork.create("prg")) {
      String hostL = net.namespace("hl");
      String gw = net.namespace("gw");
      String sw = net.namespace("sw");
      String hostR = net.namespace("hr");
      net.veth(hostL, "198.18.1.2/24", gw, "198.18.1.1/24");
      String[] wire = net.veth(gw, "198.18.0.1/30", sw, "198.18.0.2/30");
      net.veth(sw, "198.18.2.1/24", hostR, "198.18.2.2/24");
      net.exec(hostL, "ip", "route", "add", "default", "via", "198.18.1.1");
      net.exec(hostR, "ip", "route", "add", "default", "via", "198.18.2.1");
      net.exec(gw, "sysctl", "-qw", "net.ipv4.ip_forward=1");
      net.exec(sw, "sysctl", "-qw", "net.ipv4.ip_forward=1");
      StrongSwanPeer peer = StrongSwanPeer.start(net, sw, wire[1], dir.resolve("sw"), Map.of());
      peer.load(swanctl());

      Path config = Files.createDirectories(dir.resolve("config"));
      Files.writeString(config.resolve("gateway.yaml"), manifests(PSK));
      Path log = dir.resolve("vpngw.log");
      Process vpngw = VpngwProcess.start(net, gw, log, "run", "-f", config.toString(), "--instance", "0",
          "--local-address", "198.18.0.1", "--admin-port", "9090");

      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        assertThat(vpngw.isAlive()).as(Files.readString(log)).isTrue();
        TestNetwork.Result status = VpngwProcess.run(net, gw, "status", "--json");
        assertThat(status.output()).as(Files.readString(log)).contains("\"Connected\"");
      });
      StrongSwanPeer.Sa sa = peer.listSas().getFirst();
      assertThat(sa.get("state")).isEqualTo("ESTABLISHED");
      assertThat(sa.get("initiator")).as("vpngw dialled (connectionMode Default)").isNotEqualTo("yes");

      TestNetwork.Result ping = net.tryExec(hostL, Duration.ofSeconds(30), "ping", "-c", "5", "-i", "0.2", "-W", "2",
          "198.18.2.2");
      assertThat(ping.output()).as(Files.readString(log) + peer.log()).contains("5 received");

      // Still carrying traffic after DPD rounds from both sides (dpdTimeoutSeconds 10: probes every ~3 s).
      Thread.sleep(8000);
      TestNetwork.Result again = net.tryExec(hostL, Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "2",
          "198.18.2.2");
      assertThat(again.output()).as(Files.readString(log) + peer.log()).contains("3 received");

      TestNetwork.Result table = VpngwProcess.run(net, gw, "status");
      assertThat(table.output()).contains("to-onprem").contains("Connected");
      // Azure's defaults offer DH group 2 (MODP-1024): status must call it weak.
      assertThat(VpngwProcess.run(net, gw, "status", "--json").output()).contains("WeakCryptography");
      System.out.println(table.output());
    }
  }
}
