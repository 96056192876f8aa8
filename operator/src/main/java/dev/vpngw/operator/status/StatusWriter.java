package dev.vpngw.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Writes a status with a JSON patch on the status subresource that carries only the new status
 * (JOSDK's manualobservedgeneration idea: a minimal body without resourceVersion, so no 409 against
 * a concurrent spec edit). Nothing is written when the status is unchanged, so a periodic poll does not churn the API.
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
    // JSON Patch "add" on /status replaces the whole status (or creates it): lists are replaced, not
    // merged, and fields gone from the new status disappear.
    var op = JsonNodeFactory.instance.objectNode();
    op.put("op", "add");
    op.put("path", "/status");
    op.set("value", after);
    var body = JsonNodeFactory.instance.arrayNode().add(op);
    client.resources(current.getClass())
        .inNamespace(current.getMetadata().getNamespace())
        .withName(current.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), body.toString());
    return true;
  }
}
