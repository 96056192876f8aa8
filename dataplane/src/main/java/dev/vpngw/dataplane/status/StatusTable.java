package dev.vpngw.dataplane.status;

import dev.vpngw.crds.v1alpha1.BgpPeerStatus;
import dev.vpngw.crds.v1alpha1.ConnectionStatus;
import dev.vpngw.crds.v1alpha1.NegotiatedEsp;
import dev.vpngw.crds.v1alpha1.NegotiatedIke;
import dev.vpngw.crds.v1alpha1.TunnelStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The human view of one or more instances' status, like {@code swanctl --list-sas} plus Azure's
 * connection and BGP peer lists: a header line per instance, one row per tunnel (connection,
 * instance, state, endpoints, IKE and ESP algorithms, SPIs, bytes, established, last error), one
 * row per BGP peer, then warnings. Used by {@code vpngw status} and in-process by demos.
 */
public final class StatusTable {
  private StatusTable() {}

  private static final String NONE = "-";

  public static String render(InstanceStatus... instances) {
    return render(Arrays.asList(instances));
  }

  public static String render(List<InstanceStatus> instances) {
    var sb = new StringBuilder();
    for (InstanceStatus s : instances) {
      sb.append("Gateway ").append(s.gateway()).append(" instance ").append(s.instance())
          .append(" (").append(s.role()).append("), engine ").append(s.engine())
          .append(", started ").append(s.startedAt())
          .append(", learned routes ").append(s.learnedRoutes());
      if (!s.drops().isEmpty()) {
        sb.append(", drops ").append(s.drops().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" ")));
      }
      sb.append('\n');
    }
    sb.append('\n');
    var tunnels = new ArrayList<List<String>>();
    tunnels.add(List.of("CONNECTION", "INST", "STATE", "LOCAL <-> REMOTE", "IKE", "ESP", "SPI IN/OUT", "BYTES IN/OUT",
        "ESTABLISHED", "LAST ERROR"));
    for (InstanceStatus s : instances) {
      for (InstanceStatus.NamedConnectionStatus c : s.connections()) {
        ConnectionStatus cs = c.status();
        if (cs.tunnels().isEmpty()) {
          tunnels.add(List.of(c.name(), String.valueOf(s.instance()), String.valueOf(cs.connectionStatus()), NONE, NONE,
              NONE, NONE, NONE, NONE, readyMessage(cs)));
        }
        for (TunnelStatus t : cs.tunnels()) {
          tunnels.add(List.of(c.name(), String.valueOf(t.instance()), String.valueOf(t.state()),
              or(t.localEndpoint()) + " <-> " + or(t.remoteEndpoint()), ike(t.ike()), esp(t.esp()),
              t.inboundSpi() == null ? NONE : t.inboundSpi() + "/" + or(t.outboundSpi()),
              num(t.ingressBytesTransferred()) + "/" + num(t.egressBytesTransferred()),
              or(t.establishedTime()), or(t.lastError())));
        }
      }
    }
    table(sb, tunnels);
    childTable(sb, instances);
    var peers = new ArrayList<List<String>>();
    peers.add(List.of("BGP NEIGHBOR", "INST", "ASN", "STATE", "UP FOR", "ROUTES RCVD", "ROUTES ADV"));
    for (InstanceStatus s : instances) {
      for (BgpPeerStatus p : s.bgpPeers()) {
        peers.add(List.of(or(p.neighbor()), p.instance() == null ? String.valueOf(s.instance()) : p.instance().toString(),
            num(p.asn()), p.state() == null ? NONE : p.state().name(), or(p.connectedDuration()), num(p.routesReceived()),
            num(p.routesAdvertised())));
      }
    }
    if (peers.size() > 1) {
      sb.append('\n');
      table(sb, peers);
    }
    List<String> warnings = instances.stream()
        .flatMap(s -> s.warnings().stream().map(w -> "instance " + s.instance() + ": " + w)).toList();
    if (!warnings.isEmpty()) {
      sb.append("\nWarnings:\n");
      warnings.forEach(w -> sb.append("  ").append(w).append('\n'));
    }
    return sb.toString();
  }

  /** Tunnels with more than one child SA (policy-based: one per selector pair) get one row per child. */
  private static void childTable(StringBuilder sb, List<InstanceStatus> instances) {
    var rows = new ArrayList<List<String>>();
    rows.add(List.of("CHILD SA OF", "INST", "STATE", "SPI IN/OUT", "ESP", "LOCAL TS <-> REMOTE TS", "BYTES IN/OUT"));
    for (InstanceStatus s : instances) {
      var byTunnel = s.childSas().stream().collect(Collectors.groupingBy(ChildSaObservation::tunnel,
          java.util.LinkedHashMap::new, Collectors.toList()));
      byTunnel.values().stream().filter(cs -> cs.size() > 1).flatMap(List::stream).forEach(c -> rows.add(List.of(
          c.tunnel(), String.valueOf(s.instance()), or(c.state()), c.inboundSpi() + "/" + c.outboundSpi(), or(c.esp()),
          String.join(",", c.localTs()) + " <-> " + String.join(",", c.remoteTs()), c.bytesIn() + "/" + c.bytesOut())));
    }
    if (rows.size() > 1) {
      sb.append('\n');
      table(sb, rows);
    }
  }

  private static String readyMessage(ConnectionStatus cs) {
    return cs.conditions().stream().filter(c -> "Ready".equals(c.getType()))
        .map(c -> c.getReason() + ": " + c.getMessage()).findFirst().orElse(NONE);
  }

  private static String ike(NegotiatedIke i) {
    return i == null ? NONE : join(i.encryption(), i.integrity(), i.prf() == null ? null : "PRF-" + i.prf(), i.dhGroup());
  }

  private static String esp(NegotiatedEsp e) {
    return e == null ? NONE : join(e.encryption(), Objects.equals(e.integrity(), e.encryption()) ? null : e.integrity(),
        e.pfsGroup() == null ? null : "PFS-" + e.pfsGroup());
  }

  private static String join(String... parts) {
    String s = Stream.of(parts).filter(Objects::nonNull).collect(Collectors.joining("/"));
    return s.isEmpty() ? NONE : s;
  }

  private static String or(String s) {
    return s == null || s.isEmpty() ? NONE : s;
  }

  private static String num(Long n) {
    return n == null ? "0" : n.toString();
  }

  private static void table(StringBuilder sb, List<List<String>> rows) {
    int cols = rows.getFirst().size();
    int[] width = new int[cols];
    for (List<String> r : rows) {
      for (int i = 0; i < cols; i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    for (List<String> r : rows) {
      var line = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        line.append(i == cols - 1 ? r.get(i) : pad(r.get(i), width[i] + 2));
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(Math.max(0, w - s.length()));
  }

}
