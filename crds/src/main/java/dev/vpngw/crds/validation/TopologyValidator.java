package dev.vpngw.crds.validation;

import static dev.vpngw.crds.validation.Topology.nameOf;
import static dev.vpngw.crds.validation.Topology.namespaceOf;

import dev.vpngw.crds.v1alpha1.Connection;
import dev.vpngw.crds.v1alpha1.ConnectionMode;
import dev.vpngw.crds.v1alpha1.ConnectionProtocol;
import dev.vpngw.crds.v1alpha1.ConnectionSpec;
import dev.vpngw.crds.v1alpha1.ConnectionType;
import dev.vpngw.crds.v1alpha1.GatewayCustomBgpIpAddress;
import dev.vpngw.crds.v1alpha1.GatewayReference;
import dev.vpngw.crds.v1alpha1.GatewaySku;
import dev.vpngw.crds.v1alpha1.LocalNetworkGateway;
import dev.vpngw.crds.v1alpha1.LocalNetworkGatewayBgpSettings;
import dev.vpngw.crds.v1alpha1.SecretKeySelector;
import dev.vpngw.crds.v1alpha1.TrafficSelectorPolicy;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGatewaySpec;
import dev.vpngw.crds.v1alpha1.VpnType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The checks the API server's schema and CEL rules cannot do because they span resources (or need
 * prefix arithmetic): references that do not resolve, missing Secrets/keys, SKU features and
 * tunnel limits, overlapping address spaces, BGP/APIPA consistency. Used by the operator (a
 * condition per finding) and by the standalone data plane (refuses to start, naming the field).
 *
 * <p>SKU tunnel limits count Connection resources whose virtualNetworkGateway1 is the gateway, as
 * Azure does: in active-active mode the two tunnels of one connection (one per instance) are "part
 * of the same connection" and count once. A Vnet2Vnet pair is two Connections, one on each
 * gateway. A PolicyBased gateway allows one connection. When a gateway is over its limit, the
 * connections created last (creationTimestamp, then name; in manifest files: the ones listed last)
 * are the ones reported.
 */
public final class TopologyValidator {

  /** Azure's shared-key limit; the key must be printable ASCII without spaces. */
  static final int MAX_SHARED_KEY_LENGTH = 128;

  private static final String VNG = VirtualNetworkGateway.KIND;
  private static final String LNG = LocalNetworkGateway.KIND;
  private static final String CONN = Connection.KIND;

  /** Validates everything in the topology; the result is empty when it is consistent. */
  public List<Finding> validate(Topology topology) {
    var out = new ArrayList<Finding>();
    for (var gw : sorted(topology.virtualNetworkGateways())) {
      if (gw.getSpec() != null) {
        checkGateway(gw, out);
      }
    }
    for (var site : sorted(topology.localNetworkGateways())) {
      if (site.getSpec() != null) {
        checkPrefixes(LNG, site, "spec.localNetworkAddressSpace", site.getSpec().localNetworkAddressSpace(), false, out);
      }
    }
    for (var c : sorted(topology.connections())) {
      if (c.getSpec() != null) {
        checkConnection(topology, c, out);
      }
    }
    for (var gw : sorted(topology.virtualNetworkGateways())) {
      if (gw.getSpec() != null) {
        checkConnectionsOfGateway(topology, gw, out);
      }
    }
    return List.copyOf(out);
  }

  /** Findings about one resource only (what an operator puts into that resource's conditions). */
  public List<Finding> validate(Topology topology, HasMetadata resource) {
    return validate(topology).stream()
        .filter(f -> f.concerns(resource.getKind(), namespaceOf(resource), nameOf(resource)))
        .toList();
  }

  // ---------------------------------------------------------------- gateway on its own

  private static void checkGateway(VirtualNetworkGateway gw, List<Finding> out) {
    VirtualNetworkGatewaySpec s = gw.getSpec();
    checkPrefixes(VNG, gw, "spec.addressSpace", s.addressSpace(), true, out);
    boolean basic = s.sku() == GatewaySku.Basic;
    boolean policyBased = s.vpnType() == VpnType.PolicyBased;
    if (s.activeActive() && (basic || policyBased)) {
      out.add(finding(VNG, gw, "spec.activeActive", Reasons.ACTIVE_ACTIVE_NOT_SUPPORTED,
          "activeActive needs a RouteBased gateway with a SKU other than Basic (sku " + s.sku() + ", vpnType "
              + s.vpnType() + ")"));
    }
    if (s.enableBgp() && (basic || policyBased)) {
      out.add(finding(VNG, gw, "spec.enableBgp", Reasons.BGP_NOT_SUPPORTED,
          "enableBgp needs a RouteBased gateway with a SKU other than Basic (sku " + s.sku() + ", vpnType "
              + s.vpnType() + ")"));
    }
  }

