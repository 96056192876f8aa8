package dev.vpngw.dataplane.status;

import static dev.vpngw.dataplane.config.TestManifests.GW;
import static dev.vpngw.dataplane.config.TestManifests.PSK;
import static dev.vpngw.dataplane.config.TestManifests.gateway;
import static dev.vpngw.dataplane.config.TestManifests.ipsec;
import static dev.vpngw.dataplane.config.TestManifests.parse;
import static dev.vpngw.dataplane.config.TestManifests.site;
import static dev.vpngw.dataplane.status.Observations.T0;
import static dev.vpngw.dataplane.status.Observations.established;
import static dev.vpngw.dataplane.status.Observations.failed;
import static dev.vpngw.dataplane.status.Observations.negotiating;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.vpngw.crds.v1alpha1.BgpPeerState;
import dev.vpngw.crds.v1alpha1.BgpPeerStatus;
import dev.vpngw.crds.v1alpha1.ConnectionState;
import dev.vpngw.crds.v1alpha1.ConnectionStatus;
import dev.vpngw.dataplane.config.GatewayPlan;
import dev.vpngw.dataplane.config.GatewayPlanner;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
  private static final String ONPREM = site("onprem", "gatewayIpAddress: 198.51.100.10\nlocalNetworkAddressSpace: [198.19.10.0/24]\n");
  private static final String BRANCH = site("branch", "gatewayIpAddress: 198.51.100.20\nlocalNetworkAddressSpace: [198.19.20.0/24]\n");

  private final FakeStateSource source = new FakeStateSource();
  private final StatusAggregator aggregator = new StatusAggregator();

  private static GatewayPlan plan(String... docs) throws Exception {
    return GatewayPlanner.plan(parse(docs), null, 0);
  }

  private InstanceStatus aggregate(GatewayPlan p) {
    return aggregator.aggregate(p, "test", T0, source, T0.plusSeconds(3600));
  }

  private static ConnectionStatus conn(InstanceStatus s, String name) {
    return s.connections().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().status();
  }

  private static Condition condition(ConnectionStatus s, String type) {
    return s.conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElse(null);
  }

  @Test
  void installedChildSaIsConnected() throws Exception {
    source.tunnels.add(established("a/0", "203.0.113.10", "198.51.100.10", 1200, 3400));
    ConnectionStatus s = conn(aggregate(plan(GW, PSK, ONPREM, ipsec("a", "onprem", ""))), "a");
    assertThat(s.connectionStatus()).isEqualTo(ConnectionState.Connected);
    assertThat(s.ingressBytesTransferred()).isEqualTo(1200);
    assertThat(s.egressBytesTransferred()).isEqualTo(3400);
    assertThat(s.tunnels()).singleElement().satisfies(t -> {
      assertThat(t.state()).isEqualTo(ConnectionState.Connected);
      assertThat(t.inboundSpi()).isEqualTo("c1a2b3c4");
      assertThat(t.establishedTime()).isEqualTo("2026-11-23T12:00:00Z");
      assertThat(t.instance()).isZero();
    });
    Condition ready = condition(s, "Ready");
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getReason()).isEqualTo("TunnelsConnected");
    assertThat(ready.getMessage()).isEqualTo("1 of 1 tunnels connected");
    assertThat(condition(s, "WeakCryptography")).isNull();
  }

  @Test
  void negotiatingIsConnecting() throws Exception {
    source.tunnels.add(negotiating("a/0"));
    ConnectionStatus s = conn(aggregate(plan(GW, PSK, ONPREM, ipsec("a", "onprem", ""))), "a");
    assertThat(s.connectionStatus()).isEqualTo(ConnectionState.Connecting);
    assertThat(condition(s, "Ready").getReason()).isEqualTo("Connecting");
    assertThat(condition(s, "Ready").getMessage()).isEqualTo("negotiating with 198.51.100.10");
    assertThat(s.tunnels().getFirst().remoteEndpoint()).isEqualTo("198.51.100.10");
    assertThat(s.tunnels().getFirst().localEndpoint()).isEqualTo("203.0.113.10");
  }

  @Test
  void failuresBecomeNotConnectedWithReason() throws Exception {
    source.tunnels.add(failed("a/0", "AUTHENTICATION_FAILED", "AUTHENTICATION_FAILED: peer rejected our AUTH payload"));
    source.tunnels.add(failed("b/0", "NO_PROPOSAL_CHOSEN", "NO_PROPOSAL_CHOSEN: no common IKE proposal"));
    InstanceStatus st = aggregate(plan(GW, PSK, ONPREM, BRANCH, ipsec("a", "onprem", ""), ipsec("b", "branch", "")));
    ConnectionStatus a = conn(st, "a");
    assertThat(a.connectionStatus()).isEqualTo(ConnectionState.NotConnected);
    assertThat(a.tunnels().getFirst().lastError()).isEqualTo("AUTHENTICATION_FAILED: peer rejected our AUTH payload");
    assertThat(condition(a, "Ready").getReason()).isEqualTo("AuthenticationFailed");
    assertThat(condition(conn(st, "b"), "Ready").getReason()).isEqualTo("NoProposalChosen");
  }

  @Test
  void ikeNotifyNamesMapToReasons() {
    assertThat(StatusReasons.forIkeNotify("TIMEOUT")).isEqualTo("PeerUnreachable");
    assertThat(StatusReasons.forIkeNotify("INVALID_KE_PAYLOAD")).isEqualTo("NoProposalChosen");
    assertThat(StatusReasons.forIkeNotify("TS_UNACCEPTABLE")).isEqualTo("TrafficSelectorsUnacceptable");
    assertThat(StatusReasons.forIkeNotify("SOMETHING_ELSE")).isEqualTo("NegotiationFailed");
    assertThat(StatusReasons.forIkeNotify(null)).isEqualTo("NegotiationFailed");
  }

  @Test
  void tunnelWithoutStateIsUnknownNeverConnected() throws Exception {
    ConnectionStatus s = conn(aggregate(plan(GW, PSK, ONPREM, ipsec("a", "onprem", ""))), "a");
    assertThat(s.connectionStatus()).isEqualTo(ConnectionState.Unknown);
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Ready").getMessage()).isEqualTo("no state from the engines");
  }

  @Test
  void oneOfTwoActiveActiveTunnelsUpIsConnected() throws Exception {
    String west = gateway("west", """
        activeActive: true
        addressSpace: [198.19.0.0/16]
        instances: [{publicIpAddress: 203.0.113.20}, {publicIpAddress: 203.0.113.21}]
        """);
    String conn = dev.vpngw.dataplane.config.TestManifests.connection("v", """
        connectionType: Vnet2Vnet
        virtualNetworkGateway1: {name: gw}
        virtualNetworkGateway2: {name: west}
        sharedKey: {secretKeyRef: {name: psk, key: psk}}
        """);
    GatewayPlan p = GatewayPlanner.plan(parse(GW, west, PSK, conn), "gw", 0);
    source.tunnels.add(established("v/0-0", "203.0.113.10", "203.0.113.20", 10, 20));
    source.tunnels.add(failed("v/0-1", "TIMEOUT", "no answer from 203.0.113.21 after 5 retransmits"));
    ConnectionStatus s = conn(aggregate(p), "v");
    assertThat(s.connectionStatus()).isEqualTo(ConnectionState.Connected);
    assertThat(condition(s, "Ready").getMessage()).isEqualTo("1 of 2 tunnels connected");
    assertThat(s.tunnels()).extracting(t -> t.state()).containsExactly(ConnectionState.Connected, ConnectionState.NotConnected);
  }

  @Test
  void bgpConnectionNeedsAnEstablishedSessionToBeReady() throws Exception {
    String gw = gateway("gw", "enableBgp: true\nbgpSettings: {asn: 65010}\naddressSpace: [198.18.0.0/16]\n"
        + "instances: [{publicIpAddress: 203.0.113.10}]\n");
    String bgpSite = site("onprem", "gatewayIpAddress: 198.51.100.10\nbgpSettings: {asn: 65020, bgpPeeringAddress: 198.19.0.1}\n");
    GatewayPlan p = plan(gw, PSK, bgpSite, ipsec("a", "onprem", "enableBgp: true\n"));
    source.tunnels.add(established("a/0", "203.0.113.10", "198.51.100.10", 1, 1));
    source.bgp.add(new BgpObservation("a", "a/0", new BgpPeerStatus(0, "198.19.0.1", 65020L, BgpPeerState.Active,
        null, 0L, 0L, 3L, 0L)));
    ConnectionStatus down = conn(aggregate(p), "a");
    assertThat(condition(down, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(down, "Ready").getReason()).isEqualTo("BgpSessionNotEstablished");
    assertThat(condition(down, "Ready").getMessage()).isEqualTo("1 of 1 tunnels connected but BGP 198.19.0.1 Active");
    assertThat(condition(down, "BgpEstablished").getStatus()).isEqualTo("False");

    source.bgp.clear();
    source.bgp.add(new BgpObservation("a", "a/0", new BgpPeerStatus(0, "198.19.0.1", 65020L, BgpPeerState.Established,
        "PT5M", 3L, 1L, 9L, 9L)));
    InstanceStatus st = aggregate(p);
    ConnectionStatus up = conn(st, "a");
    assertThat(condition(up, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(up, "BgpEstablished").getReason()).isEqualTo("BgpSessionsEstablished");
    assertThat(up.bgpPeers()).hasSize(1);
    assertThat(st.bgpPeers()).hasSize(1);
  }

  @Test
  void prefixLimitCeaseIsItsOwnReasonUntilTheSessionIsBack() throws Exception {
    String gw = gateway("gw", "enableBgp: true\nbgpSettings: {asn: 65010}\naddressSpace: [198.18.0.0/16]\n"
        + "instances: [{publicIpAddress: 203.0.113.10}]\n");
    String bgpSite = site("onprem", "gatewayIpAddress: 198.51.100.10\nbgpSettings: {asn: 65020, bgpPeeringAddress: 198.19.0.1}\n");
    GatewayPlan p = plan(gw, PSK, bgpSite, ipsec("a", "onprem", "enableBgp: true\n"));
    source.tunnels.add(established("a/0", "203.0.113.10", "198.51.100.10", 1, 1));
    String why = "maximum prefixes exceeded: received 4001 > limit 4000 (sent CEASE); idle for 60 s before accepting the peer again";
    source.bgp.add(new BgpObservation("a", "a/0", new BgpPeerStatus(0, "198.19.0.1", 65020L, BgpPeerState.Idle,
        null, 0L, 0L, 30L, 12L), why));
    ConnectionStatus down = conn(aggregate(p), "a");
    assertThat(down.connectionStatus()).isEqualTo(ConnectionState.Connected);
    assertThat(condition(down, "BgpEstablished").getReason()).isEqualTo("BgpPrefixLimitExceeded");
    assertThat(condition(down, "BgpEstablished").getMessage()).isEqualTo("BGP 198.19.0.1 Idle: " + why);
    assertThat(condition(down, "Ready").getReason()).isEqualTo("BgpPrefixLimitExceeded");

    // Another reason keeps the generic reason but still says why.
    source.bgp.clear();
    source.bgp.add(new BgpObservation("a", "a/0", new BgpPeerStatus(0, "198.19.0.1", 65020L, BgpPeerState.Active,
        null, 0L, 0L, 30L, 12L), "hold timer expired (90 s without a message)"));
    ConnectionStatus held = conn(aggregate(p), "a");
    assertThat(condition(held, "BgpEstablished").getReason()).isEqualTo("BgpSessionNotEstablished");
    assertThat(condition(held, "BgpEstablished").getMessage()).contains("hold timer expired");

    // Established again: the old error is history.
    source.bgp.clear();
    source.bgp.add(new BgpObservation("a", "a/0", new BgpPeerStatus(0, "198.19.0.1", 65020L, BgpPeerState.Established,
        "PT5M", 3L, 1L, 9L, 9L), why));
    assertThat(condition(conn(aggregate(p), "a"), "BgpEstablished").getReason()).isEqualTo("BgpSessionsEstablished");
  }

  @Test
  void eachBgpConnectionShowsOnlyItsOwnSessions() throws Exception {
    String gw = gateway("gw", "enableBgp: true\nbgpSettings: {asn: 65010}\naddressSpace: [198.18.0.0/16]\n"
        + "instances: [{publicIpAddress: 203.0.113.10}]\n");
    String one = site("onprem", "gatewayIpAddress: 198.51.100.10\nbgpSettings: {asn: 65020, bgpPeeringAddress: 198.19.0.1}\n");
    String two = site("branch", "gatewayIpAddress: 198.51.100.20\nbgpSettings: {asn: 65030, bgpPeeringAddress: 198.19.0.2}\n");
    GatewayPlan p = plan(gw, PSK, one, two, ipsec("a", "onprem", "enableBgp: true\n"), ipsec("b", "branch", "enableBgp: true\n"));
    source.tunnels.add(established("a/0", "203.0.113.10", "198.51.100.10", 1, 1));
    source.tunnels.add(established("b/0", "203.0.113.10", "198.51.100.20", 1, 1));
    source.bgp.add(new BgpObservation("b", "b/0", new BgpPeerStatus(0, "198.19.0.2", 65030L, BgpPeerState.Active,
        null, 0L, 0L, 3L, 0L)));
    source.bgp.add(new BgpObservation("a", "a/0", new BgpPeerStatus(0, "198.19.0.1", 65020L, BgpPeerState.Established,
        "PT5M", 3L, 1L, 9L, 9L)));
    InstanceStatus st = aggregate(p);
    assertThat(conn(st, "a").bgpPeers()).extracting(BgpPeerStatus::neighbor).containsExactly("198.19.0.1");
    assertThat(conn(st, "b").bgpPeers()).extracting(BgpPeerStatus::neighbor).containsExactly("198.19.0.2");
    assertThat(condition(conn(st, "a"), "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(conn(st, "b"), "Ready").getReason()).isEqualTo("BgpSessionNotEstablished");
  }

  @Test
  void weakCryptographyFromPolicyAndFromNegotiation() throws Exception {
    String weak = """
        ipsecPolicies:
        - {saLifeTimeSeconds: 3600, saDataSizeKilobytes: 2048, ipsecEncryption: AES256, ipsecIntegrity: SHA256,
           ikeEncryption: AES256, ikeIntegrity: SHA256, dhGroup: DHGroup2, pfsGroup: None}
        """;
    var t = established("b/0", "203.0.113.10", "198.51.100.20", 0, 0);
    source.tunnels.add(new TunnelObservation(t.tunnel(), t.phase(), t.localEndpoint(), t.remoteEndpoint(), t.ike(),
        t.esp(), t.inboundSpi(), t.outboundSpi(), t.established(), t.lastRekey(), 0, 0, null,
        List.of("DH group 2 (MODP_1024)")));
    InstanceStatus st = aggregate(plan(GW, PSK, ONPREM, BRANCH, ipsec("a", "onprem", weak), ipsec("b", "branch", "")));
    assertThat(condition(conn(st, "a"), "WeakCryptography").getMessage()).isEqualTo(
        "the custom IPsec/IKE policy selects deprecated algorithms: dhGroup DHGroup2 (spec.ipsecPolicies[0].dhGroup)");
    assertThat(condition(conn(st, "b"), "WeakCryptography").getMessage()).isEqualTo("b/0 negotiated DH group 2 (MODP_1024)");
    assertThat(st.warnings()).contains("a: WeakCryptography: the custom IPsec/IKE policy selects deprecated algorithms:"
        + " dhGroup DHGroup2");
  }

  @Test
  void natTraversalConditionSaysWhichSideIsBehindTheNat() throws Exception {
    var t = established("a/0", "203.0.113.10", "198.51.100.20", 0, 0);
    source.tunnels.add(new TunnelObservation(t.tunnel(), t.phase(), t.localEndpoint(), "198.51.100.20:41017", t.ike(),
        t.esp(), t.inboundSpi(), t.outboundSpi(), t.established(), t.lastRekey(), 0, 0, null, List.of(),
        "the peer is behind a NAT (or forces UDP encapsulation)"));
    source.tunnels.add(established("b/0", "203.0.113.10", "198.51.100.30", 0, 0));
    InstanceStatus st = aggregate(plan(GW, PSK, ONPREM, BRANCH, ipsec("a", "onprem", ""), ipsec("b", "branch", "")));
    var nat = condition(conn(st, "a"), "NatTraversal");
    assertThat(nat.getStatus()).isEqualTo("True");
    assertThat(nat.getReason()).isEqualTo("NatDetected");
    assertThat(nat.getMessage())
        .isEqualTo("a/0 to 198.51.100.20:41017: the peer is behind a NAT (or forces UDP encapsulation)");
    assertThat(conn(st, "b").conditions()).noneMatch(c -> c.getType().equals("NatTraversal"));
  }

  @Test
  void excludedConnectionIsNotConnectedWithPlannerReason() throws Exception {
    InstanceStatus st = aggregate(plan(GW, PSK, ONPREM, ipsec("a", "onprem", ""), ipsec("z", "nowhere", "")));
    ConnectionStatus z = conn(st, "z");
    assertThat(z.connectionStatus()).isEqualTo(ConnectionState.NotConnected);
    assertThat(condition(z, "Ready").getReason()).isEqualTo("LocalNetworkGatewayNotFound");
    assertThat(st.warnings()).contains("z not running: LocalNetworkGatewayNotFound: spec.localNetworkGateway2.name:"
        + " LocalNetworkGateway nowhere not found in namespace default");
  }

  @Test
  void lastTransitionTimeKeptWhileStatusUnchanged() throws Exception {
    GatewayPlan p = plan(GW, PSK, ONPREM, ipsec("a", "onprem", ""));
    source.tunnels.add(negotiating("a/0"));
    var first = condition(conn(aggregator.aggregate(p, "t", T0, source, T0.plusSeconds(1)), "a"), "Ready");
    var second = condition(conn(aggregator.aggregate(p, "t", T0, source, T0.plusSeconds(2)), "a"), "Ready");
    assertThat(second.getLastTransitionTime()).isEqualTo(first.getLastTransitionTime()).isEqualTo("2026-11-23T12:00:01Z");
    source.tunnels.clear();
    source.tunnels.add(established("a/0", "203.0.113.10", "198.51.100.10", 0, 0));
    var third = condition(conn(aggregator.aggregate(p, "t", T0, source, T0.plusSeconds(3)), "a"), "Ready");
    assertThat(third.getLastTransitionTime()).isEqualTo("2026-11-23T12:00:03Z");
  }

  @Test
  void jsonRoundTripAsServedByTheAdminEndpoint() throws Exception {
    source.tunnels.add(established("a/0", "203.0.113.10", "198.51.100.10", 5, 6));
    source.drops.put("replay", 2L);
    InstanceStatus st = aggregate(plan(GW, PSK, ONPREM, ipsec("a", "onprem", "")));
    // the AdminServer's mapper settings
    ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);
    String text = json.writeValueAsString(st);
    assertThat(text).contains("\"connectionStatus\" : \"Connected\"").doesNotContain("Sup3rSecretKey42");
    assertThat(StatusJson.read(text)).isEqualTo(st);
  }
}
