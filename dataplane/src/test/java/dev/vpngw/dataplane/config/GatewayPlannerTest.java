package dev.vpngw.dataplane.config;

import static dev.vpngw.dataplane.config.TestManifests.GW;
import static dev.vpngw.dataplane.config.TestManifests.PSK;
import static dev.vpngw.dataplane.config.TestManifests.gateway;
import static dev.vpngw.dataplane.config.TestManifests.ipsec;
import static dev.vpngw.dataplane.config.TestManifests.parse;
import static dev.vpngw.dataplane.config.TestManifests.secret;
import static dev.vpngw.dataplane.config.TestManifests.site;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpngw.crds.ManifestSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayPlannerTest {

  private static final String ONPREM = site("onprem", "gatewayIpAddress: 198.51.100.10\nlocalNetworkAddressSpace: [198.19.10.0/24]\n");
  private static final String BRANCH = site("branch", "gatewayIpAddress: 198.51.100.20\nlocalNetworkAddressSpace: [198.19.20.0/24]\n");

  private static GatewayPlan plan(ManifestSet m) throws GatewayPlanException {
    return GatewayPlanner.plan(m, null, 0);
  }

  @Test
  void missingLocalNetworkGatewayExcludesOnlyThatConnection() throws Exception {
    GatewayPlan p = plan(parse(GW, PSK, ONPREM, ipsec("a-ok", "onprem", ""), ipsec("b-broken", "nowhere", "")));
    assertThat(p.connections()).extracting(ConnectionPlan::name).containsExactly("a-ok");
    assertThat(p.excluded()).containsExactly(new ExcludedConnection("b-broken", "LocalNetworkGatewayNotFound",
        "spec.localNetworkGateway2.name",
        "spec.localNetworkGateway2.name: LocalNetworkGateway nowhere not found in namespace default"));
  }

  @Test
  void missingSecretKeyExcludesConnectionNamingTheField() throws Exception {
    GatewayPlan p = plan(parse(GW, secret("psk", "other", "Sup3rSecretKey42"), ONPREM, ipsec("a", "onprem", "")));
    assertThat(p.connections()).isEmpty();
    assertThat(p.excluded()).containsExactly(new ExcludedConnection("a", "SecretKeyNotFound",
        "spec.sharedKey.secretKeyRef.key",
        "spec.sharedKey.secretKeyRef.key: Secret psk has no key psk in data or stringData (or its data is not base64)"));
  }

  @Test
  void missingSecretExcludesConnection() throws Exception {
    GatewayPlan p = plan(parse(GW, ONPREM, ipsec("a", "onprem", "")));
    assertThat(p.excluded()).singleElement().satisfies(x -> {
      assertThat(x.reason()).isEqualTo("SecretNotFound");
      assertThat(x.message()).isEqualTo("spec.sharedKey.secretKeyRef.name: Secret psk not found in namespace default");
    });
  }

  @Test
  void siteOverlappingTheGatewayAddressSpaceIsExcluded() throws Exception {
    String overlapping = site("inside", "gatewayIpAddress: 198.51.100.30\nlocalNetworkAddressSpace: [198.18.5.0/24]\n");
    GatewayPlan p = plan(parse(GW, PSK, ONPREM, overlapping, ipsec("a", "onprem", ""), ipsec("b", "inside", "")));
    assertThat(p.connections()).extracting(ConnectionPlan::name).containsExactly("a");
    assertThat(p.excluded()).containsExactly(new ExcludedConnection("b", "AddressSpaceOverlap",
        "spec.localNetworkGateway2.name",
        "LocalNetworkGateway inside localNetworkAddressSpace prefix 198.18.5.0/24 overlaps 198.18.0.0/16 in the"
            + " addressSpace of VirtualNetworkGateway gw"));
  }

  @Test
  void overlappingOwnAddressSpaceRefusesTheGateway() {
    String gw = gateway("gw", "addressSpace: [198.18.0.0/16, 198.18.4.0/24]\ninstances: [{publicIpAddress: 203.0.113.10}]\n");
    assertThatThrownBy(() -> plan(parse(gw, PSK, ONPREM, ipsec("a", "onprem", ""))))
        .isInstanceOf(GatewayPlanException.class)
        .hasMessage("VirtualNetworkGateway default/gw spec.addressSpace[1]: AddressSpaceOverlap: spec.addressSpace[1]:"
            + " 198.18.4.0/24 overlaps 198.18.0.0/16 of the same list");
  }

  @Test
  void invalidOwnPrefixRefusesTheGateway() {
    String gw = gateway("gw", "addressSpace: [198.18.0.1/16]\ninstances: [{publicIpAddress: 203.0.113.10}]\n");
    assertThatThrownBy(() -> plan(parse(gw, PSK)))
        .isInstanceOf(GatewayPlanException.class)
        .hasMessageContaining("VirtualNetworkGateway default/gw spec.addressSpace[0]: InvalidPrefix:")
        .hasMessageContaining("has host bits set");
  }

  @Test
  void gatewaySelection() {
    String other = gateway("gw2", "addressSpace: [198.19.0.0/16]\ninstances: [{publicIpAddress: 203.0.113.20}]\n");
    ManifestSet two = parse(GW, other, PSK);
    assertThatThrownBy(() -> GatewayPlanner.plan(two, null, 0)).hasMessage(
        "VirtualNetworkGateway default/ --gateway: VirtualNetworkGatewayNotFound: --gateway: the manifests define 2"
            + " VirtualNetworkGateways (default/gw, default/gw2); name the one this instance runs");
    assertThatThrownBy(() -> GatewayPlanner.plan(two, "gw3", 0)).hasMessageEndingWith(
        "--gateway: VirtualNetworkGateway gw3 not found in the manifests (they define default/gw, default/gw2)");
    assertThatThrownBy(() -> GatewayPlanner.plan(parse(PSK), null, 0))
        .hasMessageEndingWith("--gateway: the manifests define no VirtualNetworkGateway");
  }

  @Test
  void namespaceQualifiedGatewayName() throws Exception {
    assertThat(GatewayPlanner.plan(parse(GW, PSK), "default/gw", 0).gateway().name()).isEqualTo("gw");
  }

  @Test
  void instanceOutOfRangeAndMissingAddress() throws Exception {
    assertThatThrownBy(() -> GatewayPlanner.plan(parse(GW), null, 2))
        .hasMessageEndingWith("--instance: 2 is not a gateway instance (0 or 1)");
    String noIp = gateway("gw", "addressSpace: [198.18.0.0/16]\n");
    assertThatThrownBy(() -> GatewayPlanner.plan(parse(noIp), null, 0)).hasMessageEndingWith(
        "spec.instances[0].publicIpAddress: instance 0 has no public address to use as the local IKE endpoint;"
            + " set it or pass --local-address");
    GatewayPlan p = GatewayPlanner.plan(parse(noIp), new GatewayPlanner.Request(null, 0, "192.0.2.7"));
    assertThat(p.gateway().bindAddress()).isEqualTo("192.0.2.7");
    assertThat(p.gateway().identity()).isEqualTo(IkeId.ipv4("192.0.2.7"));
    assertThatThrownBy(() -> GatewayPlanner.plan(parse(noIp), new GatewayPlanner.Request(null, 0, "nope")))
        .hasMessageEndingWith("--local-address: 'nope' is not an IPv4 address");
  }

  @Test
  void localAddressOverrideKeepsThePublicIdentity() throws Exception {
    GatewayPlan p = GatewayPlanner.plan(parse(GW, PSK, ONPREM, ipsec("a", "onprem", "")),
        new GatewayPlanner.Request("gw", 0, "192.0.2.7"));
    assertThat(p.gateway().bindAddress()).isEqualTo("192.0.2.7");
    assertThat(p.tunnels().getFirst().localIdentity()).isEqualTo(IkeId.ipv4("203.0.113.10"));
  }

  @Test
  void standbyInstanceMirrorsInstanceZero() throws Exception {
    GatewayPlan p = GatewayPlanner.plan(parse(GW, PSK, ONPREM, ipsec("a", "onprem", "")), null, 1);
    assertThat(p.gateway().role()).isEqualTo(LocalGatewayPlan.Role.Standby);
    assertThat(p.gateway().publicAddress()).isEqualTo("203.0.113.10");
    assertThat(p.tunnels()).extracting(TunnelPlan::name).containsExactly("a/1");
  }

  @Test
  void customPolicyWithWeakAlgorithmsWarnsNamingFields() throws Exception {
    String policy = """
        ipsecPolicies:
        - {saLifeTimeSeconds: 3600, saDataSizeKilobytes: 2048, ipsecEncryption: DES3, ipsecIntegrity: SHA1,
           ikeEncryption: AES256, ikeIntegrity: SHA256, dhGroup: DHGroup2, pfsGroup: PFS2}
        """;
    ConnectionPlan c = plan(parse(GW, PSK, ONPREM, ipsec("a", "onprem", policy))).connections().getFirst();
    assertThat(c.proposals()).isEqualTo(new Proposals.Custom("AES256", "SHA256", "DHGroup2", "DES3", "SHA1", "PFS2"));
    assertThat(c.lifetimes()).isEqualTo(new Lifetimes(28_800, 3600, 2048));
    assertThat(c.warnings()).containsExactly(new PlanWarning("WeakCryptography",
        List.of("spec.ipsecPolicies[0].dhGroup", "spec.ipsecPolicies[0].ipsecEncryption",
            "spec.ipsecPolicies[0].ipsecIntegrity", "spec.ipsecPolicies[0].pfsGroup"),
        "the custom IPsec/IKE policy selects deprecated algorithms: dhGroup DHGroup2, ipsecEncryption DES3,"
            + " ipsecIntegrity SHA1, pfsGroup PFS2"));
  }

  @Test
  void azureDefaultsWithoutPolicy() throws Exception {
    ConnectionPlan c = plan(parse(GW, PSK, ONPREM, ipsec("a", "onprem", ""))).connections().getFirst();
    assertThat(c.proposals()).isEqualTo(new Proposals.AzureDefaults("RouteBased"));
    assertThat(c.lifetimes()).isEqualTo(new Lifetimes(28_800, 27_000, 102_400_000L));
    assertThat(c.dpdTimeoutSeconds()).isEqualTo(45);
    assertThat(c.trafficSelectors()).isEqualTo(TrafficSelectors.routeBased());
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void prefixPairSelectorsAreTheCrossProduct() throws Exception {
    String gw = gateway("gw", "addressSpace: [198.18.0.0/24, 198.18.1.0/24]\ninstances: [{publicIpAddress: 203.0.113.10}]\n");
    String twoPrefixes = site("onprem", "gatewayIpAddress: 198.51.100.10\nlocalNetworkAddressSpace: [198.19.10.0/24, 198.19.11.0/24]\n");
    String policy = """
        usePolicyBasedTrafficSelectors: true
        ipsecPolicies:
        - {saLifeTimeSeconds: 27000, saDataSizeKilobytes: 102400000, ipsecEncryption: GCMAES256, ipsecIntegrity: GCMAES256,
           ikeEncryption: AES256, ikeIntegrity: SHA256, dhGroup: DHGroup14, pfsGroup: None}
        """;
    ConnectionPlan c = plan(parse(gw, PSK, twoPrefixes, ipsec("a", "onprem", policy))).connections().getFirst();
    assertThat(c.trafficSelectors().mode()).isEqualTo(TrafficSelectors.Mode.PrefixPairs);
    assertThat(c.trafficSelectors().pairs()).extracting(pr -> pr.local().getFirst() + ">" + pr.remote().getFirst())
        .containsExactly("198.18.0.0/24>198.19.10.0/24", "198.18.0.0/24>198.19.11.0/24",
            "198.18.1.0/24>198.19.10.0/24", "198.18.1.0/24>198.19.11.0/24");
    assertThat(c.warnings()).isEmpty();
    assertThat(c.proposals().summary()).isEqualTo("AES256/SHA256/DHGroup14 + GCMAES256/GCMAES256/None");
  }

  @Test
  void fqdnSiteStaysUnresolved() throws Exception {
    String dns = site("onprem", "fqdn: vpn.example.net\nlocalNetworkAddressSpace: [198.19.10.0/24]\n");
    TunnelPlan t = plan(parse(GW, PSK, dns, ipsec("a", "onprem", ""))).tunnels().getFirst();
    assertThat(t.peer()).isEqualTo(new PeerEndpoint.Host("vpn.example.net"));
    assertThat(t.remoteIdentity()).isEqualTo(IkeId.any());
  }

  @Test
  void bgpNeighborAndHostRoute() throws Exception {
    String gw = gateway("gw", """
        enableBgp: true
        bgpSettings: {asn: 65010}
        addressSpace: [198.18.0.0/16]
        instances: [{publicIpAddress: 203.0.113.10}]
        """);
    String bgpSite = site("onprem", "gatewayIpAddress: 198.51.100.10\nbgpSettings: {asn: 65020, bgpPeeringAddress: 198.19.0.1, peerWeight: 5}\n");
    GatewayPlan p = plan(parse(gw, PSK, bgpSite, ipsec("a", "onprem", "enableBgp: true\n")));
    TunnelPlan t = p.tunnels().getFirst();
    assertThat(t.staticRoutes()).containsExactly("198.19.0.1/32");
    assertThat(t.bgpNeighbor()).isEqualTo(new BgpNeighborPlan("198.18.255.254", "198.19.0.1", 65020, 5, false));
    assertThat(p.gateway().asn()).isEqualTo(65010);
  }

  @Test
  void vnetToActiveActiveGatewayHasOneTunnelPerRemoteInstance() throws Exception {
    String west = gateway("west", """
        activeActive: true
        addressSpace: [198.19.0.0/16]
        instances: [{publicIpAddress: 203.0.113.20}, {publicIpAddress: 203.0.113.21}]
        """);
    String conn = TestManifests.connection("gw-to-west", """
        connectionType: Vnet2Vnet
        virtualNetworkGateway1: {name: gw}
        virtualNetworkGateway2: {name: west}
        sharedKey: {secretKeyRef: {name: psk, key: psk}}
        """);
    GatewayPlan p = GatewayPlanner.plan(parse(GW, west, PSK, conn), "gw", 0);
    assertThat(p.tunnels()).extracting(t -> t.name() + " " + t.peer().display() + " " + t.staticRoutes())
        .containsExactly("gw-to-west/0-0 203.0.113.20 [198.19.0.0/16]", "gw-to-west/0-1 203.0.113.21 [198.19.0.0/16]");
  }

  @Test
  void connectionsOverTheSkuLimitAreExcludedGatewayRuns() throws Exception {
    String basic = gateway("gw", "addressSpace: [198.18.0.0/16]\ninstances: [{publicIpAddress: 203.0.113.10}]\n")
        .replace("VpnGw2", "Basic");
    var docs = new ArrayList<String>(List.of(basic, PSK));
    for (int i = 1; i <= 11; i++) {
      docs.add(site("s" + i, "gatewayIpAddress: 198.51.100." + i + "\nlocalNetworkAddressSpace: [198.19." + i + ".0/24]\n"));
      docs.add(ipsec("c" + (char) ('a' + i - 1), "s" + i, ""));
    }
    GatewayPlan p = plan(parse(docs.toArray(String[]::new)));
    assertThat(p.connections()).hasSize(10);
    assertThat(p.excluded()).singleElement().satisfies(x -> {
      assertThat(x.name()).isEqualTo("ck");
      assertThat(x.reason()).isEqualTo("SkuLimitExceeded");
    });
  }

  @Test
  void pskNeverPrinted() throws Exception {
    GatewayPlan p = plan(parse(GW, PSK, ONPREM, BRANCH, ipsec("a", "onprem", ""), ipsec("b", "branch", "")));
    assertThat(p.toString()).doesNotContain("Sup3rSecretKey42").contains(Psk.MASK);
    assertThat(PlanFormat.json(p)).doesNotContain("Sup3rSecretKey42");
    assertThat(new String(p.connections().getFirst().psk().bytes())).isEqualTo("Sup3rSecretKey42");
  }
}
