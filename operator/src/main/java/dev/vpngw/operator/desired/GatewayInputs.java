package dev.vpngw.operator.desired;

import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import dev.vpngw.crds.validation.Topology;
import java.util.List;
import java.util.Objects;

/**
 * Everything the desired state of one gateway depends on. Pure data: the reconciler fills it from
 * the cluster, {@code render} from files.
 *
 * @param gateway the VirtualNetworkGateway
 * @param topology the gateway's namespace: gateways, sites, connections and the Secrets they reference
 * @param adminTokens the admin token of instance 0 and 1 (kept from the existing instance Secrets)
 * @param routeNextHops pod IPs of the gateway instances that currently carry traffic (active ones),
 *     for the route agent; empty when unknown (render)
 */
public record GatewayInputs(VirtualNetworkGateway gateway, Topology topology, List<String> adminTokens,
    List<String> routeNextHops) {

  /** What {@code render} shows instead of the random per-instance token the operator generates. */
  public static final String RENDER_TOKEN = "generated-by-the-operator";

  public GatewayInputs {
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(topology, "topology");
    if (adminTokens.size() != GatewayDesiredState.INSTANCES) {
      throw new IllegalArgumentException("adminTokens: one per instance (" + GatewayDesiredState.INSTANCES + ")");
    }
    adminTokens = List.copyOf(adminTokens);
    routeNextHops = List.copyOf(routeNextHops);
  }

  /** Inputs for rendering without a cluster. */
  public static GatewayInputs forRender(VirtualNetworkGateway gateway, Topology topology) {
    return new GatewayInputs(gateway, topology, List.of(RENDER_TOKEN, RENDER_TOKEN), List.of());
  }
}
