package dev.vpngw.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Kubernetes-style conditions: lastTransitionTime carries over from the previous condition of the
 * same type unless its status changed (API conventions); reasons are CamelCase.
 */
public final class Conditions {
  private Conditions() {}

  public static final String READY = "Ready";
  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  public static Condition of(String type, boolean status, String reason, String message, Long generation) {
    return of(type, status ? TRUE : FALSE, reason, message, generation);
  }

  public static Condition of(String type, String status, String reason, String message, Long generation) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withMessage(message == null ? "" : message).withObservedGeneration(generation).build();
  }

  /**
   * The new conditions with lastTransitionTime set: kept from {@code previous} when the status of
   * that type did not change, now otherwise. Order follows {@code desired}.
   */
  public static List<Condition> merge(List<Condition> previous, List<Condition> desired, Clock clock) {
    var out = new ArrayList<Condition>();
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    for (Condition d : desired) {
      Condition prev = find(previous, d.getType());
      String ltt = prev != null && Objects.equals(prev.getStatus(), d.getStatus()) && prev.getLastTransitionTime() != null
          ? prev.getLastTransitionTime() : now;
      out.add(new ConditionBuilder(d).withLastTransitionTime(ltt).build());
    }
    return out;
  }

  public static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }
}
