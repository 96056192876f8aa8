package dev.vpngw.operator.reconcile;

import dev.vpngw.crds.v1alpha1.Connection;
import dev.vpngw.crds.v1alpha1.LocalNetworkGateway;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import dev.vpngw.crds.validation.Topology;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a namespace's gateways, sites and connections, and only the Secrets connections reference
 * (the operator never lists Secrets it does not need). Resources being deleted are left out, so
 * their connections drop out of the instances before the finalizer is released.
 */
final class TopologyLoader {
  private TopologyLoader() {}

  static Topology load(KubernetesClient client, String namespace) {
    List<VirtualNetworkGateway> vngs = live(client.resources(VirtualNetworkGateway.class).inNamespace(namespace).list().getItems());
    List<LocalNetworkGateway> lngs = live(client.resources(LocalNetworkGateway.class).inNamespace(namespace).list().getItems());
    List<Connection> conns = live(client.resources(Connection.class).inNamespace(namespace).list().getItems());
    var secrets = new ArrayList<Secret>();
    conns.stream()
        .map(c -> c.getSpec() == null || c.getSpec().sharedKey() == null || c.getSpec().sharedKey().secretKeyRef() == null
            ? null : c.getSpec().sharedKey().secretKeyRef().name())
        .filter(Objects::nonNull).distinct().sorted()
        .forEach(name -> {
          Secret s = client.secrets().inNamespace(namespace).withName(name).get();
          if (s != null) {
            secrets.add(s);
          }
        });
    return new Topology(vngs, lngs, conns, secrets);
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> List<T> live(List<T> items) {
    return items.stream().filter(r -> r.getMetadata().getDeletionTimestamp() == null).toList();
  }
}