  private static void checkPrefixes(String kind, HasMetadata owner, String field, List<String> texts,
      boolean mustBeDisjoint, List<Finding> out) {
    var parsed = new ArrayList<Prefix>();
    for (int i = 0; i < texts.size(); i++) {
      switch (Prefix.parse(texts.get(i))) {
        case Prefix.Bad bad -> out.add(finding(kind, owner, field + "[" + i + "]", Reasons.INVALID_PREFIX,
            field + "[" + i + "]: " + bad.problem()));
        case Prefix.Ok ok -> {
          for (Prefix earlier : parsed) {
            if (mustBeDisjoint && earlier.overlaps(ok.prefix())) {
              out.add(finding(kind, owner, field + "[" + i + "]", Reasons.ADDRESS_SPACE_OVERLAP,
                  field + "[" + i + "]: " + ok.prefix() + " overlaps " + earlier + " of the same list"));
            }
          }
          parsed.add(ok.prefix());
        }
      }
    }
  }

  // ---------------------------------------------------------------- one connection

  private static void checkConnection(Topology t, Connection c, List<Finding> out) {
    ConnectionSpec s = c.getSpec();
    String ns = namespaceOf(c);
    Optional<VirtualNetworkGateway> gw = resolveGateway(t, c, s.virtualNetworkGateway1(), "spec.virtualNetworkGateway1", out);
    boolean v2v = s.connectionType() == ConnectionType.Vnet2Vnet;
    Optional<VirtualNetworkGateway> gw2 = v2v
        ? resolveGateway(t, c, s.virtualNetworkGateway2(), "spec.virtualNetworkGateway2", out) : Optional.empty();
    Optional<LocalNetworkGateway> site = v2v ? Optional.empty() : resolveSite(t, c, s.localNetworkGateway2(), out);
    checkSharedKey(t, c, out);
    if (gw.isEmpty()) {
      return;
    }
    VirtualNetworkGatewaySpec g = gw.get().getSpec();
    String gwName = nameOf(gw.get());
    checkFeaturesAgainstGateway(c, s, g, gwName, out);
    checkCustomBgpIpAddresses(c, s, g, gwName, out);
    if (s.enableBgp() && g.vpnType() != VpnType.PolicyBased) {
      site.ifPresent(l -> checkBgpToSite(c, g, gwName, l, out));
      gw2.ifPresent(other -> checkBgpToGateway(c, g, gwName, other, out));
    }
    List<String> remoteSpace = site.map(l -> l.getSpec().localNetworkAddressSpace())
        .or(() -> gw2.map(v -> v.getSpec().addressSpace())).orElse(List.of());
    String remoteField = site.isPresent() ? "spec.localNetworkGateway2.name" : "spec.virtualNetworkGateway2.name";
    String remoteDesc = site.map(l -> "LocalNetworkGateway " + nameOf(l) + " localNetworkAddressSpace")
        .or(() -> gw2.map(v -> "VirtualNetworkGateway " + nameOf(v) + " addressSpace")).orElse("");
    for (Prefix local : prefixes(g.addressSpace())) {
      for (Prefix remote : prefixes(remoteSpace)) {
        if (local.overlaps(remote)) {
          out.add(finding(CONN, c, remoteField, Reasons.ADDRESS_SPACE_OVERLAP,
              remoteDesc + " prefix " + remote + " overlaps " + local + " in the addressSpace of VirtualNetworkGateway "
                  + gwName));
        }
      }
    }
    checkTrafficSelectors(c, s, g, remoteSpace, out);
    if (s.connectionType() == ConnectionType.Vnet2Vnet) {
      gw2.ifPresent(other -> checkReverseConnection(t, c, ns, gwName, nameOf(other), out));
    }
  }

