package dev.vpngw.operator.reconcile;

import dev.vpngw.operator.desired.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;

/**
 * Creates or replaces desired objects. An object is rewritten only when the hash of its desired
 * form differs from the {@link Labels#DESIRED_HASH} annotation on the live one, so server-side
 * defaults never cause a diff and a periodic reconcile writes nothing.
 */
final class Applier {
  enum Outcome { CREATED, UPDATED, UNCHANGED }

  private final KubernetesClient client;

  Applier(KubernetesClient client) {
    this.client = client;
  }

  Outcome apply(HasMetadata desired) {
    String hash = hash(desired);
    var annotations = desired.getMetadata().getAnnotations() == null
        ? new HashMap<String, String>() : new HashMap<>(desired.getMetadata().getAnnotations());
    annotations.put(Labels.DESIRED_HASH, hash);
    desired.getMetadata().setAnnotations(new java.util.TreeMap<>(annotations));
    HasMetadata live = client.resource(desired).get();
    if (live == null) {
      client.resource(desired).create();
      return Outcome.CREATED;
    }
    var liveAnnotations = live.getMetadata().getAnnotations();
    if (liveAnnotations != null && hash.equals(liveAnnotations.get(Labels.DESIRED_HASH))) {
      return Outcome.UNCHANGED;
    }
    desired.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
    if (desired instanceof Service s && live instanceof Service l && l.getSpec() != null) {
      keepAllocated(s, l);
    }
    client.resource(desired).update();
    return Outcome.UPDATED;
  }

  /** Fields the API server allocated on a Service; a replace must carry them over. */
  private static void keepAllocated(Service desired, Service live) {
    var d = desired.getSpec();
    var l = live.getSpec();
    d.setClusterIP(l.getClusterIP());
    d.setClusterIPs(l.getClusterIPs());
    d.setIpFamilies(l.getIpFamilies());
    d.setIpFamilyPolicy(l.getIpFamilyPolicy());
    d.setHealthCheckNodePort(l.getHealthCheckNodePort());
    for (var port : d.getPorts()) {
      l.getPorts().stream().filter(p -> p.getName() != null && p.getName().equals(port.getName())).findFirst()
          .ifPresent(p -> port.setNodePort(p.getNodePort()));
    }
  }

  static String hash(HasMetadata desired) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest(Serialization.asJson(desired).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
