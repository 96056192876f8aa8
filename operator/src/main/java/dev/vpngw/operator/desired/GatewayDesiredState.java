package dev.vpngw.operator.desired;

import static dev.vpngw.crds.validation.Topology.nameOf;
import static dev.vpngw.crds.validation.Topology.namespaceOf;

import dev.vpngw.crds.v1alpha1.Connection;
import dev.vpngw.crds.v1alpha1.LocalNetworkGateway;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import dev.vpngw.crds.validation.Topology;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The objects the operator keeps for one VirtualNetworkGateway, as a pure function of its inputs.
 * The reconciler applies exactly this list; {@code render} prints it. Always two instances, as in
 * Azure: active-active when {@code spec.activeActive}, otherwise instance 1 is the standby.
 */
public final class GatewayDesiredState {
  private GatewayDesiredState() {}

  public static final int INSTANCES = 2;

  /**
   * The desired objects, in apply order (Secrets before the pods that mount them; Services and the
   * budget before the StatefulSets).
   */
  public static DesiredGateway desired(GatewayInputs in, OperatorSettings settings) {
    VirtualNetworkGateway gw = in.gateway();
    Selection selection = Selection.of(gw, in.topology());
    var objects = new ArrayList<HasMetadata>();
    var revisions = new ArrayList<String>();
    for (int i = 0; i < INSTANCES; i++) {
      String manifests = InstanceConfig.render(gw, in.topology(), selection.included(), i);
      String revision = InstanceConfig.revision(manifests);
      revisions.add(revision);
      objects.add(InstanceSecrets.build(gw, i, manifests, revision, in.adminTokens().get(i)));
    }
    for (int i = 0; i < INSTANCES; i++) {
      objects.add(GatewayServices.build(gw, i));
    }
    objects.add(GatewayServices.disruptionBudget(gw));
    for (int i = 0; i < INSTANCES; i++) {
      objects.add(GatewayPods.statefulSet(gw, i, settings));
    }
    if (settings.routeAgent()) {
      objects.add(RouteAgent.routes(gw, sitePrefixes(gw, in.topology(), selection.included()), in.routeNextHops()));
      objects.add(RouteAgent.daemonSet(gw, settings));
    }
    objects.forEach(o -> o.getMetadata().setOwnerReferences(List.of(ownerOf(gw))));
    return new DesiredGateway(List.copyOf(objects), selection, List.copyOf(revisions));
  }

  /** The brief's signature: desired(vng, lngs, connections, secrets). */
  public static List<HasMetadata> desired(VirtualNetworkGateway vng, List<LocalNetworkGateway> lngs,
      List<Connection> connections, List<Secret> secrets) {
    var topology = new Topology(List.of(vng), lngs, connections, secrets);
    return desired(GatewayInputs.forRender(vng, topology), OperatorSettings.defaults()).objects();
  }

  /** Prefixes behind the gateway's connected sites: what cluster traffic must send into the tunnels. */
  static List<String> sitePrefixes(VirtualNetworkGateway gw, Topology t, List<Connection> included) {
    var out = new java.util.TreeSet<String>();
    for (Connection c : included) {
      Selection.remoteSite(c, t).ifPresent(l -> out.addAll(l.getSpec().localNetworkAddressSpace()));
      Selection.remoteGateway(c, t).ifPresent(v -> out.addAll(v.getSpec().addressSpace()));
    }
    return List.copyOf(out);
  }

  static OwnerReference ownerOf(VirtualNetworkGateway gw) {
    return new OwnerReferenceBuilder()
        .withApiVersion(gw.getApiVersion())
        .withKind(gw.getKind())
        .withName(nameOf(gw))
        .withUid(gw.getMetadata().getUid() == null ? "" : gw.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  static String ns(VirtualNetworkGateway gw) {
    return namespaceOf(gw);
  }

  /** Labels common to everything of this gateway. */
  static Map<String, String> labels(VirtualNetworkGateway gw, String component) {
    return Labels.gateway(nameOf(gw), component);
  }
}