  private static Optional<VirtualNetworkGateway> resolveGateway(Topology t, Connection c, GatewayReference ref,
      String field, List<Finding> out) {
    if (ref == null || ref.name() == null) {
      out.add(finding(CONN, c, field, Reasons.REFERENCE_MISSING, field + " is required for connectionType "
          + c.getSpec().connectionType()));
      return Optional.empty();
    }
    var found = t.virtualNetworkGateway(namespaceOf(c), ref.name());
    if (found.isEmpty()) {
      out.add(finding(CONN, c, field + ".name", Reasons.VIRTUAL_NETWORK_GATEWAY_NOT_FOUND,
          field + ".name: VirtualNetworkGateway " + ref.name() + " not found in namespace " + namespaceOf(c)));
    }
    return found.filter(g -> g.getSpec() != null);
  }

  private static Optional<LocalNetworkGateway> resolveSite(Topology t, Connection c, GatewayReference ref,
      List<Finding> out) {
    if (ref == null || ref.name() == null) {
      out.add(finding(CONN, c, "spec.localNetworkGateway2", Reasons.REFERENCE_MISSING,
          "spec.localNetworkGateway2 is required for connectionType IPsec"));
      return Optional.empty();
    }
    var found = t.localNetworkGateway(namespaceOf(c), ref.name());
    if (found.isEmpty()) {
      out.add(finding(CONN, c, "spec.localNetworkGateway2.name", Reasons.LOCAL_NETWORK_GATEWAY_NOT_FOUND,
          "spec.localNetworkGateway2.name: LocalNetworkGateway " + ref.name() + " not found in namespace "
              + namespaceOf(c)));
    }
    return found.filter(l -> l.getSpec() != null);
  }

  private static void checkSharedKey(Topology t, Connection c, List<Finding> out) {
    SecretKeySelector ref = c.getSpec().sharedKey() == null ? null : c.getSpec().sharedKey().secretKeyRef();
    if (ref == null || ref.name() == null || ref.key() == null) {
      out.add(finding(CONN, c, "spec.sharedKey.secretKeyRef", Reasons.REFERENCE_MISSING,
          "spec.sharedKey.secretKeyRef (name and key of a Secret) is required"));
      return;
    }
    var secret = t.secret(namespaceOf(c), ref.name());
    if (secret.isEmpty()) {
      out.add(finding(CONN, c, "spec.sharedKey.secretKeyRef.name", Reasons.SECRET_NOT_FOUND,
          "spec.sharedKey.secretKeyRef.name: Secret " + ref.name() + " not found in namespace " + namespaceOf(c)));
      return;
    }
    var value = Topology.secretValue(secret.get(), ref.key());
    if (value.isEmpty()) {
      out.add(finding(CONN, c, "spec.sharedKey.secretKeyRef.key", Reasons.SECRET_KEY_NOT_FOUND,
          "spec.sharedKey.secretKeyRef.key: Secret " + ref.name() + " has no key " + ref.key()
              + " in data or stringData (or its data is not base64)"));
      return;
    }
    String problem = sharedKeyProblem(value.get());
    if (problem != null) {
      out.add(finding(CONN, c, "spec.sharedKey.secretKeyRef.key", Reasons.SHARED_KEY_INVALID,
          "spec.sharedKey.secretKeyRef.key: the value of key " + ref.key() + " in Secret " + ref.name() + " " + problem));
    }
  }

  /** Why a pre-shared key is unusable, or null. Never includes the key itself. */
  static String sharedKeyProblem(byte[] key) {
    if (key.length == 0) {
      return "is empty";
    }
    if (key.length > MAX_SHARED_KEY_LENGTH) {
      return "is longer than " + MAX_SHARED_KEY_LENGTH + " characters";
    }
    for (byte b : key) {
      if (b < 0x21 || b > 0x7e) {
        return "must be printable ASCII without spaces or line breaks";
      }
    }
    return null;
  }

