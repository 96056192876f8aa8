package dev.vpngw.dataplane.status;

import dev.vpngw.crds.v1alpha1.Api;
import dev.vpngw.crds.v1alpha1.BgpPeerStatus;
import dev.vpngw.crds.v1alpha1.ConnectionState;
import dev.vpngw.crds.v1alpha1.ConnectionStatus;
import dev.vpngw.crds.v1alpha1.TunnelStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Combines the per-instance statuses of a gateway's instances into one status per Connection, the
 * shape Azure shows and the operator writes into the Connection CR: all tunnels (instance 0 first),
 * summed bytes, Connected when any tunnel is, and per condition type the "best" instance's
 * condition (True wins for Ready and BgpEstablished; WeakCryptography is True if any instance
 * reports it). The Ready message is recounted over all tunnels.
 */
public final class ConnectionStatusMerger {
  private ConnectionStatusMerger() {}

  private static final List<ConnectionState> BEST_FIRST = List.of(ConnectionState.Connected,
      ConnectionState.Connecting, ConnectionState.NotConnected, ConnectionState.Unknown);

  /** Connection name → merged status, over every connection any instance reports. */
  public static Map<String, ConnectionStatus> merge(List<InstanceStatus> instances) {
    var byName = new LinkedHashMap<String, List<ConnectionStatus>>();
    instances.stream().sorted(Comparator.comparingInt(InstanceStatus::instance))
        .forEach(i -> i.connections().forEach(c -> byName.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(c.status())));
    var out = new LinkedHashMap<String, ConnectionStatus>();
    byName.forEach((name, list) -> out.put(name, mergeConnection(list)));
    return out;
  }

  /** Merges one connection's statuses from several instances. */
  public static ConnectionStatus mergeConnection(List<ConnectionStatus> perInstance) {
    var tunnels = new ArrayList<TunnelStatus>();
    var peers = new ArrayList<BgpPeerStatus>();
    long in = 0;
    long out = 0;
    for (ConnectionStatus s : perInstance) {
      tunnels.addAll(s.tunnels());
      peers.addAll(s.bgpPeers());
      in += s.ingressBytesTransferred() == null ? 0 : s.ingressBytesTransferred();
      out += s.egressBytesTransferred() == null ? 0 : s.egressBytesTransferred();
    }
    ConnectionState state = BEST_FIRST.stream()
        .filter(st -> perInstance.stream().anyMatch(s -> s.connectionStatus() == st)).findFirst()
        .orElse(ConnectionState.Unknown);
    var types = new ArrayList<String>();
    perInstance.forEach(s -> s.conditions().forEach(c -> {
      if (!types.contains(c.getType())) {
        types.add(c.getType());
      }
    }));
    var conditions = new ArrayList<Condition>();
    for (String type : types) {
      List<Condition> all = perInstance.stream().flatMap(s -> s.conditions().stream())
          .filter(c -> c.getType().equals(type)).toList();
      Optional<Condition> trueOne = all.stream().filter(c -> "True".equals(c.getStatus())).findFirst();
      Condition chosen = trueOne.orElse(all.getFirst());
      if (type.equals(Api.CONDITION_READY) && trueOne.isPresent()) {
        long up = tunnels.stream().filter(t -> t.state() == ConnectionState.Connected).count();
        chosen = new ConditionBuilder(chosen).withMessage(up + " of " + tunnels.size() + " tunnels connected").build();
      }
      conditions.add(chosen);
    }
    return new ConnectionStatus(null, state, in, out, tunnels, peers, conditions);
  }
}
