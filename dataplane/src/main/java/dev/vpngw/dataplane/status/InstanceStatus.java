package dev.vpngw.dataplane.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vpngw.crds.v1alpha1.BgpPeerStatus;
import dev.vpngw.crds.v1alpha1.ConnectionStatus;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One gateway instance's status, the body of admin {@code /status}: per connection the same
 * {@link ConnectionStatus} the operator writes into the Connection CR (for this instance's tunnels),
 * plus instance-wide BGP, route and drop figures.
 *
 * @param engine     which engines run ("plan-only" until IKE/ESP/BGP are wired)
 * @param startedAt  RFC 3339
 * @param warnings   plan warnings, excluded connections and engine warnings, one line each
 * @param childSas   every child SA of every tunnel (policy-based: one per selector pair)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstanceStatus(
    String gateway,
    int instance,
    String role,
    String engine,
    String startedAt,
    List<NamedConnectionStatus> connections,
    List<BgpPeerStatus> bgpPeers,
    long learnedRoutes,
    Map<String, Long> drops,
    List<String> warnings,
    String configRevision,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ChildSaObservation> childSas) {

  public InstanceStatus {
    connections = connections == null ? List.of() : List.copyOf(connections);
    bgpPeers = bgpPeers == null ? List.of() : List.copyOf(bgpPeers);
    drops = drops == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(drops));
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    childSas = childSas == null ? List.of() : List.copyOf(childSas);
  }

  /** The same status, stamped with the revision of the configuration it runs (the operator's {@code .revision}). */
  public InstanceStatus withConfigRevision(String revision) {
    return new InstanceStatus(gateway, instance, role, engine, startedAt, connections, bgpPeers, learnedRoutes, drops,
        warnings, revision, childSas);
  }

  /** A connection's status under its name. */
  public record NamedConnectionStatus(String name, ConnectionStatus status) {}
}
