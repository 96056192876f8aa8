package dev.vpngw.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import dev.vpngw.crds.ManifestSet;
import dev.vpngw.crds.v1alpha1.Connection;
import dev.vpngw.operator.Examples;
import dev.vpngw.operator.VpngwOperator;
import dev.vpngw.operator.admin.HttpAdminClient;
import dev.vpngw.operator.desired.OperatorSettings;
import dev.vpngw.operator.reconcile.ReconcilerSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * End to end on a real (k3s) API server: CRDs from the chart, the operator in-process, the
 * site-to-site example applied, and the Connection driven to Ready by gateway pods running the
 * data-plane image against an on-prem peer. Needs Docker and the images
 * {@code vpngw-dataplane:e2e} (and a strongSwan peer reachable as 198.51.100.10 from the cluster)
 * loaded into k3s; skipped where Docker is missing (as on the build machines here).
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sEndToEndTest {

  @Container
  static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

  @Test
  void connectionBecomesReady() throws Exception {
    var client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml())).build();
    String chartCrds = new Helm(Examples.repoRoot().resolve("helm/vpngw")).show().crds().call();
    client.load(new java.io.ByteArrayInputStream(chartCrds.getBytes(java.nio.charset.StandardCharsets.UTF_8))).serverSideApply();
    var settings = new ReconcilerSettings(new OperatorSettings(System.getProperty("vpngw.e2e.dataplaneImage",
        "vpngw-dataplane:e2e"), "Never", OperatorSettings.TunDevice.HOST_PATH, null, true, 9090),
        Duration.ofSeconds(2), Duration.ofSeconds(70));
    var operator = VpngwOperator.create(client, settings, new HttpAdminClient(Duration.ofSeconds(3)),
        new SimpleMeterRegistry(), Set.of(), Optional.empty(), Clock.systemUTC());
    operator.start();
    try {
      var m = ManifestSet.load(Examples.examples().resolve("site-to-site"));
      for (HasMetadata r : m.secrets()) {
        client.resource(r).serverSideApply();
      }
      for (var list : java.util.List.of(m.localNetworkGateways(), m.virtualNetworkGateways(), m.connections())) {
        for (HasMetadata r : list) {
          client.resource(r).serverSideApply();
        }
      }
      await().atMost(Duration.ofMinutes(5)).ignoreExceptions().untilAsserted(() -> {
        var c = client.resources(Connection.class).inNamespace("default").withName("gw-to-onprem").get();
        assertThat(c.getStatus().conditions()).anySatisfy(cond -> {
          assertThat(cond.getType()).isEqualTo("Ready");
          assertThat(cond.getStatus()).isEqualTo("True");
        });
      });
    } finally {
      operator.stop();
      client.close();
    }
  }
}
