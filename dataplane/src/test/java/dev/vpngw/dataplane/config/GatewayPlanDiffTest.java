package dev.vpngw.dataplane.config;

import static dev.vpngw.dataplane.config.TestManifests.GW;
import static dev.vpngw.dataplane.config.TestManifests.PSK;
import static dev.vpngw.dataplane.config.TestManifests.gateway;
import static dev.vpngw.dataplane.config.TestManifests.ipsec;
import static dev.vpngw.dataplane.config.TestManifests.parse;
import static dev.vpngw.dataplane.config.TestManifests.secret;
import static dev.vpngw.dataplane.config.TestManifests.site;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayPlanDiffTest {
  private static final String A = site("site-a", "gatewayIpAddress: 198.51.100.10\nlocalNetworkAddressSpace: [198.19.10.0/24]\n");
  private static final String B = site("site-b", "gatewayIpAddress: 198.51.100.20\nlocalNetworkAddressSpace: [198.19.20.0/24]\n");
  private static final String CA = ipsec("conn-a", "site-a", "");
  private static final String CB = ipsec("conn-b", "site-b", "");

  private static GatewayPlan plan(String... docs) throws GatewayPlanException {
    return GatewayPlanner.plan(parse(docs), null, 0);
  }

  @Test
  void samePlanIsEmptyDiff() throws Exception {
    PlanDiff d = GatewayPlan.diff(plan(GW, PSK, A, B, CA, CB), plan(GW, PSK, A, B, CA, CB));
    assertThat(d.isEmpty()).isTrue();
    assertThat(d.unchanged()).containsExactly("conn-a", "conn-b");
  }

  @Test
  void changedSiteTouchesOnlyItsConnection() throws Exception {
    String a2 = site("site-a", "gatewayIpAddress: 198.51.100.10\nlocalNetworkAddressSpace: [198.19.10.0/24, 198.19.11.0/24]\n");
    PlanDiff d = GatewayPlan.diff(plan(GW, PSK, A, B, CA, CB), plan(GW, PSK, a2, B, CA, CB));
    assertThat(d.changed()).extracting(ConnectionPlan::name).containsExactly("conn-a");
    assertThat(d.changed().getFirst().tunnels().getFirst().staticRoutes()).containsExactly("198.19.10.0/24", "198.19.11.0/24");
    assertThat(d.unchanged()).containsExactly("conn-b");
    assertThat(d.added()).isEmpty();
    assertThat(d.removed()).isEmpty();
    assertThat(d.gatewayChanges()).isEmpty();
  }

  @Test
  void rotatedKeyIsAChange() throws Exception {
    PlanDiff d = GatewayPlan.diff(plan(GW, PSK, A, CA), plan(GW, secret("psk", "psk", "An0therKey!"), A, CA));
    assertThat(d.changed()).extracting(ConnectionPlan::name).containsExactly("conn-a");
  }

  @Test
  void addedAndRemoved() throws Exception {
    PlanDiff d = GatewayPlan.diff(plan(GW, PSK, A, B, CA), plan(GW, PSK, A, B, CB));
    assertThat(d.added()).extracting(ConnectionPlan::name).containsExactly("conn-b");
    assertThat(d.removed()).containsExactly("conn-a");
    assertThat(d.toString()).isEqualTo("PlanDiff[added=[conn-b], removed=[conn-a], changed=[], gatewayChanges=[]]");
  }

  @Test
  void connectionThatBecomesInvalidIsRemoved() throws Exception {
    String overlapping = site("site-b", "gatewayIpAddress: 198.51.100.20\nlocalNetworkAddressSpace: [198.18.20.0/24]\n");
    GatewayPlan after = plan(GW, PSK, A, overlapping, CA, CB);
    PlanDiff d = GatewayPlan.diff(plan(GW, PSK, A, B, CA, CB), after);
    assertThat(d.removed()).containsExactly("conn-b");
    assertThat(after.excluded()).extracting(ExcludedConnection::name).containsExactly("conn-b");
  }

  @Test
  void gatewayAddressSpaceChangeIsNamed() throws Exception {
    String gw2 = gateway("gw", "addressSpace: [198.18.0.0/16, 198.17.0.0/16]\ninstances: [{publicIpAddress: 203.0.113.10}]\n");
    PlanDiff d = GatewayPlan.diff(plan(GW, PSK, A, CA), plan(gw2, PSK, A, CA));
    assertThat(d.gatewayChanges()).containsExactly("addressSpace");
    assertThat(d.changed()).isEmpty(); // route-based any/any selectors do not depend on the address space
  }
}
