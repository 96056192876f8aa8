package dev.vpngw.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import dev.vpngw.operator.Examples;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** helm lint and helm template on helm/vpngw, through helm-java (the Helm library, no helm binary). */
class HelmChartTest {
  private static final Path CHART = Examples.repoRoot().resolve("helm/vpngw");

  @Test
  void lintPasses() {
    var result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void templateRendersOperatorDeploymentAndScopedRbac() {
    String yaml = new Helm(CHART).template().withName("vpngw").withNamespace("vpngw-system").call();
    assertThat(yaml).contains("kind: Deployment").contains("kind: ClusterRole").contains("kind: ServiceAccount")
        .doesNotContain("kind: ServiceMonitor");
    var parsed = parseAll(yaml);
    Deployment d = parsed.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
    var args = d.getSpec().getTemplate().getSpec().getContainers().getFirst().getArgs();
    assertThat(args).contains("run", "--dataplane-image=ghcr.io/vpngw/vpngw-dataplane:0.1.0", "--route-agent",
        "--leader-election-namespace=vpngw-system");
    var sc = d.getSpec().getTemplate().getSpec().getContainers().getFirst().getSecurityContext();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    ClusterRole role = parsed.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast).findFirst().orElseThrow();
    assertThat(role.getRules()).anySatisfy(r -> {
      assertThat(r.getResources()).contains("connections/status");
      assertThat(r.getVerbs()).contains("patch");
    });
    assertThat(role.getRules()).anySatisfy(r -> {
      assertThat(r.getResources()).containsExactly("pods");
      assertThat(r.getVerbs()).contains("patch", "delete").doesNotContain("create");
    });
    // Nothing cluster-wide beyond what the operator does.
    assertThat(role.getRules()).allSatisfy(r -> assertThat(r.getVerbs()).doesNotContain("*"));
  }

  @Test
  void serviceMonitorWhenEnabled() {
    String yaml = new Helm(CHART).template().withName("vpngw").set("metrics.serviceMonitor.enabled", true).call();
    assertThat(yaml).contains("kind: ServiceMonitor").contains("path: /metrics");
  }

  @Test
  void valuesSchemaRejectsUnknownTunMode() {
    assertThatThrownBy(() -> new Helm(CHART).template().withName("vpngw").set("dataplane.tunDevice", "PRIVILEGED").call())
        .hasMessageContaining("tunDevice");
  }

  @Test
  void chartCarriesTheGeneratedCrds() throws Exception {
    try (var files = java.nio.file.Files.list(CHART.resolve("crds"))) {
      assertThat(files.map(f -> f.getFileName().toString()).toList())
          .contains("virtualnetworkgateways.vpngw.dev-v1.yml", "localnetworkgateways.vpngw.dev-v1.yml",
              "connections.vpngw.dev-v1.yml");
    }
  }

  private static List<HasMetadata> parseAll(String yaml) {
    var out = new java.util.ArrayList<HasMetadata>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.strip().isEmpty() || doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        continue;
      }
      out.add(Serialization.unmarshal(doc, HasMetadata.class));
    }
    return out;
  }
}
