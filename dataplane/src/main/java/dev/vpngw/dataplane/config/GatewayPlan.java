package dev.vpngw.dataplane.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What one gateway instance must run, in the data plane's own terms: the gateway, the connections
 * that run (each with its tunnels) and the connections excluded with their reason. Built by
 * {@link GatewayPlanner}; a pure value, so two plans compare with {@link #diff}.
 */
public record GatewayPlan(LocalGatewayPlan gateway, List<ConnectionPlan> connections,
    List<ExcludedConnection> excluded) {

  public GatewayPlan {
    connections = List.copyOf(connections);
    excluded = List.copyOf(excluded);
  }

  public Optional<ConnectionPlan> connection(String name) {
    return connections.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** Every tunnel of every running connection. */
  public List<TunnelPlan> tunnels() {
    return connections.stream().flatMap(c -> c.tunnels().stream()).toList();
  }

  /**
   * What changed between two plans of the same instance. A connection whose plan differs in any way
   * (peer, key, policy, selectors, routes, BGP …) is "changed" and only it is re-negotiated; gateway
   * level changes are listed by field so the runtime can re-advertise (addressSpace, asn) or restart
   * everything (bindAddress).
   */
  public static PlanDiff diff(GatewayPlan old, GatewayPlan now) {
    Map<String, ConnectionPlan> before = byName(old.connections());
    Map<String, ConnectionPlan> after = byName(now.connections());
    var added = new ArrayList<ConnectionPlan>();
    var changed = new ArrayList<ConnectionPlan>();
    var unchanged = new ArrayList<String>();
    for (ConnectionPlan c : now.connections()) {
      ConnectionPlan was = before.get(c.name());
      if (was == null) {
        added.add(c);
      } else if (!was.equals(c)) {
        changed.add(c);
      } else {
        unchanged.add(c.name());
      }
    }
    List<String> removed = old.connections().stream().map(ConnectionPlan::name).filter(n -> !after.containsKey(n)).toList();
    return new PlanDiff(added, removed, changed, unchanged, gatewayChanges(old.gateway(), now.gateway()));
  }

  private static List<String> gatewayChanges(LocalGatewayPlan a, LocalGatewayPlan b) {
    var out = new ArrayList<String>();
    var fields = LocalGatewayPlan.class.getRecordComponents();
    for (var f : fields) {
      try {
        Object x = f.getAccessor().invoke(a);
        Object y = f.getAccessor().invoke(b);
        if (!java.util.Objects.equals(x, y)) {
          out.add(f.getName());
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  private static Map<String, ConnectionPlan> byName(List<ConnectionPlan> list) {
    return list.stream().collect(Collectors.toMap(ConnectionPlan::name, Function.identity()));
  }
}
