package dev.vpngw.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.crds.ManifestSet;
import dev.vpngw.crds.v1alpha1.Connection;
import dev.vpngw.crds.v1alpha1.ConnectionState;
import dev.vpngw.crds.v1alpha1.LocalNetworkGateway;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import dev.vpngw.operator.Examples;
import dev.vpngw.operator.desired.InstanceSecrets;
import dev.vpngw.operator.desired.Labels;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconcilers against the Fabric8 mock API server (CRUD mode), with a fake admin endpoint for
 * the gateway pods. Everything the kubelet and the data plane would do is simulated by the test.
 */
class OperatorMockServerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private void apply(String example) throws Exception {
    var m = ManifestSet.load(Examples.examples().resolve(example));
    for (HasMetadata r : m.secrets()) {
      cluster.client.resource(r).create();
    }
    for (HasMetadata r : m.localNetworkGateways()) {
      cluster.client.resource(r).create();
    }
    for (HasMetadata r : m.virtualNetworkGateways()) {
      cluster.client.resource(r).create();
    }
    for (HasMetadata r : m.connections()) {
      cluster.client.resource(r).create();
    }
  }

  private VirtualNetworkGateway gateway(String name) {
    return cluster.client.resources(VirtualNetworkGateway.class).inNamespace(MockCluster.NS).withName(name).get();
  }

  private Connection connection(String name) {
    return cluster.client.resources(Connection.class).inNamespace(MockCluster.NS).withName(name).get();
  }

  private static Condition condition(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElse(null);
  }

  private Condition connectionCondition(String name, String type) {
    var c = connection(name);
    return c == null || c.getStatus() == null ? null : condition(c.getStatus().conditions(), type);
  }

  private Condition gatewayCondition(String name, String type) {
    var g = gateway(name);
    return g == null || g.getStatus() == null ? null : condition(g.getStatus().conditions(), type);
  }

  private String manifests(String secret) {
    Secret s = cluster.client.secrets().inNamespace(MockCluster.NS).withName(secret).get();
    return s == null || s.getStringData() == null ? "" : s.getStringData().get(InstanceSecrets.MANIFESTS_KEY);
  }

  private String revision(String secret) {
    Secret s = cluster.client.secrets().inNamespace(MockCluster.NS).withName(secret).get();
    return s == null ? null : s.getMetadata().getAnnotations().get(Labels.CONFIG_REVISION);
  }

  private String role(String pod) {
    var p = cluster.client.pods().inNamespace(MockCluster.NS).withName(pod).get();
    return p == null ? null : p.getMetadata().getLabels().get(Labels.ROLE);
  }

  /** A data plane that reports one connected tunnel for each named connection and the revision it runs. */
  private static String statusJson(int instance, String revision, String... connections) {
    var sb = new StringBuilder("{\"gateway\":\"gw\",\"instance\":" + instance + ",\"configRevision\":\"" + revision
        + "\",\"learnedRoutes\":3,\"extraFieldFromTheFuture\":{\"x\":1},\"connections\":[");
    for (int i = 0; i < connections.length; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"name\":\"").append(connections[i]).append("\",\"status\":{")
          .append("\"connectionStatus\":\"Connected\",\"ingressBytesTransferred\":100,\"egressBytesTransferred\":200,")
          .append("\"tunnels\":[{\"state\":\"Connected\",\"remoteEndpoint\":\"198.51.100.10:4500\",\"ingressBytesTransferred\":100,")
          .append("\"egressBytesTransferred\":200,\"unknownTunnelField\":true}]}}");
    }
    return sb.append("],\"bgpPeers\":[]}").toString();
  }

  @Test
  void activeStandbyGatewayGetsItsObjectsAndConnectionBecomesReady() throws Exception {
    apply("site-to-site");
    var client = cluster.client;
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(client.apps().statefulSets().inNamespace(MockCluster.NS).list().getItems())
          .extracting(s -> s.getMetadata().getName()).containsExactlyInAnyOrder("gw-0", "gw-1");
      assertThat(client.services().inNamespace(MockCluster.NS).list().getItems())
          .extracting(s -> s.getMetadata().getName()).containsExactlyInAnyOrder("gw-0", "gw-1");
      assertThat(client.policy().v1().podDisruptionBudget().inNamespace(MockCluster.NS).withName("gw").get()).isNotNull();
      assertThat(client.apps().daemonSets().inNamespace(MockCluster.NS).withName("gw-route-agent").get()).isNotNull();
      assertThat(manifests("gw-0-config")).contains("name: \"gw-to-onprem\"");
    });
    var gw = gateway("gw");
    var sts = client.apps().statefulSets().inNamespace(MockCluster.NS).withName("gw-0").get();
    assertThat(sts.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(gw.getMetadata().getUid()));
    assertThat(gw.getMetadata().getFinalizers()).isNotEmpty();
    // Tokens are random, per instance, and stable across reconciles.
    String token0 = token("gw-0-config");
    assertThat(token0).hasSizeGreaterThan(30).isNotEqualTo(token("gw-1-config"));

    // No pods yet: the gateway says so.
    await().atMost(WAIT).untilAsserted(() -> assertThat(gatewayCondition("gw", "Ready"))
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("Provisioning")));

    String rev0 = revision("gw-0-config");
    String rev1 = revision("gw-1-config");
    cluster.admin.serve("198.18.5.10", ip -> statusJson(0, rev0, "gw-to-onprem"));
    cluster.admin.serve("198.18.5.11", ip -> statusJson(1, rev1));
    cluster.startPod("gw-0", "198.18.5.10", true);
    cluster.startPod("gw-1", "198.18.5.11", true);
    client.services().inNamespace(MockCluster.NS).withName("gw-0").editStatus(s -> {
      s.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
          .addNewIngress().withIp("203.0.113.10").endIngress().endLoadBalancer().build());
      return s;
    });

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(role("gw-0-0")).isEqualTo(Labels.ROLE_ACTIVE);
      assertThat(role("gw-1-0")).isEqualTo(Labels.ROLE_STANDBY);
      var c = connection("gw-to-onprem");
      assertThat(c.getStatus()).isNotNull();
      assertThat(c.getStatus().connectionStatus()).isEqualTo(ConnectionState.Connected);
      assertThat(c.getStatus().ingressBytesTransferred()).isEqualTo(100L);
      assertThat(c.getStatus().tunnels()).singleElement().satisfies(t -> assertThat(t.instance()).isZero());
      assertThat(c.getStatus().observedGeneration()).isEqualTo(c.getMetadata().getGeneration());
      assertThat(condition(c.getStatus().conditions(), "Ready"))
          .satisfies(r -> assertThat(r.getStatus()).isEqualTo("True"))
          .satisfies(r -> assertThat(r.getReason()).isEqualTo("TunnelsConnected"));
      var g = gateway("gw");
      assertThat(condition(g.getStatus().conditions(), "Ready").getStatus()).isEqualTo("True");
      assertThat(g.getStatus().instances()).hasSize(2);
      assertThat(g.getStatus().instances().get(0).publicIpAddress()).isEqualTo("203.0.113.10");
      assertThat(g.getStatus().instances().get(0).name()).isEqualTo("gw-0-0");
      assertThat(g.getStatus().observedGeneration()).isEqualTo(g.getMetadata().getGeneration());
    });
    // The active-standby public Service follows the active pod; the route table points at it.
    var svc = client.services().inNamespace(MockCluster.NS).withName("gw-0").get();
    assertThat(svc.getSpec().getSelector()).containsEntry(Labels.ROLE, Labels.ROLE_ACTIVE);
    assertThat(svc.getSpec().getPorts()).extracting(p -> p.getProtocol() + "/" + p.getPort()).containsExactly("UDP/500", "UDP/4500");
    await().atMost(WAIT).untilAsserted(() -> assertThat(client.configMaps().inNamespace(MockCluster.NS).withName("gw-routes").get()
        .getData().get("routes.yaml")).contains("198.19.10.0/24").contains("198.18.5.10").doesNotContain("198.18.5.11"));

    // lastTransitionTime stays while the status does not change.
    String ltt = gatewayCondition("gw", "Ready").getLastTransitionTime();
    Thread.sleep(1500);
    assertThat(gatewayCondition("gw", "Ready").getLastTransitionTime()).isEqualTo(ltt);
    assertThat(token("gw-0-config")).isEqualTo(token0);
    // Nothing is reloaded while the instances run the desired revision.
    assertThat(cluster.admin.postsTo("/v1/reload")).isZero();
  }

  private String token(String secret) {
    return cluster.client.secrets().inNamespace(MockCluster.NS).withName(secret).get().getStringData().get(InstanceSecrets.TOKEN_KEY);
  }
}
