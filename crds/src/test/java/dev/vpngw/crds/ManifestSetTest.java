package dev.vpngw.crds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpngw.crds.v1alpha1.ConnectionType;
import dev.vpngw.crds.v1alpha1.GatewaySku;
import dev.vpngw.crds.validation.Topology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestSetTest {

  static final String GATEWAY = """
      apiVersion: vpngw.dev/v1alpha1
      kind: VirtualNetworkGateway
      metadata: {name: gw}
      spec: {sku: VpnGw1AZ, addressSpace: [198.18.0.0/16]}
      """;

  @Test
  void readsMultiDocumentFilesFromADirectoryTree(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.yaml"), GATEWAY + """
        ---
        # a comment-only document is skipped
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: LocalNetworkGateway
        metadata: {name: site, namespace: branch}
        spec: {gatewayIpAddress: 198.51.100.10, localNetworkAddressSpace: [198.19.0.0/24]}
        """);
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/b.yml"), """
        apiVersion: vpngw.dev/v1alpha1
        kind: Connection
        metadata: {name: conn}
        spec:
          connectionType: IPsec
          virtualNetworkGateway1: {name: gw}
          localNetworkGateway2: {name: site}
          sharedKey: {secretKeyRef: {name: psk, key: k}}
        """);
    Files.writeString(dir.resolve("notes.txt"), "not a manifest");
    // Kubernetes volume mounts keep the real files in ..data / ..<timestamp> directories.
    Files.createDirectories(dir.resolve("..data"));
    Files.writeString(dir.resolve("..data/a.yaml"), GATEWAY);

    ManifestSet set = ManifestSet.load(dir);

    assertThat(set.virtualNetworkGateways()).singleElement().satisfies(v -> {
      assertThat(v.getSpec().sku()).isEqualTo(GatewaySku.VpnGw1AZ);
      assertThat(v.getMetadata().getNamespace()).as("defaulted").isEqualTo("default");
    });
    assertThat(set.localNetworkGateways()).singleElement()
        .satisfies(l -> assertThat(l.getMetadata().getNamespace()).isEqualTo("branch"));
    assertThat(set.connections()).singleElement()
        .satisfies(c -> assertThat(c.getSpec().connectionType()).isEqualTo(ConnectionType.IPsec));
    assertThat(set.secrets()).isEmpty();
  }

  @Test
  void readsSecretsFromStringDataAndBase64Data() throws Exception {
    String encoded = Base64.getEncoder().encodeToString("fromData".getBytes(StandardCharsets.US_ASCII));
    ManifestSet set = ManifestSet.parse("inline", """
        apiVersion: v1
        kind: Secret
        metadata: {name: a}
        stringData: {sharedKey: fromStringData}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: b}
        data: {sharedKey: %s}
        """.formatted(encoded), "ns");
    Topology t = set.topology();
    assertThat(t.secretValue("ns", "a", "sharedKey").map(String::new)).contains("fromStringData");
    assertThat(t.secretValue("ns", "b", "sharedKey").map(String::new)).contains("fromData");
    assertThat(t.secretValue("ns", "b", "other")).isEmpty();
    assertThat(t.secretValue("default", "b", "sharedKey")).as("namespaced").isEmpty();
  }

  @Test
  void reportsEveryProblemWithFileDocumentAndField(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: cm}
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: Connection
        metadata: {name: c1}
        spec:
          connectionType: IPsec
          virtualNetworkGateway1: {name: gw}
          localNetworkGateway2: {name: site}
          sharedKey: {secretKeyRef: {name: psk, key: k}}
          ipsecPolicies:
            - {saLifeTimeSeconds: 300, saDataSizeKilobytes: 1024, ipsecEncryption: AES999, ipsecIntegrity: SHA1,
               ikeEncryption: AES256, ikeIntegrity: SHA1, dhGroup: DHGroup2, pfsGroup: None}
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: LocalNetworkGateway
        metadata: {name: site}
        spec: {fqdn: vpn.example.net, gatewayIpAdress: 198.51.100.10, localNetworkAddressSpace: [198.19.0.0/24]}
        ---
        key: [unclosed
        ---
        """ + GATEWAY + "---\n" + GATEWAY);

    assertThatThrownBy(() -> ManifestSet.load(file))
        .isInstanceOfSatisfying(ManifestException.class, e -> {
          List<ManifestProblem> p = e.problems();
          assertThat(p).hasSize(5);
          assertThat(p).allSatisfy(x -> assertThat(x.source()).isEqualTo(file.toString()));
          assertThat(p.get(0).document()).isEqualTo(1);
          assertThat(p.get(0).message()).contains("unknown kind ConfigMap");
          assertThat(p.get(1).document()).isEqualTo(2);
          assertThat(p.get(1).line()).isEqualTo(5);
          assertThat(p.get(1).message()).contains("Connection c1", "spec.ipsecPolicies[0].ipsecEncryption",
              "Unsupported value: \"AES999\"", "GCMAES256");
          assertThat(p.get(2).document()).isEqualTo(3);
          assertThat(p.get(2).message()).contains("spec.gatewayIpAdress: unknown field", "gatewayIpAddress");
          assertThat(p.get(2).line()).isEqualTo(17);
          assertThat(p.get(3).document()).isEqualTo(4);
          assertThat(p.get(3).message()).startsWith("not valid YAML");
          assertThat(p.get(4).document()).isEqualTo(6);
          assertThat(p.get(4).message()).contains("VirtualNetworkGateway gw", "more than once");
          assertThat(e.getMessage()).contains("bad.yaml document 2 (line 5)");
        });
  }

  @Test
  void secretDataErrorsDoNotEchoTheValue() {
    assertThatThrownBy(() -> ManifestSet.parse("inline", """
        apiVersion: v1
        kind: Secret
        metadata: {name: a}
        stringData: {sharedKey: [TopSecretValue]}
        """, "default"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("stringData")
        .hasMessageNotContaining("TopSecretValue");
  }

  @Test
  void missingPathAndMissingNameAreProblems(@TempDir Path dir) {
    assertThatThrownBy(() -> ManifestSet.load(dir.resolve("nope")))
        .isInstanceOf(ManifestException.class).hasMessageContaining("no such file or directory");
    assertThatThrownBy(() -> ManifestSet.parse("inline", """
        apiVersion: vpngw.dev/v1alpha1
        kind: VirtualNetworkGateway
        spec: {sku: Basic, addressSpace: [198.18.0.0/16]}
        """, "default"))
        .isInstanceOf(ManifestException.class).hasMessageContaining("metadata.name is required");
  }

  @Test
  void appliesTheShippedSchemaAndCelRulesLikeTheApiServer() {
    assertThatThrownBy(() -> ManifestSet.parse("inline", """
        apiVersion: vpngw.dev/v1alpha1
        kind: LocalNetworkGateway
        metadata: {name: site}
        spec: {gatewayIpAddress: 198.51.100.10, fqdn: vpn.example.net, localNetworkAddressSpace: [198.19.0.0/24]}
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: Connection
        metadata: {name: c}
        spec:
          connectionType: IPsec
          virtualNetworkGateway1: {name: gw}
          localNetworkGateway2: {name: site}
          sharedKey: {secretKeyRef: {name: psk, key: k}}
          dpdTimeoutSeconds: 5
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: VirtualNetworkGateway
        metadata: {name: gw}
        spec: {addressSpace: [198.18.0.0/16, 198.18.0.0/99]}
        """, "default"))
        .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.problems())
            .extracting(ManifestProblem::document, ManifestProblem::message)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(1,
                    "LocalNetworkGateway site: spec: exactly one of gatewayIpAddress or fqdn must be set"),
                org.assertj.core.groups.Tuple.tuple(2,
                    "Connection c: spec.dpdTimeoutSeconds: Invalid value: 5: should be greater than or equal to 9"),
                org.assertj.core.groups.Tuple.tuple(3, "VirtualNetworkGateway gw: spec.sku: Required value"),
                org.assertj.core.groups.Tuple.tuple(3, "VirtualNetworkGateway gw: spec.addressSpace[1]: Invalid value: "
                    + "\"198.18.0.0/99\": should match '" + dev.vpngw.crds.v1alpha1.Patterns.IPV4_CIDR + "'")));
  }

  @Test
  void requireValidPlacesFindingsAtTheirFileAndDocument(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gw.yaml");
    Files.writeString(file, GATEWAY + """
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: Connection
        metadata: {name: conn}
        spec:
          connectionType: IPsec
          virtualNetworkGateway1: {name: gw}
          localNetworkGateway2: {name: site}
          sharedKey: {secretKeyRef: {name: psk, key: k}}
        """);
    ManifestSet set = ManifestSet.load(file);
    assertThat(set.originOf(set.connections().getFirst())).get()
        .extracting(ManifestProblem::document, ManifestProblem::line).containsExactly(2, 6);
    assertThatThrownBy(set::requireValid).isInstanceOfSatisfying(ManifestException.class, e ->
        assertThat(e.problems()).extracting(ManifestProblem::toString).containsExactly(
            file + " document 2 (line 6): Connection conn: LocalNetworkGatewayNotFound: spec.localNetworkGateway2.name: "
                + "LocalNetworkGateway site not found in namespace default",
            file + " document 2 (line 6): Connection conn: SecretNotFound: spec.sharedKey.secretKeyRef.name: "
                + "Secret psk not found in namespace default"));
    assertThat(ManifestSet.load(ExampleManifests.examplesDir().resolve("site-to-site")).requireValid()).isNotNull();
  }

  @Test
  void celViolationsPointAtTheRulesFieldPath() {
    assertThatThrownBy(() -> ManifestSet.parse("inline", """
        apiVersion: vpngw.dev/v1alpha1
        kind: VirtualNetworkGateway
        metadata: {name: gw}
        spec: {sku: Basic, activeActive: true, addressSpace: [198.18.0.0/16], bgpSettings: {asn: 8075}}
        """, "default"))
        .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.problems())
            .extracting(ManifestProblem::message)
            .containsExactly(
                "VirtualNetworkGateway gw: spec.activeActive: activeActive: the Basic SKU does not support active-active",
                "VirtualNetworkGateway gw: spec.bgpSettings.asn: bgpSettings.asn is reserved (8074, 8075, 12076, "
                    + "65517-65520, 23456, 64496-64511, 65535-65551, 4294967295 and 0 cannot be used; 65515 is the gateway default)"));
  }
}
