package dev.vpngw.operator.desired;

import static dev.vpngw.crds.validation.Topology.nameOf;

import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.List;

/**
 * How cluster traffic reaches the tunnels (docs/cluster-traffic.md): a route agent on every node
 * installs, for each site prefix, a route via the active gateway pods' IPs (ECMP across both in
 * active-active), as Submariner's route agent does. The operator computes the routes and publishes
 * them in a ConfigMap the agents read, so the agents need no API access.
 */
public final class RouteAgent {
  private RouteAgent() {}

  public static final String ROUTES_KEY = "routes.yaml";
  public static final String ROUTES_DIR = "/etc/vpngw/routes";
  /** Routing table the agent owns on each node; its rules point the site prefixes at it. */
  public static final int TABLE = 4500;

  /** The route table for the agents: site prefixes and the next hops (active gateway pod IPs). */
  static ConfigMap routes(VirtualNetworkGateway gw, List<String> prefixes, List<String> nextHops) {
    var sb = new StringBuilder();
    sb.append("gateway: ").append(nameOf(gw)).append('\n');
    sb.append("table: ").append(TABLE).append('\n');
    sb.append("prefixes:").append(prefixes.isEmpty() ? " []\n" : "\n");
    prefixes.forEach(p -> sb.append("  - ").append(p).append('\n'));
    sb.append("nextHops:").append(nextHops.isEmpty() ? " []\n" : "\n");
    nextHops.stream().sorted().forEach(h -> sb.append("  - ").append(h).append('\n'));
    return new ConfigMapBuilder()
        .withNewMetadata()
          .withName(Names.routes(nameOf(gw)))
          .withNamespace(GatewayDesiredState.ns(gw))
          .withLabels(GatewayDesiredState.labels(gw, "route-agent"))
        .endMetadata()
        .addToData(ROUTES_KEY, sb.toString())
        .build();
  }

  static DaemonSet daemonSet(VirtualNetworkGateway gw, OperatorSettings settings) {
    String name = nameOf(gw);
    var labels = GatewayDesiredState.labels(gw, "route-agent");
    return new DaemonSetBuilder()
        .withNewMetadata()
          .withName(Names.routeAgent(name))
          .withNamespace(GatewayDesiredState.ns(gw))
          .withLabels(labels)
        .endMetadata()
        .withNewSpec()
          .withNewSelector()
            .addToMatchLabels(Labels.GATEWAY, name)
            .addToMatchLabels(Labels.COMPONENT, "route-agent")
          .endSelector()
          .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
          .withNewTemplate()
            .withNewMetadata().withLabels(labels).endMetadata()
            .withNewSpec()
              // Routes go into the node's own network namespace.
              .withHostNetwork(true)
              .withDnsPolicy("ClusterFirstWithHostNet")
              .withAutomountServiceAccountToken(false)
              .withEnableServiceLinks(false)
              .addNewToleration().withOperator("Exists").endToleration()
              .withNewSecurityContext()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
              .endSecurityContext()
              .addNewContainer()
                .withName("route-agent")
                .withImage(settings.dataplaneImage())
                .withImagePullPolicy(settings.imagePullPolicy())
                .withArgs("route-agent", "--routes", ROUTES_DIR + "/" + ROUTES_KEY, "--table", Integer.toString(TABLE))
                .addNewEnv().withName("NODE_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName").endFieldRef().endValueFrom().endEnv()
                .withNewResources()
                  .addToRequests("cpu", new Quantity("10m")).addToRequests("memory", new Quantity("64Mi"))
                  .addToLimits("cpu", new Quantity("200m")).addToLimits("memory", new Quantity("128Mi"))
                .endResources()
                .withNewSecurityContext()
                  // Root in the host network namespace, but with NET_ADMIN as its only capability.
                  .withRunAsUser(0L)
                  .withRunAsNonRoot(false)
                  .withReadOnlyRootFilesystem(true)
                  .withAllowPrivilegeEscalation(false)
                  .withNewCapabilities().withDrop("ALL").withAdd("NET_ADMIN").endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount().withName("routes").withMountPath(ROUTES_DIR).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
              .endContainer()
              .addNewVolume().withName("routes").withNewConfigMap().withName(Names.routes(name)).endConfigMap().endVolume()
              .addNewVolume().withName("tmp").withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity("16Mi")).endEmptyDir().endVolume()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }
}
