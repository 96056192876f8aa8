package dev.vpngw.operator.desired;

import static dev.vpngw.crds.validation.Topology.nameOf;

import dev.vpngw.crds.v1alpha1.GatewayInstance;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The public side: one LoadBalancer Service per instance (UDP 500 for IKE, 4500 for NAT-T/ESP-in-UDP)
 * so each instance has its own public IP, and a PodDisruptionBudget so a drain never takes both.
 * {@code externalTrafficPolicy: Local} keeps the peer's source address (IKE identities, NAT
 * detection) and sends traffic only to the node running the pod.
 */
public final class GatewayServices {
  private GatewayServices() {}

  public static final int IKE_PORT = 500;
  public static final int NAT_T_PORT = 4500;

  /**
   * Active-active: Service i selects instance i. Active-standby: Service 0 is the gateway's public
   * endpoint and follows whichever pod carries {@code vpngw.dev/role=active}; Service 1 reaches
   * instance 1 directly (its own address, used while it is standby only for diagnostics).
   */
  static Service build(VirtualNetworkGateway gw, int instance) {
    String name = nameOf(gw);
    var spec = gw.getSpec();
    Map<String, String> selector;
    if (!spec.activeActive() && instance == 0) {
      selector = new LinkedHashMap<>(Labels.gatewayPods(name));
      selector.put(Labels.ROLE, Labels.ROLE_ACTIVE);
    } else {
      selector = new LinkedHashMap<>(Labels.instancePod(name, instance));
    }
    GatewayInstance settings = instance < spec.instances().size() ? spec.instances().get(instance) : null;
    var labels = GatewayDesiredState.labels(gw, "public-endpoint");
    labels.put(Labels.INSTANCE, Integer.toString(instance));
    var b = new ServiceBuilder()
        .withNewMetadata()
          .withName(Names.service(name, instance))
          .withNamespace(GatewayDesiredState.ns(gw))
          .withLabels(labels)
          .withAnnotations(settings == null ? Map.of() : new LinkedHashMap<>(settings.serviceAnnotations()))
        .endMetadata()
        .withNewSpec()
          .withType("LoadBalancer")
          .withExternalTrafficPolicy("Local")
          .withSelector(selector)
          .addNewPort().withName("ike").withProtocol("UDP").withPort(IKE_PORT).withTargetPort(new IntOrString("ike")).endPort()
          .addNewPort().withName("nat-t").withProtocol("UDP").withPort(NAT_T_PORT).withTargetPort(new IntOrString("nat-t")).endPort()
        .endSpec();
    if (settings != null && settings.publicIpAddress() != null) {
      // Deprecated upstream but still the one portable way to ask for a given address; clouds
      // that want an annotation instead get it through spec.instances[].serviceAnnotations.
      b.editSpec().withLoadBalancerIP(settings.publicIpAddress()).endSpec();
    }
    return b.build();
  }

  static PodDisruptionBudget disruptionBudget(VirtualNetworkGateway gw) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
          .withName(Names.disruptionBudget(nameOf(gw)))
          .withNamespace(GatewayDesiredState.ns(gw))
          .withLabels(GatewayDesiredState.labels(gw, "gateway"))
        .endMetadata()
        .withNewSpec()
          .withMinAvailable(new IntOrString(1))
          .withNewSelector().withMatchLabels(Labels.gatewayPods(nameOf(gw))).endSelector()
        .endSpec()
        .build();
  }
}