  private static void checkFeaturesAgainstGateway(Connection c, ConnectionSpec s, VirtualNetworkGatewaySpec g,
      String gwName, List<Finding> out) {
    String on = " on VirtualNetworkGateway " + gwName + " (sku " + g.sku() + ", vpnType " + g.vpnType() + ")";
    if (g.sku() == GatewaySku.Basic && s.customPolicy().isPresent()) {
      out.add(finding(CONN, c, "spec.ipsecPolicies", Reasons.CUSTOM_POLICY_NOT_SUPPORTED,
          "spec.ipsecPolicies: a custom IPsec/IKE policy is not supported" + on));
    }
    if (g.vpnType() == VpnType.PolicyBased) {
      if (s.connectionType() == ConnectionType.Vnet2Vnet) {
        out.add(finding(CONN, c, "spec.connectionType", Reasons.CONNECTION_TYPE_NOT_SUPPORTED,
            "spec.connectionType: Vnet2Vnet needs RouteBased gateways" + on));
      }
      if (s.connectionProtocol() != ConnectionProtocol.IKEv1) {
        out.add(finding(CONN, c, "spec.connectionProtocol", Reasons.CONNECTION_PROTOCOL_NOT_SUPPORTED,
            "spec.connectionProtocol: a PolicyBased gateway speaks IKEv1 only" + on));
      }
      if (s.enableBgp()) {
        out.add(finding(CONN, c, "spec.enableBgp", Reasons.BGP_NOT_SUPPORTED,
            "spec.enableBgp: BGP is not supported" + on));
      }
      if (s.connectionMode() != ConnectionMode.Default) {
        out.add(finding(CONN, c, "spec.connectionMode", Reasons.CONNECTION_MODE_NOT_SUPPORTED,
            "spec.connectionMode: " + s.connectionMode() + " needs a RouteBased gateway" + on));
      }
    } else if (g.sku() == GatewaySku.Basic && s.connectionProtocol() == ConnectionProtocol.IKEv1) {
      out.add(finding(CONN, c, "spec.connectionProtocol", Reasons.CONNECTION_PROTOCOL_NOT_SUPPORTED,
          "spec.connectionProtocol: a RouteBased Basic gateway speaks IKEv2 only" + on));
    }
    if (s.enableBgp() && !g.enableBgp() && g.vpnType() != VpnType.PolicyBased) {
      out.add(finding(CONN, c, "spec.enableBgp", Reasons.BGP_NOT_ENABLED_ON_GATEWAY,
          "spec.enableBgp: VirtualNetworkGateway " + gwName + " does not have enableBgp: true"));
    }
  }

  private static void checkCustomBgpIpAddresses(Connection c, ConnectionSpec s, VirtualNetworkGatewaySpec g,
      String gwName, List<Finding> out) {
    List<GatewayCustomBgpIpAddress> entries = s.gatewayCustomBgpIpAddresses();
    for (int i = 0; i < entries.size(); i++) {
      var e = entries.get(i);
      String field = "spec.gatewayCustomBgpIpAddresses[" + i + "]";
      if (e.instance() == null || e.instance() >= g.activeInstanceCount()) {
        out.add(finding(CONN, c, field + ".instance", Reasons.INSTANCE_NOT_FOUND,
            field + ".instance: VirtualNetworkGateway " + gwName + " has no active instance " + e.instance()
                + (g.activeActive() ? "" : " (instance 1 needs activeActive: true)")));
        continue;
      }
      if (!customAddresses(g, e.instance()).contains(e.customBgpIpAddress())) {
        out.add(finding(CONN, c, field + ".customBgpIpAddress", Reasons.CUSTOM_BGP_IP_ADDRESS_NOT_FOUND,
            field + ".customBgpIpAddress: " + e.customBgpIpAddress() + " is not among the customBgpIpAddresses of instance "
                + e.instance() + " in VirtualNetworkGateway " + gwName + " spec.bgpSettings.bgpPeeringAddresses"));
      }
    }
  }

  private static List<String> customAddresses(VirtualNetworkGatewaySpec g, int instance) {
    return g.effectiveBgpSettings().bgpPeeringAddresses().stream()
        .filter(p -> p.instance() != null && p.instance() == instance)
        .flatMap(p -> p.customBgpIpAddresses().stream())
        .toList();
  }

