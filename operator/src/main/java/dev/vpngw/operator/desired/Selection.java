package dev.vpngw.operator.desired;

import static dev.vpngw.crds.validation.Topology.nameOf;
import static dev.vpngw.crds.validation.Topology.namespaceOf;

import dev.vpngw.crds.v1alpha1.Connection;
import dev.vpngw.crds.v1alpha1.ConnectionType;
import dev.vpngw.crds.v1alpha1.LocalNetworkGateway;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import dev.vpngw.crds.validation.Finding;
import dev.vpngw.crds.validation.Topology;
import dev.vpngw.crds.validation.TopologyValidator;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which connections of a gateway go into its instances: those with no finding on themselves, on
 * their site or on the remote gateway. A faulty connection is left out so the others keep running.
 *
 * @param findings every finding in the namespace's topology
 * @param included connections of the gateway that run, by name
 * @param excluded connections of the gateway left out, by name
 */
public record Selection(List<Finding> findings, List<Connection> included, List<Connection> excluded) {

  public static Selection of(VirtualNetworkGateway gateway, Topology topology) {
    List<Finding> findings = new TopologyValidator().validate(topology);
    List<Connection> mine = topology.connectionsOf(gateway).stream()
        .sorted(Comparator.comparing(c -> nameOf(c)))
        .toList();
    var included = mine.stream().filter(c -> runnable(c, topology, findings)).toList();
    var excluded = mine.stream().filter(c -> !included.contains(c)).toList();
    return new Selection(findings, included, excluded);
  }

  private static boolean runnable(Connection c, Topology t, List<Finding> findings) {
    String ns = namespaceOf(c);
    if (findings.stream().anyMatch(f -> f.concerns(Connection.KIND, ns, nameOf(c)))) {
      return false;
    }
    return remoteSite(c, t)
        .map(l -> findings.stream().noneMatch(f -> f.concerns(LocalNetworkGateway.KIND, ns, nameOf(l))))
        .orElse(true);
  }

  /** The LocalNetworkGateway of an IPsec connection, if it exists. */
  public static Optional<LocalNetworkGateway> remoteSite(Connection c, Topology t) {
    var s = c.getSpec();
    if (s == null || s.connectionType() != ConnectionType.IPsec || s.localNetworkGateway2() == null) {
      return Optional.empty();
    }
    return t.localNetworkGateway(namespaceOf(c), s.localNetworkGateway2().name());
  }

  /** The remote VirtualNetworkGateway of a Vnet2Vnet connection, if it exists. */
  public static Optional<VirtualNetworkGateway> remoteGateway(Connection c, Topology t) {
    var s = c.getSpec();
    if (s == null || s.connectionType() != ConnectionType.Vnet2Vnet || s.virtualNetworkGateway2() == null) {
      return Optional.empty();
    }
    return t.virtualNetworkGateway(namespaceOf(c), s.virtualNetworkGateway2().name());
  }

  /** Findings about one resource. */
  public List<Finding> about(String kind, String namespace, String name) {
    return findings.stream().filter(f -> f.concerns(kind, namespace, name)).toList();
  }
}
