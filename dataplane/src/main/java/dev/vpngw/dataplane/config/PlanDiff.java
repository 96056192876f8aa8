package dev.vpngw.dataplane.config;

import java.util.List;

/**
 * The difference between two plans: connections to start ({@code added}), to tear down
 * ({@code removed}, by name), to re-negotiate with their new plan ({@code changed}) and to leave
 * alone ({@code unchanged}); {@code gatewayChanges} names the {@link LocalGatewayPlan} fields that
 * differ (e.g. "addressSpace", "asn").
 */
public record PlanDiff(List<ConnectionPlan> added, List<String> removed, List<ConnectionPlan> changed,
    List<String> unchanged, List<String> gatewayChanges) {

  public PlanDiff {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = List.copyOf(changed);
    unchanged = List.copyOf(unchanged);
    gatewayChanges = List.copyOf(gatewayChanges);
  }

  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty() && changed.isEmpty() && gatewayChanges.isEmpty();
  }

  @Override
  public String toString() {
    return "PlanDiff[added=" + added.stream().map(ConnectionPlan::name).toList() + ", removed=" + removed + ", changed="
        + changed.stream().map(ConnectionPlan::name).toList() + ", gatewayChanges=" + gatewayChanges + "]";
  }
}
