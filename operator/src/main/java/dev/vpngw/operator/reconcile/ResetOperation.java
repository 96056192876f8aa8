package dev.vpngw.operator.reconcile;

import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import dev.vpngw.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Azure's "reset gateway" as an annotation: {@code vpngw.dev/reset: <any new value>} restarts the
 * instances one at a time — delete pod 0, wait until its replacement is ready, then pod 1 — so the
 * gateway never loses both. Progress and the acknowledgement are annotations (the status schema has
 * no operation field yet) plus a {@code Reset} condition naming the value.
 */
final class ResetOperation {
  private ResetOperation() {}

  static final String CONDITION = "Reset";

  /** Advances a requested reset by at most one step; returns the Reset condition to report, if any. */
  static Optional<Condition> step(KubernetesClient client, VirtualNetworkGateway gw, Map<Integer, PodView> pods,
      EventRecorder events) {
    var annotations = gw.getMetadata().getAnnotations() == null ? Map.<String, String>of() : gw.getMetadata().getAnnotations();
    String requested = annotations.get(Annotations.RESET);
    String done = annotations.get(Annotations.RESET_ACKNOWLEDGED);
    Long generation = gw.getMetadata().getGeneration();
    if (requested == null || requested.isBlank()) {
      return Optional.empty();
    }
    if (requested.equals(done)) {
      return Optional.of(Conditions.of(CONDITION, true, "ResetCompleted",
          "reset " + requested + " completed: both instances restarted one after the other", generation));
    }
    String[] progress = Optional.ofNullable(annotations.get(Annotations.RESET_PROGRESS)).map(p -> p.split("/", -1))
        .filter(p -> p.length == 3 && p[0].equals(requested)).orElse(null);
    if (progress == null) {
      return Optional.of(restart(client, gw, pods, requested, 0, events));
    }
    int instance = Integer.parseInt(progress[1]);
    PodView p = pods.get(instance);
    boolean replaced = p != null && !p.uid().equals(progress[2]) && p.serving();
    if (!replaced) {
      return Optional.of(Conditions.of(CONDITION, false, "ResetInProgress",
          "reset " + requested + ": waiting for instance " + instance + " to be ready again", generation));
    }
    if (instance == 0) {
      return Optional.of(restart(client, gw, pods, requested, 1, events));
    }
    annotate(client, gw, Map.of(Annotations.RESET_ACKNOWLEDGED, requested), Annotations.RESET_PROGRESS);
    events.normal(gw, "ResetCompleted", "reset " + requested + " completed");
    return Optional.of(Conditions.of(CONDITION, true, "ResetCompleted",
        "reset " + requested + " completed: both instances restarted one after the other", generation));
  }

  private static Condition restart(KubernetesClient client, VirtualNetworkGateway gw, Map<Integer, PodView> pods,
      String requested, int instance, EventRecorder events) {
    PodView p = pods.get(instance);
    String ns = gw.getMetadata().getNamespace();
    if (p == null || (instance == 1 && pods.get(0) != null && !pods.get(0).serving())) {
      return Conditions.of(CONDITION, false, "ResetInProgress", "reset " + requested + ": waiting for instance "
          + instance + " to exist", gw.getMetadata().getGeneration());
    }
    client.pods().inNamespace(ns).withName(p.name()).delete();
    annotate(client, gw, Map.of(Annotations.RESET_PROGRESS, requested + "/" + instance + "/" + p.uid()), null);
    events.normal(gw, "ResetInstance", "reset " + requested + ": restarting instance " + instance + " (pod " + p.name() + ")");
    return Conditions.of(CONDITION, false, "ResetInProgress", "reset " + requested + ": restarting instance " + instance,
        gw.getMetadata().getGeneration());
  }

  private static void annotate(KubernetesClient client, VirtualNetworkGateway gw, Map<String, String> put, String remove) {
    var values = new HashMap<String, String>(put);
    if (remove != null) {
      values.put(remove, null);
    }
    MetadataPatch.annotations(client, VirtualNetworkGateway.class, gw.getMetadata().getNamespace(),
        gw.getMetadata().getName(), values);
  }
}
