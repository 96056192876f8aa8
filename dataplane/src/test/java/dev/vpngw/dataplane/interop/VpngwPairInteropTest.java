package dev.vpngw.dataplane.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.SiteToSiteLine;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import dev.vpngw.dataplane.testsupport.VpngwProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vpngw ↔ vpngw: two instances of the program, each reading its own manifests, one dialling
 * (connectionMode Default) and one only answering (ResponderOnly), with a custom IPsec policy
 * (GCM-AES-256, ECP-256, PFS ECP-256) on both ends as Azure requires for VNet-to-VNet.
 */
@RequiresHost(binaries = {"ping"})
class VpngwPairInteropTest {
  @TempDir Path dir;

  static String manifests(String self, String peer, String ownSpace, String peerSpace, String mode) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: psk}
        stringData: {sharedKey: pair-test-psk-0123456789}
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: VirtualNetworkGateway
        metadata: {name: gw}
        spec:
          sku: VpnGw2AZ
          addressSpace: [%3$s]
          instances: [{publicIpAddress: %1$s}]
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: LocalNetworkGateway
        metadata: {name: other}
        spec: {gatewayIpAddress: %2$s, localNetworkAddressSpace: [%4$s]}
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: Connection
        metadata: {name: pair}
        spec:
          connectionType: IPsec
          virtualNetworkGateway1: {name: gw}
          localNetworkGateway2: {name: other}
          sharedKey: {secretKeyRef: {name: psk, key: sharedKey}}
          connectionMode: %5$s
          ipsecPolicies:
            - saLifeTimeSeconds: 3600
              saDataSizeKilobytes: 102400000
              ipsecEncryption: GCMAES256
              ipsecIntegrity: GCMAES256
              ikeEncryption: GCMAES256
              ikeIntegrity: SHA384
              dhGroup: ECP256
              pfsGroup: ECP256
        """.formatted(self, peer, ownSpace, peerSpace, mode);
  }

  @Test
  void twoGatewaysNegotiateTheCustomPolicyAndCarryTraffic() throws Exception {
    try (TestNetwork net = TestNetwork.create("pair")) {
      SiteToSiteLine line = SiteToSiteLine.build(net);
      Path left = Files.createDirectories(dir.resolve("left"));
      Path right = Files.createDirectories(dir.resolve("right"));
      Files.writeString(left.resolve("gw.yaml"), manifests("198.18.0.1", "198.18.0.2", "198.18.1.0/24", "198.18.2.0/24", "Default"));
      Files.writeString(right.resolve("gw.yaml"), manifests("198.18.0.2", "198.18.0.1", "198.18.2.0/24", "198.18.1.0/24", "ResponderOnly"));
      Path leftLog = dir.resolve("left.log");
      Path rightLog = dir.resolve("right.log");
      // NAT-T keepalives every second instead of 20 s, so the test sees them arrive.
      Map<String, String> env = Map.of("VPNGW_NATT_KEEPALIVE", "1s");
      VpngwProcess.start(net, line.peer(), rightLog, env, "run", "-f", right.toString(), "--instance", "0", "--admin-port", "9090");
      VpngwProcess.start(net, line.gw(), leftLog, env, "run", "-f", left.toString(), "--instance", "0", "--admin-port", "9090");

      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        assertThat(VpngwProcess.run(net, line.gw(), "status", "--json").output()).as(Files.readString(leftLog))
            .contains("\"connectionStatus\" : \"Connected\"");
        assertThat(VpngwProcess.run(net, line.peer(), "status", "--json").output()).as(Files.readString(rightLog))
            .contains("\"connectionStatus\" : \"Connected\"");
      });
      TestNetwork.Result ping = net.tryExec(line.hostL(), Duration.ofSeconds(20), "ping", "-c", "5", "-i", "0.2", "-W",
          "2", "198.18.2.2");
      assertThat(ping.output()).as(Files.readString(leftLog) + Files.readString(rightLog)).contains("5 received");
      String table = VpngwProcess.run(net, line.gw(), "status").output();
      assertThat(table).contains("aes256gcm16").contains("ecp256");
      assertThat(Files.readString(leftLog)).contains("IKE SA established initiator");
      assertThat(Files.readString(rightLog)).contains("IKE SA established responder");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(net.exec(line.peer(), "bash", "-c",
              "exec 3<>/dev/tcp/127.0.0.1/9090; printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3"))
          .as("NAT-T keepalives from the other gateway")
          .containsPattern("vpngw_natt_keepalives_received_total\\{gateway=\"gw\"} [1-9]"));
      System.out.println(table);
    }
  }
}
