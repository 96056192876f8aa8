package dev.vpngw.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Iterator;

/**
 * Writes a status with a JSON merge patch on the status subresource from a minimal body (JOSDK's
 * manualobservedgeneration idea: no resourceVersion, so no 409 against a concurrent spec edit).
 * Top-level status fields present before but absent now are sent as null so they are removed.
 * Nothing is written when the status is unchanged, so a periodic poll does not churn the API.
 */
public final class StatusWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusWriter() {}

  /** @return whether a patch was sent */
  public static boolean write(KubernetesClient client, HasMetadata current, Object currentStatus, Object newStatus) {
    JsonNode before = currentStatus == null ? JsonNodeFactory.instance.objectNode() : JSON.valueToTree(currentStatus);
    ObjectNode after = JSON.valueToTree(newStatus);
    if (before.equals(after)) {
      return false;
    }
    for (Iterator<String> it = before.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!after.has(field)) {
        after.putNull(field);
      }
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set("status", after);
    client.resources(current.getClass())
        .inNamespace(current.getMetadata().getNamespace())
        .withName(current.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), body.toString());
    return true;
  }
}
