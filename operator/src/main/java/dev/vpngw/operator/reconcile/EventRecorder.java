package dev.vpngw.operator.reconcile;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on the resources at fault. Emits an event once per (object, reason, message)
 * until that changes, so a periodic reconcile does not flood the API.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  public static final String COMPONENT = "vpngw-operator";

  private final KubernetesClient client;
  private final Map<String, String> lastByObject = new ConcurrentHashMap<>();

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void warning(HasMetadata on, String reason, String message) {
    emit(on, "Warning", reason, message, true);
  }

  public void normal(HasMetadata on, String reason, String message) {
    emit(on, "Normal", reason, message, false);
  }

  private void emit(HasMetadata on, String type, String reason, String message, boolean dedupe) {
    String key = on.getKind() + "/" + on.getMetadata().getNamespace() + "/" + on.getMetadata().getName() + "/" + reason;
    if (dedupe && message.equals(lastByObject.put(key, message))) {
      return;
    }
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var event = new EventBuilder()
        .withNewMetadata()
          .withGenerateName(on.getMetadata().getName() + ".")
          .withNamespace(on.getMetadata().getNamespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(on.getApiVersion()).withKind(on.getKind())
            .withName(on.getMetadata().getName()).withNamespace(on.getMetadata().getNamespace())
            .withUid(on.getMetadata().getUid()).build())
        .withType(type).withReason(reason).withMessage(message)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
    try {
      client.v1().events().inNamespace(on.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn("cannot record event {} on {}: {}", reason, key, e.getMessage());
    }
  }

  /** Forget an object (deleted), so a re-created one gets its events again. */
  public void forget(HasMetadata on) {
    String prefix = on.getKind() + "/" + on.getMetadata().getNamespace() + "/" + on.getMetadata().getName() + "/";
    lastByObject.keySet().removeIf(k -> k.startsWith(prefix));
  }

  /** Re-arm one reason (the problem went away), so it is reported again if it comes back. */
  public void clear(HasMetadata on, String reason) {
    lastByObject.remove(on.getKind() + "/" + on.getMetadata().getNamespace() + "/" + on.getMetadata().getName() + "/" + reason);
  }
}
