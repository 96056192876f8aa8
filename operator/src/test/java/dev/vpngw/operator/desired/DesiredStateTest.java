package dev.vpngw.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.crds.ManifestSet;
import dev.vpngw.operator.Examples;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Properties of the desired objects the golden files alone would not explain. */
class DesiredStateTest {

  private static List<HasMetadata> render(String example) throws Exception {
    return Render.render(ManifestSet.load(Examples.examples().resolve(example)), OperatorSettings.defaults()).objects();
  }

  private static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void activeActivePairIsSpreadOverTwoZonesWithHardAntiAffinity() throws Exception {
    var sts = of(render("active-active-bgp"), StatefulSet.class);
    assertThat(sts).hasSize(2);
    for (int i = 0; i < 2; i++) {
      var spec = sts.get(i).getSpec();
      assertThat(spec.getReplicas()).isEqualTo(1);
      var affinity = spec.getTemplate().getSpec().getAffinity();
      assertThat(affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms()
          .getFirst().getMatchExpressions().getFirst().getValues()).containsExactly(Integer.toString(i + 1));
      assertThat(affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()).singleElement()
          .satisfies(t -> assertThat(t.getTopologyKey()).isEqualTo(GatewayPods.ZONE_LABEL));
    }
  }

  @Test
  void withoutZonesThePairFallsBackToDifferentNodes() throws Exception {
    var sts = of(render("site-to-site"), StatefulSet.class);
    assertThat(sts).hasSize(2).allSatisfy(s -> {
      var affinity = s.getSpec().getTemplate().getSpec().getAffinity();
      assertThat(affinity.getNodeAffinity()).isNull();
      assertThat(affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getFirst().getTopologyKey())
          .isEqualTo(GatewayPods.HOSTNAME_LABEL);
    });
  }

  @Test
  void podsAreLockedDown() throws Exception {
    for (StatefulSet s : of(render("site-to-site"), StatefulSet.class)) {
      var pod = s.getSpec().getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      assertThat(pod.getAutomountServiceAccountToken()).isFalse();
      var c = pod.getContainers().getFirst();
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getSecurityContext().getPrivileged()).isNull();
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(c.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN");
      assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
      assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
      // The only privileged container is the short ip_forward init container.
      assertThat(pod.getInitContainers()).singleElement().satisfies(init -> {
        assertThat(init.getSecurityContext().getPrivileged()).isTrue();
        assertThat(init.getCommand()).last().asString().contains("net/ipv4/ip_forward");
      });
      // No configuration hash in the pod template: config changes go through /v1/reload.
      assertThat(s.getSpec().getTemplate().getMetadata().getAnnotations()).isNullOrEmpty();
      assertThat(pod.getVolumes()).anyMatch(v -> v.getHostPath() != null && v.getHostPath().getPath().equals("/dev/net/tun"));
    }
  }

