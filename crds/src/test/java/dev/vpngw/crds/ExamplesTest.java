package dev.vpngw.crds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.vpngw.crds.v1alpha1.Connection;
import dev.vpngw.crds.v1alpha1.ConnectionSpec;
import dev.vpngw.crds.v1alpha1.GatewayReference;
import dev.vpngw.crds.v1alpha1.GatewaySku;
import dev.vpngw.crds.v1alpha1.LocalNetworkGateway;
import dev.vpngw.crds.v1alpha1.LocalNetworkGatewaySpec;
import dev.vpngw.crds.validation.Finding;
import dev.vpngw.crds.validation.Topology;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every examples/<topology>/ loads into the Java types and passes the semantic validator. */
class ExamplesTest {

  static List<Path> topologies() throws Exception {
    return ExampleManifests.topologies();
  }

  @Test
  void theDocumentedTopologiesExist() throws Exception {
    assertThat(topologies()).extracting(p -> p.getFileName().toString())
        .contains("site-to-site", "active-active-bgp", "vnet-to-vnet", "multi-site", "policy-based");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topologies")
  void loadsAndValidatesWithoutFindings(Path dir) throws Exception {
    assertThat(dir.resolve("README.md")).isRegularFile();
    assertThat(Files.readString(dir.resolve("README.md"))).hasSizeGreaterThan(100);
    ManifestSet set = ManifestSet.load(dir);
    assertThat(set.virtualNetworkGateways()).isNotEmpty();
    assertThat(set.connections()).isNotEmpty();
    assertThat(set.secrets()).as("the shared key's Secret is part of the example").isNotEmpty();
    assertThat(set.validate()).isEmpty();
  }

  @Test
  void multiSiteIsExactlyAtTheBasicSkuLimitAndOneMoreIsRefused() throws Exception {
    ManifestSet set = ManifestSet.load(ExampleManifests.examplesDir().resolve("multi-site"));
    var gw = set.virtualNetworkGateways().getFirst();
    assertThat(gw.getSpec().sku()).isEqualTo(GatewaySku.Basic);
    assertThat(set.connections()).hasSize(GatewaySku.Basic.maxSiteToSiteTunnels());

    var site = new LocalNetworkGateway();
    site.setMetadata(new ObjectMetaBuilder().withName("branch-11").withNamespace("default").build());
    site.setSpec(new LocalNetworkGatewaySpec("198.51.100.21", null, List.of("198.19.11.0/24"), null));
    var extra = new Connection();
    extra.setMetadata(new ObjectMetaBuilder().withName("gw-to-branch-11").withNamespace("default").build());
    var template = set.connections().getFirst().getSpec();
    extra.setSpec(new ConnectionSpec(template.connectionType(), new GatewayReference("gw"),
        new GatewayReference("branch-11"), null, template.sharedKey(), null, false, false, null, null, null, null, null));
    var connections = new ArrayList<>(set.connections());
    connections.add(extra);
    var sites = new ArrayList<>(set.localNetworkGateways());
    sites.add(site);
    List<Finding> findings = new dev.vpngw.crds.validation.TopologyValidator().validate(
        new Topology(set.virtualNetworkGateways(), sites, connections, set.secrets()));
    assertThat(findings).extracting(Finding::resourceName, Finding::reason).containsExactly(
        tuple("gw", "SkuLimitExceeded"), tuple("gw-to-branch-11", "SkuLimitExceeded"));
    assertThat(findings.getFirst().message()).contains("11 Connections", "Basic allows 10");
  }
}
