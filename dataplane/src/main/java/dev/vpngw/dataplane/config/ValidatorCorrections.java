package dev.vpngw.dataplane.config;

import static dev.vpngw.crds.validation.Topology.nameOf;
import static dev.vpngw.crds.validation.Topology.namespaceOf;

import dev.vpngw.crds.v1alpha1.Connection;
import dev.vpngw.crds.v1alpha1.ConnectionType;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import dev.vpngw.crds.validation.Finding;
import dev.vpngw.crds.validation.Reasons;
import dev.vpngw.crds.validation.Topology;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * TEMPORARY, until the crds module's {@code Prefix.parse} is fixed: at crds commit d7a0f91 it
 * rejects every valid prefix ("'198.18.0.0/16' has host bits set", because ipaddress parses a
 * zero-host CIDR as a prefix block whose {@code isZeroHost()} is false), and as a consequence its
 * overlap checks never run. This drops those false InvalidPrefix findings and re-adds the two
 * overlap checks the planner depends on (gateway addressSpace within itself; a connection's remote
 * space against the gateway's), unless the validator already reported the same resource, field
 * and reason. Once crds is fixed this class changes nothing and can be deleted.
 */
final class ValidatorCorrections {
  private ValidatorCorrections() {}

  private static final Pattern HOST_BITS = Pattern.compile("'([^']*)' has host bits set");

  static List<Finding> correct(Topology t, List<Finding> findings) {
    var out = new ArrayList<Finding>();
    for (Finding f : findings) {
      var m = HOST_BITS.matcher(f.message());
      if (f.reason().equals(Reasons.INVALID_PREFIX) && m.find() && parse(m.group(1)).isPresent()) {
        continue; // a valid prefix the buggy parser refused
      }
      out.add(f);
    }
    for (VirtualNetworkGateway gw : t.virtualNetworkGateways()) {
      if (gw.getSpec() == null) {
        continue;
      }
      List<String> space = gw.getSpec().addressSpace();
      for (int i = 0; i < space.size(); i++) {
        for (int j = 0; j < i; j++) {
          if (overlap(space.get(i), space.get(j))) {
            String field = "spec.addressSpace[" + i + "]";
            add(out, new Finding(VirtualNetworkGateway.KIND, namespaceOf(gw), nameOf(gw), field,
                Reasons.ADDRESS_SPACE_OVERLAP, field + ": " + space.get(i) + " overlaps " + space.get(j)
                    + " of the same list"));
          }
        }
      }
    }
    for (Connection c : t.connections()) {
      var s = c.getSpec();
      if (s == null || s.virtualNetworkGateway1() == null) {
        continue;
      }
      String ns = namespaceOf(c);
      var gw = t.virtualNetworkGateway(ns, s.virtualNetworkGateway1().name()).filter(g -> g.getSpec() != null);
      if (gw.isEmpty()) {
        continue;
      }
      boolean v2v = s.connectionType() == ConnectionType.Vnet2Vnet;
      String field = v2v ? "spec.virtualNetworkGateway2.name" : "spec.localNetworkGateway2.name";
      String remoteName;
      String desc;
      List<String> remote;
      if (v2v) {
        if (s.virtualNetworkGateway2() == null) {
          continue;
        }
        remoteName = s.virtualNetworkGateway2().name();
        var other = t.virtualNetworkGateway(ns, remoteName).filter(g -> g.getSpec() != null);
        if (other.isEmpty()) {
          continue;
        }
        remote = other.get().getSpec().addressSpace();
        desc = "VirtualNetworkGateway " + remoteName + " addressSpace";
      } else {
        if (s.localNetworkGateway2() == null) {
          continue;
        }
        remoteName = s.localNetworkGateway2().name();
        var site = t.localNetworkGateway(ns, remoteName).filter(l -> l.getSpec() != null);
        if (site.isEmpty()) {
          continue;
        }
        remote = site.get().getSpec().localNetworkAddressSpace();
        desc = "LocalNetworkGateway " + remoteName + " localNetworkAddressSpace";
      }
      for (String l : gw.get().getSpec().addressSpace()) {
        for (String r : remote) {
          if (overlap(l, r)) {
            add(out, new Finding(Connection.KIND, ns, nameOf(c), field, Reasons.ADDRESS_SPACE_OVERLAP,
                desc + " prefix " + r + " overlaps " + l + " in the addressSpace of VirtualNetworkGateway "
                    + nameOf(gw.get())));
          }
        }
      }
    }
    return List.copyOf(out);
  }

  private static void add(List<Finding> out, Finding f) {
    boolean known = out.stream().anyMatch(o -> o.resourceKind().equals(f.resourceKind())
        && o.namespace().equals(f.namespace()) && o.resourceName().equals(f.resourceName())
        && o.fieldPath().equals(f.fieldPath()) && o.reason().equals(f.reason()));
    if (!known) {
      out.add(f);
    }
  }

  private static boolean overlap(String a, String b) {
    var x = parse(a);
    var y = parse(b);
    return x.isPresent() && y.isPresent() && (x.get().contains(y.get()) || y.get().contains(x.get()));
  }

  /** A CIDR prefix with zero host bits, as a prefix block. */
  static Optional<IPAddress> parse(String text) {
    if (text == null || !text.contains("/")) {
      return Optional.empty();
    }
    IPAddress a = new IPAddressString(text).getAddress();
    if (a == null || !a.isIPv4() || !a.isPrefixed() || !a.getLower().isZeroHost()) {
      return Optional.empty();
    }
    return Optional.of(a.toPrefixBlock());
  }
}