  private static void checkBgpToSite(Connection c, VirtualNetworkGatewaySpec g, String gwName, LocalNetworkGateway site,
      List<Finding> out) {
    LocalNetworkGatewayBgpSettings peer = site.getSpec().bgpSettings();
    if (peer == null) {
      out.add(finding(CONN, c, "spec.enableBgp", Reasons.BGP_SETTINGS_MISSING,
          "spec.enableBgp: LocalNetworkGateway " + nameOf(site) + " has no spec.bgpSettings (asn, bgpPeeringAddress)"));
      return;
    }
    long gwAsn = g.effectiveBgpSettings().asn();
    if (peer.asn() != null && peer.asn() == gwAsn) {
      out.add(finding(CONN, c, "spec.enableBgp", Reasons.ASN_CONFLICT,
          "spec.enableBgp: LocalNetworkGateway " + nameOf(site) + " spec.bgpSettings.asn " + peer.asn()
              + " equals the asn of VirtualNetworkGateway " + gwName + "; on-premises and gateway ASNs must differ"));
    }
    if (peer.apipaPeer()) {
      for (int instance = 0; instance < g.activeInstanceCount(); instance++) {
        List<String> own = customAddresses(g, instance);
        if (own.isEmpty()) {
          out.add(finding(CONN, c, "spec.enableBgp", Reasons.APIPA_ADDRESS_REQUIRED,
              "spec.enableBgp: LocalNetworkGateway " + nameOf(site) + " peers from APIPA address "
                  + peer.bgpPeeringAddress() + ", so VirtualNetworkGateway " + gwName
                  + " needs customBgpIpAddresses for instance " + instance + " in spec.bgpSettings.bgpPeeringAddresses"));
        } else if (own.contains(peer.bgpPeeringAddress())) {
          out.add(finding(CONN, c, "spec.enableBgp", Reasons.BGP_PEERING_ADDRESS_CONFLICT,
              "spec.enableBgp: LocalNetworkGateway " + nameOf(site) + " bgpPeeringAddress " + peer.bgpPeeringAddress()
                  + " is also a customBgpIpAddress of VirtualNetworkGateway " + gwName + " instance " + instance));
        }
      }
    }
  }

  private static void checkBgpToGateway(Connection c, VirtualNetworkGatewaySpec g, String gwName,
      VirtualNetworkGateway other, List<Finding> out) {
    var o = other.getSpec();
    if (!o.enableBgp()) {
      out.add(finding(CONN, c, "spec.enableBgp", Reasons.BGP_NOT_ENABLED_ON_GATEWAY,
          "spec.enableBgp: VirtualNetworkGateway " + nameOf(other) + " (virtualNetworkGateway2) does not have enableBgp: true"));
    } else if (Objects.equals(o.effectiveBgpSettings().asn(), g.effectiveBgpSettings().asn())) {
      out.add(finding(CONN, c, "spec.enableBgp", Reasons.ASN_CONFLICT,
          "spec.enableBgp: VirtualNetworkGateways " + gwName + " and " + nameOf(other) + " share asn "
              + g.effectiveBgpSettings().asn() + "; BGP between them needs different ASNs"));
    }
  }

  private static void checkTrafficSelectors(Connection c, ConnectionSpec s, VirtualNetworkGatewaySpec g,
      List<String> remoteSpace, List<Finding> out) {
    List<Prefix> local = prefixes(g.addressSpace());
    List<Prefix> remote = prefixes(remoteSpace);
    List<TrafficSelectorPolicy> policies = s.trafficSelectorPolicies();
    for (int i = 0; i < policies.size(); i++) {
      checkRanges(c, "spec.trafficSelectorPolicies[" + i + "].localAddressRanges", policies.get(i).localAddressRanges(),
          local, "the gateway's addressSpace", out);
      if (!remote.isEmpty()) {
        checkRanges(c, "spec.trafficSelectorPolicies[" + i + "].remoteAddressRanges",
            policies.get(i).remoteAddressRanges(), remote, "the remote address space", out);
      }
    }
  }

  private static void checkRanges(Connection c, String field, List<String> ranges, List<Prefix> space, String spaceDesc,
      List<Finding> out) {
    for (int j = 0; j < ranges.size(); j++) {
      String f = field + "[" + j + "]";
      switch (Prefix.parse(ranges.get(j))) {
        case Prefix.Bad bad -> out.add(finding(CONN, c, f, Reasons.INVALID_PREFIX, f + ": " + bad.problem()));
        case Prefix.Ok ok -> {
          if (space.stream().noneMatch(p -> p.contains(ok.prefix()))) {
            out.add(finding(CONN, c, f, Reasons.TRAFFIC_SELECTOR_OUTSIDE_ADDRESS_SPACE,
                f + ": " + ok.prefix() + " is not inside " + spaceDesc + " " + space));
          }
        }
      }
    }
  }

