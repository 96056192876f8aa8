package dev.vpngw.dataplane.status;

import static dev.vpngw.dataplane.status.Observations.T0;
import static dev.vpngw.dataplane.status.Observations.established;
import static dev.vpngw.dataplane.status.Observations.failed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.crds.ManifestSet;
import dev.vpngw.crds.v1alpha1.BgpPeerState;
import dev.vpngw.crds.v1alpha1.BgpPeerStatus;
import dev.vpngw.crds.v1alpha1.ConnectionState;
import dev.vpngw.crds.v1alpha1.ConnectionStatus;
import dev.vpngw.dataplane.config.GatewayPlanner;
import dev.vpngw.dataplane.config.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionStatusMergerTest {

  private static InstanceStatus instance(ManifestSet m, int i, FakeStateSource s) throws Exception {
    return new StatusAggregator().aggregate(GatewayPlanner.plan(m, "gw", i), "test", T0, s, T0.plusSeconds(1));
  }

  @Test
  void activeActiveConnectionIsConnectedWhenOneInstanceIs() throws Exception {
    ManifestSet m = ManifestSet.load(Golden.examplesDir().resolve("active-active-bgp"));
    var s0 = new FakeStateSource();
    s0.tunnels.add(failed("gw-to-onprem/0", "TIMEOUT", "no answer from 198.51.100.10"));
    var s1 = new FakeStateSource();
    s1.tunnels.add(established("gw-to-onprem/1", "203.0.113.11", "198.51.100.10", 100, 200));
    s1.bgp.add(new BgpObservation("gw-to-onprem", "gw-to-onprem/1", new BgpPeerStatus(1, "169.254.21.2", 65020L,
        BgpPeerState.Established, "PT1M", 2L, 1L, 5L, 5L)));
    var merged = ConnectionStatusMerger.merge(List.of(instance(m, 1, s1), instance(m, 0, s0)));
    ConnectionStatus c = merged.get("gw-to-onprem");
    assertThat(c.connectionStatus()).isEqualTo(ConnectionState.Connected);
    assertThat(c.tunnels()).extracting(t -> t.instance() + " " + t.state())
        .containsExactly("0 NotConnected", "1 Connected");
    assertThat(c.ingressBytesTransferred()).isEqualTo(100);
    assertThat(c.bgpPeers()).hasSize(1);
    var ready = c.conditions().stream().filter(x -> x.getType().equals("Ready")).findFirst().orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getMessage()).isEqualTo("1 of 2 tunnels connected");
    assertThat(c.conditions()).extracting(x -> x.getType()).containsExactly("Ready", "BgpEstablished");
  }

  @Test
  void bothDownKeepsInstanceZerosReason() throws Exception {
    ManifestSet m = ManifestSet.load(Golden.examplesDir().resolve("active-active-bgp"));
    var s0 = new FakeStateSource();
    s0.tunnels.add(failed("gw-to-onprem/0", "AUTHENTICATION_FAILED", "AUTHENTICATION_FAILED"));
    var s1 = new FakeStateSource();
    s1.tunnels.add(failed("gw-to-onprem/1", "AUTHENTICATION_FAILED", "AUTHENTICATION_FAILED"));
    ConnectionStatus c = ConnectionStatusMerger.merge(List.of(instance(m, 0, s0), instance(m, 1, s1))).get("gw-to-onprem");
    assertThat(c.connectionStatus()).isEqualTo(ConnectionState.NotConnected);
    assertThat(c.conditions().getFirst().getReason()).isEqualTo("AuthenticationFailed");
  }
}
