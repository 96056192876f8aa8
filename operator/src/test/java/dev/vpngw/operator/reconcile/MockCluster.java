package dev.vpngw.operator.reconcile;

import dev.vpngw.crds.v1alpha1.Connection;
import dev.vpngw.crds.v1alpha1.LocalNetworkGateway;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import dev.vpngw.operator.VpngwOperator;
import dev.vpngw.operator.desired.OperatorSettings;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The Fabric8 mock API server in CRUD mode with the operator running against it. There is no
 * kubelet, controller manager or garbage collector: tests play the kubelet by creating the pods a
 * StatefulSet would, with an IP and a Ready condition.
 */
final class MockCluster implements AutoCloseable {
  static final String NS = "default";

  final KubernetesMockServer server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
      new io.fabric8.mockwebserver.MockWebServer(), new java.util.HashMap<>(),
      new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher(), false);
  final KubernetesClient client;
  final FakeAdminClient admin = new FakeAdminClient();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Operator operator;

  static {
    // The mock web server logs every request through java.util.logging.
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
  }

  MockCluster() {
    server.init();
    client = server.createClient();
    // The CRUD mock serves a custom resource only once its CRD exists: load the chart's CRDs.
    try (var files = java.nio.file.Files.list(dev.vpngw.operator.Examples.repoRoot().resolve("helm/vpngw/crds"))) {
      for (var f : files.sorted().toList()) {
        try (var in = java.nio.file.Files.newInputStream(f)) {
          client.apiextensions().v1().customResourceDefinitions().load(in).create();
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    var settings = new ReconcilerSettings(OperatorSettings.defaults(), Duration.ofMillis(300), Duration.ZERO);
    operator = VpngwOperator.create(client, settings, admin, registry, Set.of(), Optional.empty(), Clock.systemUTC());
    operator.start();
  }

  /** Plays kubelet + StatefulSet controller: creates the StatefulSet's pod, running with the given IP. */
  Pod startPod(String statefulSet, String ip, boolean ready) {
    StatefulSet sts = client.apps().statefulSets().inNamespace(NS).withName(statefulSet).get();
    var pod = new PodBuilder()
        .withNewMetadata()
          .withName(statefulSet + "-0").withNamespace(NS).withUid(UUID.randomUUID().toString())
          .withLabels(sts.getSpec().getTemplate().getMetadata().getLabels())
        .endMetadata()
        .withSpec(sts.getSpec().getTemplate().getSpec())
        .withNewStatus()
          .withPodIP(ip).withPhase("Running")
          .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .endStatus()
        .build();
    return client.pods().inNamespace(NS).resource(pod).create();
  }

  /** Retries an edit the operator raced with (409 Conflict), as kubectl users would. */
  static <T> T retrying(java.util.function.Supplier<T> edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        return edit.get();
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 20) {
          throw e;
        }
      }
    }
  }

  void setReady(String pod, boolean ready) {
    retrying(() -> client.pods().inNamespace(NS).withName(pod).edit(p -> {
      p.getStatus().getConditions().removeIf(c -> c.getType().equals("Ready"));
      p.getStatus().getConditions().add(new io.fabric8.kubernetes.api.model.PodConditionBuilder()
          .withType("Ready").withStatus(ready ? "True" : "False").build());
      return p;
    }));
  }

  @Override
  public void close() {
    operator.stop();
    client.close();
    server.destroy();
  }
}