  private static void checkReverseConnection(Topology t, Connection c, String ns, String gwName, String otherName,
      List<Finding> out) {
    var reverse = t.connections().stream()
        .filter(r -> r != c && ns.equals(namespaceOf(r)) && r.getSpec() != null
            && r.getSpec().connectionType() == ConnectionType.Vnet2Vnet
            && r.getSpec().virtualNetworkGateway1() != null && otherName.equals(r.getSpec().virtualNetworkGateway1().name())
            && r.getSpec().virtualNetworkGateway2() != null && gwName.equals(r.getSpec().virtualNetworkGateway2().name()))
        .findFirst();
    if (reverse.isEmpty()) {
      return;
    }
    var r = reverse.get().getSpec();
    if (!c.getSpec().ipsecPolicies().equals(r.ipsecPolicies())) {
      out.add(finding(CONN, c, "spec.ipsecPolicies", Reasons.IPSEC_POLICY_MISMATCH,
          "spec.ipsecPolicies: differs from Connection " + nameOf(reverse.get())
              + " (the other direction); both Vnet2Vnet connections need the same policy"));
    }
    var mine = sharedKey(t, c);
    var theirs = sharedKey(t, reverse.get());
    if (mine.isPresent() && theirs.isPresent() && !Arrays.equals(mine.get(), theirs.get())) {
      out.add(finding(CONN, c, "spec.sharedKey", Reasons.SHARED_KEY_MISMATCH,
          "spec.sharedKey: the key differs from Connection " + nameOf(reverse.get()) + "'s (the other direction)"));
    }
  }

  private static Optional<byte[]> sharedKey(Topology t, Connection c) {
    var sk = c.getSpec().sharedKey();
    if (sk == null || sk.secretKeyRef() == null) {
      return Optional.empty();
    }
    return t.secretValue(namespaceOf(c), sk.secretKeyRef().name(), sk.secretKeyRef().key());
  }

  // ---------------------------------------------------------------- all connections of a gateway

  private static void checkConnectionsOfGateway(Topology t, VirtualNetworkGateway gw, List<Finding> out) {
    var g = gw.getSpec();
    // Oldest first; without timestamps (manifest files) the order of the files wins (stable sort).
    List<Connection> conns = t.connectionsOf(gw).stream()
        .sorted(Comparator.comparing(TopologyValidator::createdAt)
            .thenComparing((a, b) -> createdAt(a).isEmpty() ? 0 : Objects.toString(nameOf(a), "").compareTo(
                Objects.toString(nameOf(b), ""))))
        .toList();
    int limit = g.vpnType() == VpnType.PolicyBased ? 1 : g.sku().maxSiteToSiteTunnels();
    if (conns.size() > limit) {
      String why = g.vpnType() == VpnType.PolicyBased ? "a PolicyBased gateway allows 1 connection"
          : "sku " + g.sku() + " allows " + limit + " site-to-site/VNet-to-VNet connections";
      out.add(finding(VNG, gw, "spec.sku", Reasons.SKU_LIMIT_EXCEEDED,
          "spec.sku: " + conns.size() + " Connections use this gateway but " + why));
      for (Connection extra : conns.subList(limit, conns.size())) {
        out.add(finding(CONN, extra, "spec.virtualNetworkGateway1.name", Reasons.SKU_LIMIT_EXCEEDED,
            "spec.virtualNetworkGateway1.name: VirtualNetworkGateway " + nameOf(gw) + " already has " + limit
                + " connections; " + why));
      }
    }
    // Pairwise: the same remote twice, and overlapping remote address spaces.
    for (int i = 0; i < conns.size(); i++) {
      for (int j = 0; j < i; j++) {
        checkSiblings(t, conns.get(j), conns.get(i), nameOf(gw), out);
      }
    }
  }

  /** The other end of a connection: its kind/name, address space, device address and BGP peer address. */
  private record Remote(String kind, String name, List<String> space, String endpoint, String bgpPeer) {}

