package dev.vpngw.crds.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.vpngw.crds.ManifestException;
import dev.vpngw.crds.ManifestSet;
import dev.vpngw.crds.v1alpha1.Connection;
import dev.vpngw.crds.v1alpha1.LocalNetworkGateway;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyValidatorTest {

  static final String PSK = """
      apiVersion: v1
      kind: Secret
      metadata: {name: psk}
      stringData: {k: GoodKey0123456789}
      ---
      """;

  static String gateway(String name, String spec) {
    return "apiVersion: vpngw.dev/v1alpha1\nkind: VirtualNetworkGateway\nmetadata: {name: " + name + "}\nspec: "
        + spec + "\n---\n";
  }

  static String site(String name, String spec) {
    return "apiVersion: vpngw.dev/v1alpha1\nkind: LocalNetworkGateway\nmetadata: {name: " + name + "}\nspec: "
        + spec + "\n---\n";
  }

  static String connection(String name, String gw, String site, String extra) {
    return "apiVersion: vpngw.dev/v1alpha1\nkind: Connection\nmetadata: {name: " + name + "}\nspec: {connectionType: IPsec, "
        + "virtualNetworkGateway1: {name: " + gw + "}, localNetworkGateway2: {name: " + site + "}, "
        + "sharedKey: {secretKeyRef: {name: psk, key: k}}" + (extra.isEmpty() ? "" : ", " + extra) + "}\n---\n";
  }

  static String v2v(String name, String gw1, String gw2, String extra) {
    return "apiVersion: vpngw.dev/v1alpha1\nkind: Connection\nmetadata: {name: " + name + "}\nspec: {connectionType: Vnet2Vnet, "
        + "virtualNetworkGateway1: {name: " + gw1 + "}, virtualNetworkGateway2: {name: " + gw2 + "}, "
        + "sharedKey: {secretKeyRef: {name: psk, key: k}}" + (extra.isEmpty() ? "" : ", " + extra) + "}\n---\n";
  }

  static final String GW = gateway("gw", "{sku: VpnGw1AZ, addressSpace: [198.18.0.0/16]}");
  static final String SITE = site("site", "{gatewayIpAddress: 198.51.100.10, localNetworkAddressSpace: [198.19.0.0/24]}");

  /**
   * The validator also runs where the schema was not enforced (or on objects the schema allows but
   * the data plane cannot use), so these tests build topologies without ManifestSet's schema checks.
   */
  static Topology topology(String yaml) {
    var vngs = new ArrayList<VirtualNetworkGateway>();
    var lngs = new ArrayList<LocalNetworkGateway>();
    var conns = new ArrayList<Connection>();
    var secrets = new ArrayList<Secret>();
    for (String doc : yaml.split("\n---\n")) {
      if (doc.isBlank()) {
        continue;
      }
      HasMetadata r = switch (Serialization.unmarshal(doc, java.util.Map.class).get("kind").toString()) {
        case "VirtualNetworkGateway" -> Serialization.unmarshal(doc, VirtualNetworkGateway.class);
        case "LocalNetworkGateway" -> Serialization.unmarshal(doc, LocalNetworkGateway.class);
        case "Connection" -> Serialization.unmarshal(doc, Connection.class);
        case "Secret" -> Serialization.unmarshal(doc, Secret.class);
        default -> throw new IllegalArgumentException(doc);
      };
      r.getMetadata().setNamespace("ns");
      switch (r) {
        case VirtualNetworkGateway v -> vngs.add(v);
        case LocalNetworkGateway l -> lngs.add(l);
        case Connection c -> conns.add(c);
        case Secret x -> secrets.add(x);
        default -> throw new IllegalStateException();
      }
    }
    return new Topology(vngs, lngs, conns, secrets);
  }

  static List<Finding> findings(String yaml) {
    return new TopologyValidator().validate(topology(yaml));
  }

  @Test
  void manifestSetRunsTheSameValidator() throws ManifestException {
    String yaml = PSK + GW + SITE + connection("c", "gw", "site", "") + connection("d", "gw", "site", "");
    assertThat(ManifestSet.parse("test", yaml, "ns").validate()).isEqualTo(findings(yaml)).hasSize(1);
  }

  @Test
  void consistentTopologyHasNoFindings() {
    assertThat(findings(PSK + GW + SITE + connection("c", "gw", "site", ""))).isEmpty();
  }

  @Test
  void unresolvedReferences() {
    var f = findings(PSK + GW + connection("c1", "nogw", "site", "") + connection("c2", "gw", "nosite", "")
        + v2v("c3", "gw", "nogw2", ""));
    assertThat(f).extracting(Finding::resourceName, Finding::fieldPath, Finding::reason).containsExactly(
        tuple("c1", "spec.virtualNetworkGateway1.name", "VirtualNetworkGatewayNotFound"),
        tuple("c1", "spec.localNetworkGateway2.name", "LocalNetworkGatewayNotFound"),
        tuple("c2", "spec.localNetworkGateway2.name", "LocalNetworkGatewayNotFound"),
        tuple("c3", "spec.virtualNetworkGateway2.name", "VirtualNetworkGatewayNotFound"));
    assertThat(f.getFirst().message()).contains("nogw", "namespace ns");
    assertThat(f.getFirst().namespace()).isEqualTo("ns");
    assertThat(f.getFirst().resourceKind()).isEqualTo("Connection");
  }

  @Test
  void missingReferenceWhereTheSchemaWouldRequireOne() {
    var f = findings(PSK + GW + """
        apiVersion: vpngw.dev/v1alpha1
        kind: Connection
        metadata: {name: c}
        spec: {connectionType: IPsec, virtualNetworkGateway1: {name: gw}}
        """);
    assertThat(f).extracting(Finding::fieldPath, Finding::reason).containsExactly(
        tuple("spec.localNetworkGateway2", "ReferenceMissing"),
        tuple("spec.sharedKey.secretKeyRef", "ReferenceMissing"));
  }

  @Test
  void secretProblemsNameTheFieldButNeverTheValue() {
    String secrets = """
        apiVersion: v1
        kind: Secret
        metadata: {name: spaced}
        stringData: {k: "has a space"}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: other}
        stringData: {x: irrelevant}
        ---
        """;
    var f = findings(secrets + GW + SITE
        + connection("c1", "gw", "site", "").replace("name: psk", "name: missing")
        + connection("c2", "gw", "site", "").replace("name: psk", "name: other")
        + connection("c3", "gw", "site", "").replace("name: psk", "name: spaced"));
    assertThat(f).extracting(Finding::resourceName, Finding::fieldPath, Finding::reason).contains(
        tuple("c1", "spec.sharedKey.secretKeyRef.name", "SecretNotFound"),
        tuple("c2", "spec.sharedKey.secretKeyRef.key", "SecretKeyNotFound"),
        tuple("c3", "spec.sharedKey.secretKeyRef.key", "SharedKeyInvalid"));
    assertThat(f).allSatisfy(x -> assertThat(x.message()).doesNotContain("has a space"));
  }

  @Test
  void sharedKeyRules() {
    assertThat(TopologyValidator.sharedKeyProblem(new byte[0])).isEqualTo("is empty");
    assertThat(TopologyValidator.sharedKeyProblem("a\tb".getBytes())).contains("printable ASCII");
    assertThat(TopologyValidator.sharedKeyProblem("x".repeat(129).getBytes())).contains("longer than 128");
    assertThat(TopologyValidator.sharedKeyProblem("Abc!#$%&'()*+,./:;<=>?@[]^_`{|}-~".getBytes())).isNull();
  }

  @Test
  void skuLimitCountsConnectionsOncePerConnectionEvenWhenActiveActive() {
    // VpnGw1AZ allows 30; active-active does not halve that (both tunnels are part of one connection).
    var yaml = new StringBuilder(PSK).append(gateway("gw",
        "{sku: VpnGw1AZ, activeActive: true, addressSpace: [198.18.0.0/16], instances: [{}, {}]}"));
    for (int i = 1; i <= 30; i++) {
      yaml.append(site("s" + i, "{gatewayIpAddress: 198.51.100." + i + ", localNetworkAddressSpace: [198.19." + i + ".0/24]}"));
      yaml.append(connection("c" + i, "gw", "s" + i, ""));
    }
    assertThat(findings(yaml.toString())).isEmpty();
    yaml.append(site("s31", "{gatewayIpAddress: 198.51.100.31, localNetworkAddressSpace: [198.19.31.0/24]}"));
    yaml.append(connection("c31", "gw", "s31", ""));
    assertThat(findings(yaml.toString())).extracting(Finding::resourceKind, Finding::resourceName, Finding::fieldPath,
        Finding::reason).containsExactly(
        tuple("VirtualNetworkGateway", "gw", "spec.sku", "SkuLimitExceeded"),
        tuple("Connection", "c31", "spec.virtualNetworkGateway1.name", "SkuLimitExceeded"));
  }

  @Test
  void skuLimitPicksTheNewestConnectionsByCreationTimestamp() {
    var yaml = new StringBuilder(PSK).append(gateway("gw", "{sku: Basic, vpnType: PolicyBased, addressSpace: [198.18.0.0/16]}"))
        .append(SITE).append(site("site2", "{gatewayIpAddress: 198.51.100.11, localNetworkAddressSpace: [198.19.1.0/24]}"))
        .append(connection("a-newer", "gw", "site", "connectionProtocol: IKEv1")
            .replace("metadata: {name: a-newer}", "metadata: {name: a-newer, creationTimestamp: '2026-01-02T00:00:00Z'}"))
        .append(connection("b-older", "gw", "site2", "connectionProtocol: IKEv1")
            .replace("metadata: {name: b-older}", "metadata: {name: b-older, creationTimestamp: '2026-01-01T00:00:00Z'}"));
    assertThat(findings(yaml.toString())).extracting(Finding::resourceName, Finding::reason).containsExactly(
        tuple("gw", "SkuLimitExceeded"), tuple("a-newer", "SkuLimitExceeded"));
  }

  @Test
  void basicSkuFeatures() {
    var f = findings(PSK + gateway("gw", "{sku: Basic, activeActive: true, enableBgp: true, addressSpace: [198.18.0.0/16]}")
        + SITE + connection("c", "gw", "site", "connectionProtocol: IKEv1, ipsecPolicies: [{saLifeTimeSeconds: 3600,"
        + " saDataSizeKilobytes: 102400000, ipsecEncryption: AES256, ipsecIntegrity: SHA256, ikeEncryption: AES256,"
        + " ikeIntegrity: SHA256, dhGroup: DHGroup14, pfsGroup: None}]"));
    assertThat(f).extracting(Finding::resourceName, Finding::fieldPath, Finding::reason).containsExactly(
        tuple("gw", "spec.activeActive", "ActiveActiveNotSupported"),
        tuple("gw", "spec.enableBgp", "BgpNotSupported"),
        tuple("c", "spec.ipsecPolicies", "CustomPolicyNotSupported"),
        tuple("c", "spec.connectionProtocol", "ConnectionProtocolNotSupported"));
  }

  @Test
  void policyBasedGatewayRefusesBgpConnectionModeIkev2AndVnet2Vnet() {
    var f = findings(PSK + gateway("gw", "{sku: Basic, vpnType: PolicyBased, addressSpace: [198.18.0.0/16]}")
        + SITE + connection("c", "gw", "site", "enableBgp: true, connectionMode: ResponderOnly"));
    assertThat(f).extracting(Finding::fieldPath, Finding::reason).containsExactly(
        tuple("spec.connectionProtocol", "ConnectionProtocolNotSupported"),
        tuple("spec.enableBgp", "BgpNotSupported"),
        tuple("spec.connectionMode", "ConnectionModeNotSupported"));
    var v = findings(PSK + gateway("gw", "{sku: Basic, vpnType: PolicyBased, addressSpace: [198.18.0.0/16]}")
        + gateway("gw2", "{sku: VpnGw1AZ, addressSpace: [198.19.128.0/17]}") + v2v("c", "gw", "gw2", "connectionProtocol: IKEv1"));
    assertThat(v).extracting(Finding::fieldPath, Finding::reason)
        .containsExactly(tuple("spec.connectionType", "ConnectionTypeNotSupported"));
  }

  @Test
  void policyBasedVngItselfCannotBeActiveActiveOrBgp() {
    var f = findings(gateway("gw", "{sku: VpnGw1, vpnType: PolicyBased, activeActive: true, enableBgp: true, addressSpace: [198.18.0.0/16]}"));
    assertThat(f).extracting(Finding::reason).containsExactly("ActiveActiveNotSupported", "BgpNotSupported");
  }

  @Test
  void prefixesMustBeNetworksAndTheGatewaysOwnMustNotOverlap() {
    var f = findings(gateway("gw", "{sku: VpnGw1AZ, addressSpace: [198.18.0.0/16, 198.18.4.0/24, 198.18.0.1/24]}")
        + site("site", "{gatewayIpAddress: 198.51.100.10, localNetworkAddressSpace: [198.19.0.0/33]}"));
    assertThat(f).extracting(Finding::resourceName, Finding::fieldPath, Finding::reason).containsExactly(
        tuple("gw", "spec.addressSpace[1]", "AddressSpaceOverlap"),
        tuple("gw", "spec.addressSpace[2]", "InvalidPrefix"),
        tuple("site", "spec.localNetworkAddressSpace[0]", "InvalidPrefix"));
    assertThat(f.get(1).message()).contains("198.18.0.0/24");
  }

  @Test
  void siteOverlappingTheGatewayOrAnotherSite() {
    var f = findings(PSK + GW + SITE
        + site("inside", "{gatewayIpAddress: 198.51.100.11, localNetworkAddressSpace: [198.18.7.0/24]}")
        + site("twin", "{gatewayIpAddress: 198.51.100.12, localNetworkAddressSpace: [198.19.0.128/25]}")
        + connection("a", "gw", "site", "") + connection("b", "gw", "inside", "") + connection("c", "gw", "twin", "")
        + connection("d", "gw", "site", ""));
    assertThat(f).extracting(Finding::resourceName, Finding::fieldPath, Finding::reason).containsExactly(
        tuple("b", "spec.localNetworkGateway2.name", "AddressSpaceOverlap"),
        tuple("c", "spec.localNetworkGateway2.name", "AddressSpaceOverlap"),
        tuple("d", "spec.localNetworkGateway2.name", "DuplicateConnection"),
        tuple("d", "spec.localNetworkGateway2.name", "AddressSpaceOverlap"));
    assertThat(f.get(0).message()).contains("198.18.7.0/24", "198.18.0.0/16");
    assertThat(f.get(1).message()).contains("198.19.0.128/25", "198.19.0.0/24", "Connection a");
  }

  @Test
  void sitesOfOneGatewayNeedDistinctDeviceAndBgpPeerAddresses() {
    var f = findings(PSK + AA_GW
        + site("dev1", "{gatewayIpAddress: 198.51.100.10, bgpSettings: {asn: 65020, bgpPeeringAddress: 198.19.0.1}}")
        + site("dev2", "{gatewayIpAddress: 198.51.100.10, bgpSettings: {asn: 65020, bgpPeeringAddress: 198.19.0.2}}")
        + site("dev3", "{gatewayIpAddress: 198.51.100.11, bgpSettings: {asn: 65020, bgpPeeringAddress: 198.19.0.1}}")
        + connection("c1", "gw", "dev1", "enableBgp: true") + connection("c2", "gw", "dev2", "enableBgp: true")
        + connection("c3", "gw", "dev3", "enableBgp: true"));
    assertThat(f).extracting(Finding::resourceName, Finding::reason).containsExactly(
        tuple("c2", "PeerAddressConflict"), tuple("c3", "BgpPeeringAddressConflict"));
  }

  static final String AA_GW = gateway("gw", "{sku: VpnGw2AZ, activeActive: true, enableBgp: true, addressSpace: [198.18.0.0/16],"
      + " bgpSettings: {asn: 65010, bgpPeeringAddresses: [{instance: 0, customBgpIpAddresses: [169.254.21.1]}]}}");

  @Test
  void bgpConsistency() {
    var f = findings(PSK + AA_GW
        + gateway("plain", "{sku: VpnGw1AZ, addressSpace: [198.17.0.0/16]}")
        + site("nobgp", "{gatewayIpAddress: 198.51.100.10, localNetworkAddressSpace: [198.19.0.0/24]}")
        + site("sameasn", "{gatewayIpAddress: 198.51.100.11, bgpSettings: {asn: 65010, bgpPeeringAddress: 198.19.1.1}}")
        + site("apipa", "{gatewayIpAddress: 198.51.100.12, bgpSettings: {asn: 65020, bgpPeeringAddress: 169.254.21.1}}")
        + site("ok", "{gatewayIpAddress: 198.51.100.13, bgpSettings: {asn: 65030, bgpPeeringAddress: 198.19.3.1}}")
        + connection("c1", "gw", "nobgp", "enableBgp: true")
        + connection("c2", "gw", "sameasn", "enableBgp: true")
        + connection("c3", "gw", "apipa", "enableBgp: true")
        + connection("c4", "plain", "ok", "enableBgp: true")
        + connection("c5", "gw", "ok", "enableBgp: true, gatewayCustomBgpIpAddresses: [{instance: 0, customBgpIpAddress: 169.254.21.9}]")
        + connection("c6", "plain", "nobgp", "gatewayCustomBgpIpAddresses: [{instance: 1, customBgpIpAddress: 169.254.22.1}]"));
    assertThat(f).extracting(Finding::resourceName, Finding::fieldPath, Finding::reason).containsExactly(
        tuple("c1", "spec.enableBgp", "BgpSettingsMissing"),
        tuple("c2", "spec.enableBgp", "AsnConflict"),
        tuple("c3", "spec.enableBgp", "BgpPeeringAddressConflict"),
        tuple("c3", "spec.enableBgp", "ApipaAddressRequired"),
        tuple("c4", "spec.enableBgp", "BgpNotEnabledOnGateway"),
        tuple("c5", "spec.gatewayCustomBgpIpAddresses[0].customBgpIpAddress", "CustomBgpIpAddressNotFound"),
        tuple("c6", "spec.gatewayCustomBgpIpAddresses[0].instance", "InstanceNotFound"));
    assertThat(f.get(3).message()).contains("instance 1");
  }

  @Test
  void vnet2vnetBgpAndSymmetry() {
    String east = gateway("east", "{sku: VpnGw1AZ, enableBgp: true, addressSpace: [198.18.0.0/17], bgpSettings: {asn: 65010}}");
    String west = gateway("west", "{sku: VpnGw1AZ, enableBgp: true, addressSpace: [198.18.128.0/17], bgpSettings: {asn: 65010}}");
    String policy = "ipsecPolicies: [{saLifeTimeSeconds: 3600, saDataSizeKilobytes: 102400000, ipsecEncryption: AES256,"
        + " ipsecIntegrity: SHA256, ikeEncryption: AES256, ikeIntegrity: SHA256, dhGroup: DHGroup14, pfsGroup: None}]";
    var f = findings(PSK + """
        apiVersion: v1
        kind: Secret
        metadata: {name: psk2}
        data: {k: T3RoZXJLZXk=}
        ---
        """ + east + west + v2v("e2w", "east", "west", "enableBgp: true, " + policy)
        + v2v("w2e", "west", "east", "").replace("name: psk", "name: psk2"));
    assertThat(f).extracting(Finding::resourceName, Finding::fieldPath, Finding::reason).containsExactly(
        tuple("e2w", "spec.enableBgp", "AsnConflict"),
        tuple("e2w", "spec.ipsecPolicies", "IpsecPolicyMismatch"),
        tuple("e2w", "spec.sharedKey", "SharedKeyMismatch"),
        tuple("w2e", "spec.ipsecPolicies", "IpsecPolicyMismatch"),
        tuple("w2e", "spec.sharedKey", "SharedKeyMismatch"));
    var g = findings(PSK + east + west.replace("enableBgp: true", "enableBgp: false") + v2v("e2w", "east", "west", "enableBgp: true"));
    assertThat(g).extracting(Finding::reason).containsExactly("BgpNotEnabledOnGateway");
  }

  @Test
  void trafficSelectorsMustLieInsideTheAddressSpaces() {
    var f = findings(PSK + GW + SITE + connection("c", "gw", "site", "usePolicyBasedTrafficSelectors: true,"
        + " trafficSelectorPolicies: [{localAddressRanges: [198.18.1.0/24, 198.17.0.0/24], remoteAddressRanges: [198.19.0.0/25, 198.20.0.0/24]}],"
        + " ipsecPolicies: [{saLifeTimeSeconds: 3600, saDataSizeKilobytes: 102400000, ipsecEncryption: AES256,"
        + " ipsecIntegrity: SHA256, ikeEncryption: AES256, ikeIntegrity: SHA256, dhGroup: DHGroup14, pfsGroup: None}]"));
    assertThat(f).extracting(Finding::fieldPath, Finding::reason).containsExactly(
        tuple("spec.trafficSelectorPolicies[0].localAddressRanges[1]", "TrafficSelectorOutsideAddressSpace"),
        tuple("spec.trafficSelectorPolicies[0].remoteAddressRanges[1]", "TrafficSelectorOutsideAddressSpace"));
  }

  @Test
  void findingsForOneResource() {
    var t = topology(PSK + GW + connection("c1", "gw", "nosite", "") + connection("c2", "gw", "gone", ""));
    var c2 = t.connections().get(1);
    assertThat(new TopologyValidator().validate(t, c2)).singleElement()
        .satisfies(x -> assertThat(x.toString()).isEqualTo("Connection ns/c2 spec.localNetworkGateway2.name: "
            + "LocalNetworkGatewayNotFound: spec.localNetworkGateway2.name: LocalNetworkGateway gone not found in namespace ns"));
  }

  @Test
  void topologyFindsTheConnectionsReferencingAResource() {
    var t = topology(PSK + GW + gateway("gw2", "{sku: VpnGw1AZ, addressSpace: [198.17.0.0/16]}") + SITE
        + connection("c1", "gw", "site", "") + v2v("c2", "gw2", "gw", "") + connection("c3", "gw2", "other", ""));
    assertThat(t.connectionsReferencing(t.virtualNetworkGateways().get(0))).extracting(Topology::nameOf)
        .containsExactly("c1", "c2");
    assertThat(t.connectionsReferencing(t.localNetworkGateways().get(0))).extracting(Topology::nameOf)
        .containsExactly("c1");
    assertThat(t.connectionsReferencing(t.secrets().get(0))).hasSize(3);
    assertThat(t.connectionsOf(t.virtualNetworkGateways().get(1))).extracting(Topology::nameOf)
        .containsExactly("c2", "c3");
  }
}
