package dev.vpngw.operator.reconcile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;

/**
 * Sets or removes labels and annotations with a JSON merge patch: no resourceVersion, so it never
 * conflicts with a concurrent status write or spec edit (a null value removes the key).
 */
final class MetadataPatch {
  private MetadataPatch() {}

  static void annotations(KubernetesClient client, Class<? extends HasMetadata> type, String ns, String name,
      Map<String, String> values) {
    patch(client, type, ns, name, "annotations", values);
  }

  static void labels(KubernetesClient client, Class<? extends HasMetadata> type, String ns, String name,
      Map<String, String> values) {
    patch(client, type, ns, name, "labels", values);
  }

  private static void patch(KubernetesClient client, Class<? extends HasMetadata> type, String ns, String name,
      String field, Map<String, String> values) {
    ObjectNode entries = JsonNodeFactory.instance.objectNode();
    values.forEach((k, v) -> {
      if (v == null) {
        entries.putNull(k);
      } else {
        entries.put(k, v);
      }
    });
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.putObject("metadata").set(field, entries);
    client.resources(type).inNamespace(ns).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), body.toString());
  }
}