  private static Optional<Remote> remoteOf(Topology t, Connection c) {
    var s = c.getSpec();
    String ns = namespaceOf(c);
    if (s.connectionType() == ConnectionType.Vnet2Vnet) {
      return Optional.ofNullable(s.virtualNetworkGateway2()).flatMap(r -> t.virtualNetworkGateway(ns, r.name()))
          .filter(v -> v.getSpec() != null)
          .map(v -> new Remote(VNG, nameOf(v), v.getSpec().addressSpace(), null, null));
    }
    return Optional.ofNullable(s.localNetworkGateway2()).flatMap(r -> t.localNetworkGateway(ns, r.name()))
        .filter(l -> l.getSpec() != null)
        .map(l -> new Remote(LNG, nameOf(l), l.getSpec().localNetworkAddressSpace(),
            l.getSpec().gatewayIpAddress() != null ? l.getSpec().gatewayIpAddress() : l.getSpec().fqdn(),
            l.getSpec().bgpSettings() == null ? null : l.getSpec().bgpSettings().bgpPeeringAddress()));
  }

  private static void checkSiblings(Topology t, Connection earlier, Connection later, String gwName, List<Finding> out) {
    var a = remoteOf(t, earlier);
    var b = remoteOf(t, later);
    if (a.isEmpty() || b.isEmpty()) {
      return;
    }
    String field = later.getSpec().connectionType() == ConnectionType.Vnet2Vnet
        ? "spec.virtualNetworkGateway2.name" : "spec.localNetworkGateway2.name";
    if (a.get().kind().equals(b.get().kind()) && a.get().name().equals(b.get().name())) {
      out.add(finding(CONN, later, field, Reasons.DUPLICATE_CONNECTION,
          field + ": Connection " + nameOf(earlier) + " already connects VirtualNetworkGateway " + gwName + " to "
              + b.get().kind() + " " + b.get().name()));
      return;
    }
    // Azure: several devices of one site need one LocalNetworkGateway each, with distinct device
    // and BGP peer addresses; the gateway tells the tunnels (and BGP sessions) apart by them.
    if (b.get().endpoint() != null && b.get().endpoint().equalsIgnoreCase(Objects.toString(a.get().endpoint(), ""))) {
      out.add(finding(CONN, later, field, Reasons.PEER_ADDRESS_CONFLICT,
          field + ": LocalNetworkGateway " + b.get().name() + " has the same device address " + b.get().endpoint()
              + " as LocalNetworkGateway " + a.get().name() + ", already connected to VirtualNetworkGateway " + gwName
              + " by Connection " + nameOf(earlier)));
    }
    if (later.getSpec().enableBgp() && earlier.getSpec().enableBgp() && b.get().bgpPeer() != null
        && b.get().bgpPeer().equals(a.get().bgpPeer())) {
      out.add(finding(CONN, later, field, Reasons.BGP_PEERING_ADDRESS_CONFLICT,
          field + ": LocalNetworkGateway " + b.get().name() + " has the same bgpPeeringAddress " + b.get().bgpPeer()
              + " as LocalNetworkGateway " + a.get().name() + " (Connection " + nameOf(earlier)
              + "); BGP peers of one gateway need distinct addresses"));
    }
    for (Prefix x : prefixes(b.get().space())) {
      for (Prefix y : prefixes(a.get().space())) {
        if (x.overlaps(y)) {
          out.add(finding(CONN, later, field, Reasons.ADDRESS_SPACE_OVERLAP,
              field + ": prefix " + x + " of " + b.get().kind() + " " + b.get().name() + " overlaps " + y + " of "
                  + a.get().kind() + " " + a.get().name() + ", already connected to VirtualNetworkGateway " + gwName
                  + " by Connection " + nameOf(earlier)));
        }
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static List<Prefix> prefixes(List<String> texts) {
    return texts.stream().map(Prefix::tryParse).flatMap(Optional::stream).toList();
  }

  private static String createdAt(HasMetadata r) {
    // RFC 3339 UTC timestamps sort as strings; resources not yet created (files) sort first.
    String ts = r.getMetadata() == null ? null : r.getMetadata().getCreationTimestamp();
    return ts == null ? "" : ts;
  }

  private static <T extends HasMetadata> List<T> sorted(List<T> list) {
    return list.stream()
        .sorted(Comparator.comparing(Topology::namespaceOf).thenComparing(r -> Objects.toString(nameOf(r), "")))
        .toList();
  }

  private static Finding finding(String kind, HasMetadata r, String field, String reason, String message) {
    return new Finding(kind, namespaceOf(r), Objects.toString(nameOf(r), ""), field, reason, message);
  }
}