  @Test
  void devicePluginModeRequestsTheTunResourceInsteadOfAHostPath() throws Exception {
    var settings = new OperatorSettings("img:1", "Always", OperatorSettings.TunDevice.DEVICE_PLUGIN, "example.com/tun", false, 9090);
    var objects = Render.render(ManifestSet.load(Examples.examples().resolve("site-to-site")), settings).objects();
    var pod = of(objects, StatefulSet.class).getFirst().getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).noneMatch(v -> v.getHostPath() != null);
    assertThat(pod.getContainers().getFirst().getResources().getLimits()).containsKey("example.com/tun");
    assertThat(objects).noneMatch(o -> o.getKind().equals("DaemonSet"));
  }

  @Test
  void twoUdpLoadBalancerServicesAndABudgetPerGateway() throws Exception {
    var objects = render("site-to-site");
    var services = of(objects, Service.class);
    assertThat(services).hasSize(2).allSatisfy(s -> {
      assertThat(s.getSpec().getType()).isEqualTo("LoadBalancer");
      assertThat(s.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
      assertThat(s.getSpec().getPorts()).extracting(p -> p.getProtocol() + "/" + p.getPort()).containsExactly("UDP/500", "UDP/4500");
    });
    assertThat(services.get(0).getSpec().getSelector()).containsEntry(Labels.ROLE, Labels.ROLE_ACTIVE);
    assertThat(services.get(0).getSpec().getLoadBalancerIP()).isEqualTo("203.0.113.10");
    assertThat(of(objects, PodDisruptionBudget.class)).singleElement()
        .satisfies(p -> assertThat(p.getSpec().getMinAvailable().getIntVal()).isEqualTo(1));
  }

  @Test
  void instanceSecretsCarryOnlyWhatTheInstanceNeedsAndLoadBack() throws Exception {
    var secrets = of(render("vnet-to-vnet"), Secret.class);
    assertThat(secrets).extracting(s -> s.getMetadata().getName())
        .containsExactly("gw-east-0-config", "gw-east-1-config", "gw-west-0-config", "gw-west-1-config");
    String east = secrets.getFirst().getStringData().get(InstanceSecrets.MANIFESTS_KEY);
    // Its own connection, the far gateway (marked remote) and the key; not the other direction's connection.
    assertThat(east).contains("name: \"east-to-west\"").doesNotContain("name: \"west-to-east\"")
        .contains(InstanceConfig.REMOTE_GATEWAY_ANNOTATION);
    var loaded = ManifestSet.parse("gw-east-0", east, "default");
    assertThat(loaded.connections()).hasSize(1);
    assertThat(loaded.virtualNetworkGateways()).hasSize(2);
    assertThat(loaded.secrets()).singleElement().satisfies(s -> assertThat(s.getData()).containsOnlyKeys("sharedKey"));
    assertThat(loaded.validate()).isEmpty();
    assertThat(secrets.getFirst().getStringData().get(InstanceSecrets.REVISION_KEY))
        .isEqualTo(InstanceConfig.revision(east));
  }

  @Test
  void anEleventhConnectionOnBasicIsLeftOutOfTheInstances() throws Exception {
    String extra = """
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: LocalNetworkGateway
        metadata: {name: branch-99}
        spec: {gatewayIpAddress: 198.51.100.99, localNetworkAddressSpace: [198.19.99.0/24]}
        ---
        apiVersion: vpngw.dev/v1alpha1
        kind: Connection
        metadata: {name: gw-to-branch-99}
        spec:
          connectionType: IPsec
          virtualNetworkGateway1: {name: gw}
          localNetworkGateway2: {name: branch-99}
          sharedKey: {secretKeyRef: {name: branches-psk, key: sharedKey}}
        """;
    String base = java.nio.file.Files.readString(Examples.examples().resolve("multi-site/multi-site.yaml"));
    var manifests = ManifestSet.parse("multi-site+1", base + extra, "default");
    var result = GatewayDesiredState.desired(
        GatewayInputs.forRender(manifests.virtualNetworkGateways().getFirst(), manifests.topology()), OperatorSettings.defaults());
    assertThat(result.selection().included()).hasSize(10);
    assertThat(result.selection().excluded()).hasSize(1);
    assertThat(result.selection().findings()).anySatisfy(f -> assertThat(f.reason()).isEqualTo("SkuLimitExceeded"));
    String m = of(result.objects(), Secret.class).getFirst().getStringData().get(InstanceSecrets.MANIFESTS_KEY);
    assertThat(ManifestSet.parse("instance", m, "default").validate()).isEmpty();
  }

  @Test
  void farGatewayWithoutStaticIpGetsTheAddressItsLoadBalancerReported() throws Exception {
    String yaml = java.nio.file.Files.readString(Examples.examples().resolve("vnet-to-vnet/vnet-to-vnet.yaml"))
        .replace("  instances:\n    - publicIpAddress: 203.0.113.20\n", "");
    var manifests = ManifestSet.parse("v2v", yaml, "default");
    var west = manifests.virtualNetworkGateways().stream().filter(g -> g.getMetadata().getName().equals("gw-west")).findFirst().orElseThrow();
    west.setStatus(new dev.vpngw.crds.v1alpha1.VirtualNetworkGatewayStatus(1L, List.of(), List.of(
        new dev.vpngw.crds.v1alpha1.GatewayInstanceStatus(0, "gw-west-0-0", null, "203.0.113.77", null, null))));
    var east = manifests.virtualNetworkGateways().stream().filter(g -> g.getMetadata().getName().equals("gw-east")).findFirst().orElseThrow();
    var result = GatewayDesiredState.desired(GatewayInputs.forRender(east, manifests.topology()), OperatorSettings.defaults());
    String m = of(result.objects(), Secret.class).getFirst().getStringData().get(InstanceSecrets.MANIFESTS_KEY);
    var loaded = ManifestSet.parse("east", m, "default");
    var copy = loaded.virtualNetworkGateways().stream().filter(g -> g.getMetadata().getName().equals("gw-west")).findFirst().orElseThrow();
    assertThat(copy.getSpec().instances()).singleElement().satisfies(i -> assertThat(i.publicIpAddress()).isEqualTo("203.0.113.77"));
    assertThat(copy.getStatus()).isNull();
  }

  @Test
  void skuSetsTheResources() {
    assertThat(SkuResources.of(dev.vpngw.crds.v1alpha1.GatewaySku.Basic).cpuLimit()).isEqualTo("1");
    assertThat(SkuResources.of(dev.vpngw.crds.v1alpha1.GatewaySku.VpnGw5AZ)).isEqualTo(SkuResources.GW5);
    assertThat(SkuResources.of(dev.vpngw.crds.v1alpha1.GatewaySku.VpnGw2AZ)).isEqualTo(SkuResources.of(dev.vpngw.crds.v1alpha1.GatewaySku.VpnGw2));
  }
}
