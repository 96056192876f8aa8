package dev.vpngw.operator.reconcile;

import dev.vpngw.operator.desired.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/** What the operator needs to know about one gateway pod. */
record PodView(int instance, String name, String uid, String ip, boolean ready, boolean terminating, String role) {

  static Optional<PodView> of(Pod p) {
    var labels = p.getMetadata().getLabels();
    if (labels == null || labels.get(Labels.INSTANCE) == null) {
      return Optional.empty();
    }
    int instance;
    try {
      instance = Integer.parseInt(labels.get(Labels.INSTANCE));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    boolean ready = p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    String ip = p.getStatus() == null ? null : p.getStatus().getPodIP();
    return Optional.of(new PodView(instance, p.getMetadata().getName(), p.getMetadata().getUid(),
        ip == null || ip.isEmpty() ? null : ip, ready, p.getMetadata().getDeletionTimestamp() != null,
        labels.get(Labels.ROLE)));
  }

  boolean serving() {
    return ready && !terminating;
  }

  boolean labelledActive() {
    return Labels.ROLE_ACTIVE.equals(role);
  }
}
