package dev.vpngw.dataplane.status;

import static dev.vpngw.dataplane.status.Observations.T0;
import static dev.vpngw.dataplane.status.Observations.established;
import static dev.vpngw.dataplane.status.Observations.failed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.crds.ManifestSet;
import dev.vpngw.crds.v1alpha1.BgpPeerState;
import dev.vpngw.crds.v1alpha1.BgpPeerStatus;
import dev.vpngw.dataplane.config.Golden;
import dev.vpngw.dataplane.config.GatewayPlanner;
import org.junit.jupiter.api.Test;

class StatusTableTest {

  /** The active-active example: instance 0 up with BGP, instance 1 failing authentication. */
  @Test
  void activeActiveExampleTable() throws Exception {
    ManifestSet m = ManifestSet.load(Golden.examplesDir().resolve("active-active-bgp"));
    var s0 = new FakeStateSource();
    s0.tunnels.add(established("gw-to-onprem/0", "203.0.113.10", "198.51.100.10", 123456, 654321));
    s0.bgp.add(new BgpObservation("gw-to-onprem", "gw-to-onprem/0", new BgpPeerStatus(0, "169.254.21.2", 65020L,
        BgpPeerState.Established, "PT1H2M3S", 3L, 1L, 120L, 118L)));
    s0.learned = 3;
    s0.drops.put("replay", 1L);
    var s1 = new FakeStateSource();
    s1.tunnels.add(failed("gw-to-onprem/1", "AUTHENTICATION_FAILED", "AUTHENTICATION_FAILED: peer rejected our AUTH payload"));
    s1.bgp.add(new BgpObservation("gw-to-onprem", "gw-to-onprem/1", new BgpPeerStatus(1, "169.254.21.2", 65020L,
        BgpPeerState.Idle, null, 0L, 0L, 0L, 0L)));
    InstanceStatus i0 = new StatusAggregator().aggregate(GatewayPlanner.plan(m, "gw", 0), "test", T0, s0, T0.plusSeconds(5));
    InstanceStatus i1 = new StatusAggregator().aggregate(GatewayPlanner.plan(m, "gw", 1), "test", T0, s1, T0.plusSeconds(5));
    String table = StatusTable.render(i0, i1);
    assertThat(table.lines().filter(l -> l.startsWith("gw-to-onprem  0"))).singleElement()
        .satisfies(l -> assertThat(l).contains("Connected", "203.0.113.10:4500 <-> 198.51.100.10:4500", "c1a2b3c4/d5e6f708",
            "123456/654321"));
    assertThat(table.lines().filter(l -> l.startsWith("gw-to-onprem  1"))).singleElement()
        .satisfies(l -> assertThat(l).contains("NotConnected", "AUTHENTICATION_FAILED"));
    assertThat(table.lines().filter(l -> l.startsWith("169.254.21.2  0"))).singleElement()
        .satisfies(l -> assertThat(l).contains("Established", "PT1H2M3S"));
    Golden.assertMatches("status/active-active-bgp.txt", table);
  }

  @Test
  void excludedConnectionShowsItsReason() throws Exception {
    var m = dev.vpngw.dataplane.config.TestManifests.parse(dev.vpngw.dataplane.config.TestManifests.GW,
        dev.vpngw.dataplane.config.TestManifests.PSK, dev.vpngw.dataplane.config.TestManifests.ipsec("z", "nowhere", ""));
    InstanceStatus st = new StatusAggregator().aggregate(GatewayPlanner.plan(m, null, 0), "test", T0,
        TunnelStateSource.empty(), T0);
    assertThat(StatusTable.render(st)).contains("z           0     NotConnected").contains("LocalNetworkGatewayNotFound");
  }
}
