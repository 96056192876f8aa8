package dev.vpngw.operator.status;

import dev.vpngw.operator.admin.InstanceReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last poll of each gateway's instances, shared between the gateway reconciler (which polls)
 * and the connection reconciler (which turns it into Connection status). In memory only: after an
 * operator restart the next poll refills it.
 */
public final class GatewayObservations {

  /** One instance as last seen. */
  public record Instance(int index, String podName, String podIp, boolean ready, boolean active,
      Optional<InstanceReport> report, Optional<String> error, Optional<String> appliedRevision) {}

  /**
   * One gateway as last seen.
   *
   * @param instances instance 0 and 1 (absent pods are left out)
   * @param desiredRevisions configuration revision per instance
   * @param secretVersions resourceVersion of each referenced Secret that went into those revisions
   * @param includedConnections connections running on the instances
   * @param at when the poll finished
   */
  public record Snapshot(List<Instance> instances, List<String> desiredRevisions, Map<String, String> secretVersions,
      Set<String> includedConnections, Instant at) {

    /** Instances that carry traffic now (both in active-active, the active one otherwise). */
    public List<Instance> active() {
      return instances.stream().filter(Instance::active).toList();
    }

    /** Whether every present instance runs the desired configuration. */
    public boolean configApplied() {
      return !instances.isEmpty() && instances.stream().allMatch(i -> i.appliedRevision()
          .map(r -> r.equals(desiredRevisions.get(i.index()))).orElse(false));
    }
  }

  private final Map<String, Snapshot> byGateway = new ConcurrentHashMap<>();

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  public void put(String namespace, String gateway, Snapshot snapshot) {
    byGateway.put(key(namespace, gateway), snapshot);
  }

  public Optional<Snapshot> get(String namespace, String gateway) {
    return Optional.ofNullable(byGateway.get(key(namespace, gateway)));
  }

  public void remove(String namespace, String gateway) {
    byGateway.remove(key(namespace, gateway));
  }
}
