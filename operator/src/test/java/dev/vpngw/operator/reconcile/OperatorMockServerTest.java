package dev.vpngw.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

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

  /** Conditions are read while the operator writes them: a missing one is "not yet", not an error. */
  private static org.awaitility.core.ConditionFactory await() {
    return org.awaitility.Awaitility.await().ignoreExceptions().pollInterval(Duration.ofMillis(100));
  }

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

    var site = client.resources(LocalNetworkGateway.class).inNamespace(MockCluster.NS).withName("onprem").get();
    assertThat(condition(site.getStatus().conditions(), "Ready").getReason()).isEqualTo("Valid");
    assertThat(site.getStatus().resolvedAddresses()).containsExactly("198.51.100.10");
    // lastTransitionTime stays while the status does not change.
    String ltt = gatewayCondition("gw", "Ready").getLastTransitionTime();
    Thread.sleep(1500);
    assertThat(gatewayCondition("gw", "Ready").getLastTransitionTime()).isEqualTo(ltt);
    assertThat(token("gw-0-config")).isEqualTo(token0);
    // Nothing is reloaded while the instances run the desired revision.
    assertThat(cluster.admin.postsTo("/v1/reload")).isZero();
    // JOSDK's reconcile metrics (micrometer-support) and the operator's own land in the registry.
    assertThat(cluster.registry.getMeters()).anyMatch(m -> m.getId().getName().startsWith("operator.sdk"));
    assertThat(cluster.registry.find("vpngw_operator_objects_applied").counters()).isNotEmpty();
    assertThat(cluster.registry.find("vpngw_operator_status_polls").tag("result", "ok").counter().count()).isPositive();
  }

  /** Fake data plane state: the revision each pod IP runs; a reload makes it read its Secret again. */
  private final Map<String, String> running = new java.util.concurrent.ConcurrentHashMap<>();

  private static final String IP0 = "198.18.5.10";
  private static final String IP1 = "198.18.5.11";

  /** Applies an example and plays kubelet + data plane until the gateway is Ready. */
  private void bringUp(String example, String... connections) throws Exception {
    apply(example);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(cluster.client.apps().statefulSets().inNamespace(MockCluster.NS).withName("gw-1").get()).isNotNull();
      for (String c : connections) {
        assertThat(manifests("gw-0-config")).contains("name: \"" + c + "\"");
      }
    });
    running.put(IP0, revision("gw-0-config"));
    running.put(IP1, revision("gw-1-config"));
    cluster.admin.onReload = ip -> running.put(ip, revision(ip.equals(IP0) ? "gw-0-config" : "gw-1-config"));
    cluster.admin.serve(IP0, ip -> statusJson(0, running.get(ip), connections));
    cluster.admin.serve(IP1, ip -> statusJson(1, running.get(ip), connections));
    cluster.startPod("gw-0", IP0, true);
    cluster.startPod("gw-1", IP1, true);
    await().atMost(WAIT).untilAsserted(() -> assertThat(gatewayCondition("gw", "Ready").getStatus()).isEqualTo("True"));
  }

  @Test
  void faultyConnectionsAreReportedAndLeftOutWhileOthersKeepRunning() throws Exception {
    bringUp("site-to-site", "gw-to-onprem");
    var client = cluster.client;
    String before = revision("gw-0-config");
    client.resource(connectionYaml("gw-to-nowhere", "nowhere", "onprem-psk", "sharedKey")).create();
    client.resource(io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
        apiVersion: vpngw.dev/v1alpha1
        kind: LocalNetworkGateway
        metadata: {name: branch-b, namespace: default}
        spec: {gatewayIpAddress: 198.51.100.22, localNetworkAddressSpace: [198.19.22.0/24]}
        """, LocalNetworkGateway.class)).create();
    client.resource(connectionYaml("gw-to-nokey", "branch-b", "onprem-psk", "missingKey")).create();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(connectionCondition("gw-to-nowhere", "Ready"))
          .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"))
          .satisfies(c -> assertThat(c.getReason()).isEqualTo("LocalNetworkGatewayNotFound"))
          .satisfies(c -> assertThat(c.getMessage()).contains("spec.localNetworkGateway2.name"));
      assertThat(connectionCondition("gw-to-nokey", "Ready").getReason()).isEqualTo("SecretKeyNotFound");
      assertThat(client.v1().events().inNamespace(MockCluster.NS).list().getItems())
          .anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("LocalNetworkGatewayNotFound");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("gw-to-nowhere");
            assertThat(e.getType()).isEqualTo("Warning");
          });
      assertThat(gatewayCondition("gw", "ConnectionsValid").getReason()).isEqualTo("ConnectionsExcluded");
    });
    // The instances' configuration did not change: the good connection keeps running untouched.
    assertThat(revision("gw-0-config")).isEqualTo(before);
    assertThat(manifests("gw-0-config")).contains("gw-to-onprem").doesNotContain("gw-to-nowhere").doesNotContain("gw-to-nokey");
    assertThat(connectionCondition("gw-to-onprem", "Ready").getStatus()).isEqualTo("True");
    assertThat(cluster.admin.postsTo("/v1/reload")).isZero();
  }

  private static Connection connectionYaml(String name, String site, String secret, String key) {
    return io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
        apiVersion: vpngw.dev/v1alpha1
        kind: Connection
        metadata: {name: %s, namespace: default}
        spec:
          connectionType: IPsec
          virtualNetworkGateway1: {name: gw}
          localNetworkGateway2: {name: %s}
          sharedKey: {secretKeyRef: {name: %s, key: %s}}
        """.formatted(name, site, secret, key), Connection.class);
  }

  @Test
  void moreConnectionsThanTheSkuAllowsMarksTheExtraOneAndKeepsTheRest() throws Exception {
    apply("multi-site");
    var client = cluster.client;
    client.resource(io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
        apiVersion: vpngw.dev/v1alpha1
        kind: LocalNetworkGateway
        metadata: {name: branch-11, namespace: default}
        spec: {gatewayIpAddress: 198.51.100.21, localNetworkAddressSpace: [198.19.11.0/24]}
        """, LocalNetworkGateway.class)).create();
    client.resource(connectionYaml("gw-to-branch-11", "branch-11", "branches-psk", "sharedKey")).create();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(gatewayCondition("gw", "Ready"))
          .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"))
          .satisfies(c -> assertThat(c.getReason()).isEqualTo("SkuLimitExceeded"));
      var over = client.resources(Connection.class).inNamespace(MockCluster.NS).list().getItems().stream()
          .filter(c -> c.getStatus() != null && "SkuLimitExceeded".equals(condition(c.getStatus().conditions(), "Ready").getReason()))
          .toList();
      assertThat(over).hasSize(1);
      String m = manifests("gw-0-config");
      assertThat(m.split("kind: \"Connection\"", -1)).hasSize(11);
      assertThat(m).doesNotContain("name: \"" + over.getFirst().getMetadata().getName() + "\"");
      assertThat(client.v1().events().inNamespace(MockCluster.NS).list().getItems())
          .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("SkuLimitExceeded"));
    });
  }

  @Test
  void standbyTakesOverWhenTheActiveInstanceIsLost() throws Exception {
    bringUp("site-to-site", "gw-to-onprem");
    await().atMost(WAIT).untilAsserted(() -> assertThat(role("gw-0-0")).isEqualTo(Labels.ROLE_ACTIVE));
    cluster.setReady("gw-0-0", false);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(role("gw-1-0")).isEqualTo(Labels.ROLE_ACTIVE);
      assertThat(role("gw-0-0")).isEqualTo(Labels.ROLE_STANDBY);
      assertThat(gatewayCondition("gw", "Takeover").getMessage()).contains("instance 1 took over from instance 0 in");
      assertThat(cluster.client.configMaps().inNamespace(MockCluster.NS).withName("gw-routes").get().getData().get("routes.yaml"))
          .contains(IP1).doesNotContain(IP0);
      assertThat(gatewayCondition("gw", "Degraded").getStatus()).isEqualTo("True");
    });
    assertThat(cluster.registry.find("vpngw_operator_takeover").timer().count()).isEqualTo(1);
  }

  @Test
  void resetAnnotationRestartsOneInstanceAtATime() throws Exception {
    bringUp("site-to-site", "gw-to-onprem");
    var client = cluster.client;
    String uid0 = client.pods().inNamespace(MockCluster.NS).withName("gw-0-0").get().getMetadata().getUid();
    MetadataPatch.annotations(client, VirtualNetworkGateway.class, MockCluster.NS, "gw",
        Map.of(Annotations.RESET, "2026-11-23T10:00:00Z"));
    await().atMost(WAIT).until(() -> client.pods().inNamespace(MockCluster.NS).withName("gw-0-0").get() == null);
    // Instance 1 is left alone while instance 0 is away.
    Thread.sleep(1000);
    assertThat(client.pods().inNamespace(MockCluster.NS).withName("gw-1-0").get()).isNotNull();
    assertThat(gatewayCondition("gw", "Reset").getReason()).isEqualTo("ResetInProgress");
    cluster.startPod("gw-0", IP0, true); // the StatefulSet controller's replacement
    await().atMost(WAIT).until(() -> client.pods().inNamespace(MockCluster.NS).withName("gw-1-0").get() == null);
    assertThat(client.pods().inNamespace(MockCluster.NS).withName("gw-0-0").get().getMetadata().getUid()).isNotEqualTo(uid0);
    cluster.startPod("gw-1", IP1, true);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(gateway("gw").getMetadata().getAnnotations()).containsEntry(Annotations.RESET_ACKNOWLEDGED, "2026-11-23T10:00:00Z");
      assertThat(gatewayCondition("gw", "Reset"))
          .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"))
          .satisfies(c -> assertThat(c.getMessage()).contains("2026-11-23T10:00:00Z"));
    });
  }

  @Test
  void connectionChangeUpdatesTheSecretsAndReloadsWithoutRestartingPods() throws Exception {
    bringUp("site-to-site", "gw-to-onprem");
    var client = cluster.client;
    String stsHash = client.apps().statefulSets().inNamespace(MockCluster.NS).withName("gw-0").get()
        .getMetadata().getAnnotations().get(Labels.DESIRED_HASH);
    String before = revision("gw-0-config");
    MockCluster.retrying(() -> client.resources(Connection.class).inNamespace(MockCluster.NS).withName("gw-to-onprem").edit(c -> {
      // Records are immutable: replace the spec.
      var s = c.getSpec();
      c.setSpec(new dev.vpngw.crds.v1alpha1.ConnectionSpec(s.connectionType(), s.virtualNetworkGateway1(),
          s.localNetworkGateway2(), s.virtualNetworkGateway2(), s.sharedKey(), s.connectionProtocol(), s.enableBgp(),
          s.usePolicyBasedTrafficSelectors(), s.trafficSelectorPolicies(), s.ipsecPolicies(), 30, s.connectionMode(),
          s.gatewayCustomBgpIpAddresses()));
      return c;
    }));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(revision("gw-0-config")).isNotEqualTo(before);
      assertThat(manifests("gw-0-config")).contains("dpdTimeoutSeconds: 30");
      assertThat(cluster.admin.posts).anySatisfy(p -> {
        assertThat(p.path()).isEqualTo("/v1/reload");
        assertThat(p.host()).isEqualTo(IP0);
        assertThat(p.token()).isEqualTo(token("gw-0-config"));
      });
      assertThat(gatewayCondition("gw", "ConfigurationApplied").getStatus()).isEqualTo("True");
    });
    assertThat(client.apps().statefulSets().inNamespace(MockCluster.NS).withName("gw-0").get()
        .getMetadata().getAnnotations().get(Labels.DESIRED_HASH)).isEqualTo(stsHash);
    assertThat(client.pods().inNamespace(MockCluster.NS).withName("gw-0-0").get()).isNotNull();
  }

  @Test
  void sharedKeyRotationIsReloadedAndAcknowledged() throws Exception {
    bringUp("site-to-site", "gw-to-onprem");
    var client = cluster.client;
    await().atMost(WAIT).untilAsserted(() -> assertThat(connectionCondition("gw-to-onprem", "SharedKeyApplied").getStatus()).isEqualTo("True"));
    var rotated = MockCluster.retrying(() -> client.secrets().inNamespace(MockCluster.NS).withName("onprem-psk").edit(s -> {
      s.setStringData(Map.of("sharedKey", "AnotherKeyOfTheRightShape0123456789"));
      return s;
    }));
    String rv = rotated.getMetadata().getResourceVersion();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(manifests("gw-0-config")).contains(java.util.Base64.getEncoder().encodeToString(
          "AnotherKeyOfTheRightShape0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(cluster.admin.postsTo("/v1/reload")).isGreaterThanOrEqualTo(2);
      assertThat(connectionCondition("gw-to-onprem", "SharedKeyApplied"))
          .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"))
          .satisfies(c -> assertThat(c.getMessage()).contains("resourceVersion " + rv));
    });
  }

  @Test
  void resetConnectionAnnotationPostsTheResetAndIsAcknowledged() throws Exception {
    bringUp("site-to-site", "gw-to-onprem");
    var client = cluster.client;
    MetadataPatch.annotations(client, Connection.class, MockCluster.NS, "gw-to-onprem",
        Map.of(Annotations.RESET_CONNECTION, "r1"));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(cluster.admin.posts).anySatisfy(p -> {
        assertThat(p.path()).isEqualTo("/v1/connections/gw-to-onprem/reset");
        assertThat(p.host()).isEqualTo(IP0);
        assertThat(p.token()).isEqualTo(token("gw-0-config"));
      });
      assertThat(connection("gw-to-onprem").getMetadata().getAnnotations()).containsEntry(Annotations.RESET_CONNECTION_ACKNOWLEDGED, "r1");
      assertThat(connectionCondition("gw-to-onprem", "Reset").getMessage()).contains("r1");
    });
    // Once acknowledged it is not sent again.
    long sent = cluster.admin.postsTo("/v1/connections/gw-to-onprem/reset");
    Thread.sleep(1000);
    assertThat(cluster.admin.postsTo("/v1/connections/gw-to-onprem/reset")).isEqualTo(sent).isEqualTo(1);
    // The standby got nothing.
    assertThat(cluster.admin.posts).noneMatch(p -> p.host().equals(IP1) && p.path().contains("/reset"));
  }

  @Test
  void activeActiveRunsBothInstancesBehindTheirOwnServices() throws Exception {
    bringUp("active-active-bgp", "gw-to-onprem");
    var client = cluster.client;
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(role("gw-0-0")).isEqualTo(Labels.ROLE_ACTIVE);
      assertThat(role("gw-1-0")).isEqualTo(Labels.ROLE_ACTIVE);
      assertThat(connection("gw-to-onprem").getStatus().tunnels()).extracting(t -> t.instance()).containsExactly(0, 1);
      assertThat(connection("gw-to-onprem").getStatus().ingressBytesTransferred()).isEqualTo(200L);
      assertThat(client.configMaps().inNamespace(MockCluster.NS).withName("gw-routes").get().getData().get("routes.yaml"))
          .contains(IP0).contains(IP1);
      // BGP enabled but no session reported: not Ready, with the reason.
      assertThat(connectionCondition("gw-to-onprem", "Ready").getReason()).isEqualTo("BgpSessionDown");
      assertThat(gatewayCondition("gw", "BgpPeersEstablished").getMessage()).contains("6 learned routes");
    });
    for (int i = 0; i < 2; i++) {
      var sel = client.services().inNamespace(MockCluster.NS).withName("gw-" + i).get().getSpec().getSelector();
      assertThat(sel).containsEntry(Labels.INSTANCE, Integer.toString(i)).doesNotContainKey(Labels.ROLE);
    }
    var zones = client.apps().statefulSets().inNamespace(MockCluster.NS).list().getItems().stream()
        .map(s -> s.getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().getFirst().getMatchExpressions()
            .getFirst().getValues().getFirst()).sorted().toList();
    assertThat(zones).containsExactly("1", "2");
  }

  @Test
  void deletingTheGatewayRemovesEverythingItCreated() throws Exception {
    bringUp("site-to-site", "gw-to-onprem");
    var client = cluster.client;
    client.resources(VirtualNetworkGateway.class).inNamespace(MockCluster.NS).withName("gw").delete();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(gateway("gw")).isNull();
      var selector = Map.of(Labels.GATEWAY, "gw");
      assertThat(client.apps().statefulSets().inNamespace(MockCluster.NS).withLabels(selector).list().getItems()).isEmpty();
      assertThat(client.services().inNamespace(MockCluster.NS).withLabels(selector).list().getItems()).isEmpty();
      assertThat(client.secrets().inNamespace(MockCluster.NS).withLabels(selector).list().getItems()).isEmpty();
      assertThat(client.apps().daemonSets().inNamespace(MockCluster.NS).withLabels(selector).list().getItems()).isEmpty();
      assertThat(client.configMaps().inNamespace(MockCluster.NS).withLabels(selector).list().getItems()).isEmpty();
      assertThat(client.policy().v1().podDisruptionBudget().inNamespace(MockCluster.NS).withLabels(selector).list().getItems()).isEmpty();
    });
    // The user's own objects stay; the orphaned connection says why it is not ready.
    assertThat(client.secrets().inNamespace(MockCluster.NS).withName("onprem-psk").get()).isNotNull();
    assertThat(connection("gw-to-onprem")).isNotNull();
    await().atMost(WAIT).untilAsserted(() -> assertThat(connectionCondition("gw-to-onprem", "Ready").getReason())
        .isEqualTo("VirtualNetworkGatewayNotFound"));
  }

  private String token(String secret) {
    return cluster.client.secrets().inNamespace(MockCluster.NS).withName(secret).get().getStringData().get(InstanceSecrets.TOKEN_KEY);
  }
}
