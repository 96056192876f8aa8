package dev.vpngw.dataplane.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.SiteToSiteLine;
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
 * The standby instance of an active-standby gateway stays quiet until its pod is relabelled
 * {@code vpngw.dev/role=active} (the operator's takeover, seen through the downward-API labels
 * file), then dials and carries traffic.
 */
@RequiresHost(binaries = {"charon-systemd", "swanctl", "ping"})
class StandbyTakeoverInteropTest {
  @TempDir Path dir;

  @Test
  void standbyDialsOnlyAfterTakeover() throws Exception {
    try (TestNetwork net = TestNetwork.create("sby")) {
      SiteToSiteLine line = SiteToSiteLine.build(net);
      StrongSwanPeer peer = StrongSwanPeer.start(net, line.peer(), line.peerWire(), dir.resolve("sw"), Map.of());
      peer.load(GatewayProgramInteropTest.swanctl());
      Path config = Files.createDirectories(dir.resolve("config"));
      Files.writeString(config.resolve("gateway.yaml"), GatewayProgramInteropTest.manifests("program-test-psk-0123456789"));
      Path labels = dir.resolve("labels");
      Files.writeString(labels, "app.kubernetes.io/name=\"vpngw\"\nvpngw.dev/role=\"standby\"\n");
      Path log = dir.resolve("vpngw.log");
      VpngwProcess.start(net, line.gw(), log, Map.of("VPNGW_ROLE_FILE", labels.toString()), "run", "-f",
          config.toString(), "--instance", "1", "--local-address", "198.18.0.1", "--admin-port", "9090");

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(VpngwProcess.run(net, line.gw(), "status", "--json").output()).as(Files.readString(log))
              .contains("standby instance"));
      Thread.sleep(3000);
      assertThat(peer.listSas()).as("a standby instance does not dial").isEmpty();

      Files.writeString(labels, "app.kubernetes.io/name=\"vpngw\"\nvpngw.dev/role=\"active\"\n");
      long takeover = System.nanoTime();
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
          assertThat(VpngwProcess.run(net, line.gw(), "status", "--json").output()).as(Files.readString(log))
              .contains("\"connectionStatus\" : \"Connected\""));
      System.out.println("standby connected " + (System.nanoTime() - takeover) / 1_000_000 + " ms after the role flip");
      TestNetwork.Result ping = net.tryExec(line.hostL(), Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W",
          "2", "198.18.2.2");
      assertThat(ping.output()).contains("3 received");
    }
  }
}
