package dev.vpngw.dataplane.gateway;

import static dev.vpngw.dataplane.config.TestManifests.GW;
import static dev.vpngw.dataplane.config.TestManifests.PSK;
import static dev.vpngw.dataplane.config.TestManifests.ipsec;
import static dev.vpngw.dataplane.config.TestManifests.site;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpngw.dataplane.config.ConnectionPlan;
import dev.vpngw.dataplane.config.PlanDiff;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayRuntimeTest {
  @TempDir Path dir;

  private static final String A = site("site-a", "gatewayIpAddress: 198.51.100.10\nlocalNetworkAddressSpace: [198.19.10.0/24]\n");
  private static final String B = site("site-b", "gatewayIpAddress: 198.51.100.20\nlocalNetworkAddressSpace: [198.19.20.0/24]\n");

  private RunOptions options(Path manifests) {
    return new RunOptions(List.of(manifests), null, 0, null,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Optional.empty(), "vpngw0", Duration.ZERO);
  }

  private Path write(String... docs) throws Exception {
    Path f = dir.resolve("gw.yaml");
    Files.writeString(f, String.join("\n---\n", docs));
    return f;
  }

  @Test
  void reloadHandsOnlyTheChangedConnectionToTheEngines() throws Exception {
    Path f = write(GW, PSK, A, B, ipsec("conn-a", "site-a", ""), ipsec("conn-b", "site-b", ""));
    var engines = new RecordingEngines();
    try (var rt = GatewayRuntime.start(options(f), engines, Clock.systemUTC())) {
      assertThat(engines.calls).containsExactly("start 2");
      assertThat(rt.reload()).isEqualTo("no changes");
      String a2 = site("site-a", "gatewayIpAddress: 198.51.100.11\nlocalNetworkAddressSpace: [198.19.10.0/24]\n");
      write(GW, PSK, a2, B, ipsec("conn-a", "site-a", ""), ipsec("conn-b", "site-b", ""));
      assertThat(rt.reload()).isEqualTo("reloaded: PlanDiff[added=[], removed=[], changed=[conn-a], gatewayChanges=[]]");
      PlanDiff d = engines.diffs.getFirst();
      assertThat(d.changed()).extracting(ConnectionPlan::name).containsExactly("conn-a");
      assertThat(d.changed().getFirst().tunnels().getFirst().peer().display()).isEqualTo("198.51.100.11");
      assertThat(d.unchanged()).containsExactly("conn-b");
      assertThat(rt.plan().connection("conn-a").orElseThrow().tunnels().getFirst().peer().display()).isEqualTo("198.51.100.11");
    }
    assertThat(engines.calls).containsExactly("start 2", "apply", "stop");
  }

  @Test
  void readinessFollowsTheEngines() throws Exception {
    Path f = write(GW, PSK, A, ipsec("conn-a", "site-a", ""));
    var engines = new RecordingEngines();
    var http = HttpClient.newHttpClient();
    try (var rt = GatewayRuntime.start(options(f), engines, Clock.systemUTC())) {
      URI readyz = URI.create("http://127.0.0.1:" + rt.adminAddress().getPort() + "/readyz");
      assertThat(http.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      engines.ready = false;
      assertThat(http.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
      rt.resetConnection("conn-a");
      rt.rekey("conn-a", true);
      assertThat(engines.calls).contains("reset conn-a", "rekey conn-a ike=true");
    }
  }

  @Test
  void engineStartFailureReleasesTheAdminPort() throws Exception {
    Path f = write(GW, PSK, A, ipsec("conn-a", "site-a", ""));
    var engines = new RecordingEngines();
    engines.failStart = new IllegalStateException("cannot open /dev/net/tun");
    InetSocketAddress fixed;
    try (var probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      fixed = new InetSocketAddress(InetAddress.getLoopbackAddress(), probe.getLocalPort());
    }
    var o = new RunOptions(List.of(f), null, 0, null, fixed, Optional.empty(), "vpngw0", Duration.ZERO);
    assertThatThrownBy(() -> GatewayRuntime.start(o, engines, Clock.systemUTC())).hasMessage("cannot open /dev/net/tun");
    assertThat(engines.calls).containsExactly("start 1", "stop");
    try (var again = new java.net.ServerSocket(fixed.getPort(), 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.isBound()).isTrue();
    }
  }
}
