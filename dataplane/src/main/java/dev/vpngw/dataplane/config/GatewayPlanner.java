package dev.vpngw.dataplane.config;

import static dev.vpngw.crds.validation.Topology.nameOf;
import static dev.vpngw.crds.validation.Topology.namespaceOf;

import dev.vpngw.crds.ManifestSet;
import dev.vpngw.crds.v1alpha1.Connection;
import dev.vpngw.crds.v1alpha1.ConnectionSpec;
import dev.vpngw.crds.v1alpha1.ConnectionType;
import dev.vpngw.crds.v1alpha1.GatewayCustomBgpIpAddress;
import dev.vpngw.crds.v1alpha1.IpsecPolicy;
import dev.vpngw.crds.v1alpha1.LocalNetworkGateway;
import dev.vpngw.crds.v1alpha1.LocalNetworkGatewayBgpSettings;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGatewaySpec;
import dev.vpngw.crds.v1alpha1.VpnType;
import dev.vpngw.crds.validation.Finding;
import dev.vpngw.crds.validation.Reasons;
import dev.vpngw.crds.validation.Topology;
import dev.vpngw.crds.validation.TopologyValidator;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Manifests → the plan of one gateway instance. A pure function: no I/O, no DNS, no clock.
 *
 * <p>Problems of the gateway itself (not found, invalid addressSpace, features its SKU lacks, no
 * local address) refuse the whole plan with a {@link GatewayPlanException} naming resource and
 * field. A problem of one connection (missing LocalNetworkGateway or Secret key, overlapping
 * prefixes, over the SKU limit …) excludes that connection with the validator's reason; the
 * others are planned.
 *
 * <p>Choices where Azure has no direct equivalent:
 * <ul>
 *   <li>Default BGP address: Azure takes it from the GatewaySubnet, which does not exist here. An
 *       instance's default BGP address is the last host address of the first addressSpace prefix
 *       minus the instance index (198.18.0.0/16 → instance 0 198.18.255.254, instance 1
 *       198.18.255.253): inside the gateway's own space, so peers reach it through the tunnel as
 *       they reach Azure's. Prefixes smaller than /29 (Azure's minimum GatewaySubnet) have none.</li>
 *   <li>Vnet2Vnet to an active-active gateway: one tunnel per remote instance ("full mesh", as Azure
 *       builds between two active-active gateways), named {@code <connection>/<i>-<r>}.</li>
 *   <li>Instance 1 of an active-standby gateway gets a {@link LocalGatewayPlan.Role#Standby} plan
 *       that mirrors instance 0 (same addresses, which follow the active instance in Azure).</li>
 *   <li>With BGP the /32 of the BGP neighbor is always routed into its tunnel (Azure adds it), next
 *       to the remote address space.</li>
 * </ul>
 */
public final class GatewayPlanner {
  private GatewayPlanner() {}

  /** Largest prefix length that still holds a default BGP address (Azure's minimum GatewaySubnet). */
  static final int MAX_PREFIX_FOR_DEFAULT_BGP = 29;

  private static final String VNG = VirtualNetworkGateway.KIND;
  private static final String LNG = LocalNetworkGateway.KIND;
  private static final String CONN = Connection.KIND;

  /**
   * What to plan.
   *
   * @param gateway      "name" or "namespace/name"; null when the manifests hold one gateway
   * @param instance     0 or 1
   * @param localAddress overrides the address IKE/ESP bind to (e.g. the pod IP behind a load balancer); null for none
   */
  public record Request(String gateway, int instance, String localAddress) {}

  public static GatewayPlan plan(ManifestSet manifests, String gateway, int instance) throws GatewayPlanException {
    return plan(manifests.topology(), new Request(gateway, instance, null));
  }

  public static GatewayPlan plan(ManifestSet manifests, Request request) throws GatewayPlanException {
    return plan(manifests.topology(), request);
  }

  public static GatewayPlan plan(Topology topology, Request request) throws GatewayPlanException {
    VirtualNetworkGateway gw = selectGateway(topology, request.gateway());
    VirtualNetworkGatewaySpec g = gw.getSpec();
    List<Finding> findings = new TopologyValidator().validate(topology);
    var fatal = new ArrayList<Finding>(findings.stream()
        .filter(f -> concerns(f, VNG, gw) && !f.reason().equals(Reasons.SKU_LIMIT_EXCEEDED))
        .toList());
    int instance = request.instance();
    if (instance < 0 || instance > 1) {
      fatal.add(finding(VNG, gw, "--instance", Reasons.INSTANCE_NOT_FOUND,
          "--instance: " + instance + " is not a gateway instance (0 or 1)"));
      throw new GatewayPlanException(fatal);
    }
    boolean standby = instance >= g.activeInstanceCount();
    int addressing = standby ? 0 : instance;
    String publicAddress = addressing < g.instances().size() ? g.instances().get(addressing).publicIpAddress() : null;
    String bind = request.localAddress() != null ? request.localAddress() : publicAddress;
    if (request.localAddress() != null && !isIpv4(request.localAddress())) {
      fatal.add(finding(VNG, gw, "--local-address", "InvalidLocalAddress",
          "--local-address: '" + request.localAddress() + "' is not an IPv4 address"));
    } else if (bind == null) {
      fatal.add(finding(VNG, gw, "spec.instances[" + addressing + "].publicIpAddress", "LocalAddressMissing",
          "spec.instances[" + addressing + "].publicIpAddress: instance " + addressing
              + " has no public address to use as the local IKE endpoint; set it or pass --local-address"));
    }
    if (!fatal.isEmpty()) {
      throw new GatewayPlanException(fatal);
    }
    var bgp = g.effectiveBgpSettings();
    var local = new LocalGatewayPlan(namespaceOf(gw), nameOf(gw), instance,
        standby ? LocalGatewayPlan.Role.Standby : LocalGatewayPlan.Role.Active, g.sku().name(), g.vpnType().name(),
        g.activeActive(), g.enableBgp(), publicAddress, bind, bgp.asn(), defaultBgpAddress(g, addressing),
        customBgpAddresses(g, addressing), g.addressSpace());

    var planned = new ArrayList<ConnectionPlan>();
    var excluded = new ArrayList<ExcludedConnection>();
    List<Connection> conns = topology.connectionsOf(gw).stream()
        .sorted(Comparator.comparing(Topology::nameOf)).toList();
    for (Connection c : conns) {
      var built = new ConnectionBuilder(topology, findings, gw, local, addressing, c).build();
      switch (built) {
        case Built.Planned p -> planned.add(p.plan());
        case Built.Excluded x -> excluded.add(x.excluded());
      }
    }
    return new GatewayPlan(local, planned, excluded);
  }

  private static VirtualNetworkGateway selectGateway(Topology t, String wanted) throws GatewayPlanException {
    List<VirtualNetworkGateway> all = t.virtualNetworkGateways();
    String names = all.stream().map(v -> namespaceOf(v) + "/" + nameOf(v)).sorted().collect(Collectors.joining(", "));
    Optional<VirtualNetworkGateway> found;
    if (wanted == null || wanted.isBlank()) {
      if (all.size() != 1) {
        throw new GatewayPlanException(List.of(new Finding(VNG, Topology.DEFAULT_NAMESPACE, "", "--gateway",
            Reasons.VIRTUAL_NETWORK_GATEWAY_NOT_FOUND, all.isEmpty()
                ? "--gateway: the manifests define no VirtualNetworkGateway"
                : "--gateway: the manifests define " + all.size() + " VirtualNetworkGateways (" + names
                    + "); name the one this instance runs")));
      }
      found = Optional.of(all.getFirst());
    } else {
      int slash = wanted.indexOf('/');
      String ns = slash < 0 ? null : wanted.substring(0, slash);
      String name = slash < 0 ? wanted : wanted.substring(slash + 1);
      List<VirtualNetworkGateway> matches = all.stream()
          .filter(v -> name.equals(nameOf(v)) && (ns == null || ns.equals(namespaceOf(v)))).toList();
      if (matches.size() > 1) {
        throw new GatewayPlanException(List.of(new Finding(VNG, namespaceOf(matches.getFirst()), name, "--gateway",
            Reasons.VIRTUAL_NETWORK_GATEWAY_NOT_FOUND,
            "--gateway: VirtualNetworkGateway " + name + " exists in several namespaces; use namespace/name")));
      }
      found = matches.stream().findFirst();
      if (found.isEmpty()) {
        throw new GatewayPlanException(List.of(new Finding(VNG, ns == null ? Topology.DEFAULT_NAMESPACE : ns, name,
            "--gateway", Reasons.VIRTUAL_NETWORK_GATEWAY_NOT_FOUND, "--gateway: VirtualNetworkGateway " + wanted
                + " not found in the manifests" + (all.isEmpty() ? " (they define none)" : " (they define " + names + ")"))));
      }
    }
    VirtualNetworkGateway gw = found.get();
    if (gw.getSpec() == null) {
      throw new GatewayPlanException(List.of(finding(VNG, gw, "spec", Reasons.REFERENCE_MISSING,
          "spec: VirtualNetworkGateway " + nameOf(gw) + " has no spec")));
    }
    return gw;
  }

  // ---------------------------------------------------------------- one connection

  private sealed interface Built {
    record Planned(ConnectionPlan plan) implements Built {}

    record Excluded(ExcludedConnection excluded) implements Built {}
  }

  /** Plans one Connection or says why it cannot run. */
  private static final class ConnectionBuilder {
    final Topology t;
    final List<Finding> findings;
    final VirtualNetworkGateway gw;
    final LocalGatewayPlan local;
    final int addressing;
    final Connection c;
    final ConnectionSpec s;
    final String name;

    ConnectionBuilder(Topology t, List<Finding> findings, VirtualNetworkGateway gw, LocalGatewayPlan local,
        int addressing, Connection c) {
      this.t = t;
      this.findings = findings;
      this.gw = gw;
      this.local = local;
      this.addressing = addressing;
      this.c = c;
      this.s = c.getSpec();
      this.name = nameOf(c);
    }

    Built build() {
      Optional<Finding> own = findings.stream().filter(f -> concerns(f, CONN, c)).findFirst();
      if (own.isPresent()) {
        return excluded(own.get().reason(), own.get().fieldPath(), own.get().message());
      }
      String ns = namespaceOf(c);
      byte[] key = s.sharedKey() == null || s.sharedKey().secretKeyRef() == null ? null
          : t.secretValue(ns, s.sharedKey().secretKeyRef().name(), s.sharedKey().secretKeyRef().key()).orElse(null);
      if (key == null || key.length == 0) {
        return excluded(Reasons.SECRET_KEY_NOT_FOUND, "spec.sharedKey.secretKeyRef", "spec.sharedKey.secretKeyRef: no key");
      }
      Psk psk = new Psk(key);
      java.util.Arrays.fill(key, (byte) 0);
      return switch (s.connectionType()) {
        case IPsec -> toSite(psk);
        case Vnet2Vnet -> toGateway(psk);
      };
    }

    private Built toSite(Psk psk) {
      String ref = s.localNetworkGateway2().name();
      LocalNetworkGateway site = t.localNetworkGateway(namespaceOf(c), ref).orElse(null);
      if (site == null || site.getSpec() == null) {
        return excluded(Reasons.LOCAL_NETWORK_GATEWAY_NOT_FOUND, "spec.localNetworkGateway2.name",
            "spec.localNetworkGateway2.name: LocalNetworkGateway " + ref + " not found");
      }
      Optional<Finding> siteProblem = findings.stream().filter(f -> concerns(f, LNG, site)).findFirst();
      if (siteProblem.isPresent()) {
        Finding f = siteProblem.get();
        return excluded(f.reason(), "spec.localNetworkGateway2.name",
            "spec.localNetworkGateway2.name: LocalNetworkGateway " + ref + " " + f.fieldPath() + ": " + f.message());
      }
      var spec = site.getSpec();
      List<String> remoteSpace = spec.localNetworkAddressSpace();
      PeerEndpoint peer = spec.gatewayIpAddress() != null ? new PeerEndpoint.Address(spec.gatewayIpAddress())
          : new PeerEndpoint.Host(spec.fqdn());
      IkeId remoteId = spec.gatewayIpAddress() != null ? IkeId.ipv4(spec.gatewayIpAddress()) : IkeId.any();
      BgpNeighborPlan neighbor = null;
      if (s.enableBgp()) {
        LocalNetworkGatewayBgpSettings b = spec.bgpSettings();
        if (b == null) {
          return excluded(Reasons.BGP_SETTINGS_MISSING, "spec.enableBgp",
              "spec.enableBgp: LocalNetworkGateway " + ref + " has no spec.bgpSettings");
        }
        String localBgp = localBgpAddress(b.apipaPeer());
        if (localBgp == null) {
          return noBgpAddress();
        }
        neighbor = new BgpNeighborPlan(localBgp, b.bgpPeeringAddress(), b.asn(),
            b.peerWeight() == null ? 0 : b.peerWeight(), b.apipaPeer());
      }
      var tunnel = new TunnelPlan(name + "/" + local.instance(), null, peer, local.identity(), remoteId,
          routes(remoteSpace, neighbor), neighbor);
      return planned("LocalNetworkGateway/" + ref, psk, remoteSpace, List.of(tunnel));
    }

    private Built toGateway(Psk psk) {
      String ref = s.virtualNetworkGateway2().name();
      VirtualNetworkGateway other = t.virtualNetworkGateway(namespaceOf(c), ref).orElse(null);
      if (other == null || other.getSpec() == null) {
        return excluded(Reasons.VIRTUAL_NETWORK_GATEWAY_NOT_FOUND, "spec.virtualNetworkGateway2.name",
            "spec.virtualNetworkGateway2.name: VirtualNetworkGateway " + ref + " not found");
      }
      Optional<Finding> otherProblem = findings.stream()
          .filter(f -> concerns(f, VNG, other) && !f.reason().equals(Reasons.SKU_LIMIT_EXCEEDED)).findFirst();
      if (otherProblem.isPresent()) {
        Finding f = otherProblem.get();
        return excluded(f.reason(), "spec.virtualNetworkGateway2.name",
            "spec.virtualNetworkGateway2.name: VirtualNetworkGateway " + ref + " " + f.fieldPath() + ": " + f.message());
      }
      VirtualNetworkGatewaySpec o = other.getSpec();
      var tunnels = new ArrayList<TunnelPlan>();
      for (int r = 0; r < o.activeInstanceCount(); r++) {
        String address = r < o.instances().size() ? o.instances().get(r).publicIpAddress() : null;
        if (address == null) {
          return excluded("RemoteAddressMissing", "spec.virtualNetworkGateway2.name",
              "spec.virtualNetworkGateway2.name: VirtualNetworkGateway " + ref + " spec.instances[" + r
                  + "].publicIpAddress is not set, so its instance " + r + " cannot be reached");
        }
        BgpNeighborPlan neighbor = null;
        if (s.enableBgp()) {
          String localBgp = localBgpAddress(false);
          String remoteBgp = defaultBgpAddress(o, r);
          if (localBgp == null || remoteBgp == null) {
            return noBgpAddress();
          }
          neighbor = new BgpNeighborPlan(localBgp, remoteBgp, o.effectiveBgpSettings().asn(), 0, false);
        }
        String tunnelName = name + "/" + local.instance() + (o.activeActive() ? "-" + r : "");
        tunnels.add(new TunnelPlan(tunnelName, r, new PeerEndpoint.Address(address), local.identity(),
            IkeId.ipv4(address), routes(o.addressSpace(), neighbor), neighbor));
      }
      return planned("VirtualNetworkGateway/" + ref, psk, o.addressSpace(), tunnels);
    }

    private Built planned(String remote, Psk psk, List<String> remoteSpace, List<TunnelPlan> tunnels) {
      Optional<IpsecPolicy> policy = s.customPolicy();
      boolean policyBased = VpnType.PolicyBased.name().equals(local.vpnType());
      Proposals proposals = policy.<Proposals>map(p -> new Proposals.Custom(p.ikeEncryption().name(),
              p.ikeIntegrity().name(), p.dhGroup().name(), p.ipsecEncryption().name(), p.ipsecIntegrity().name(),
              p.pfsGroup().name()))
          .orElse(new Proposals.AzureDefaults(local.vpnType()));
      Lifetimes lifetimes = policy.map(p -> new Lifetimes(Lifetimes.IKE_SECONDS, p.saLifeTimeSeconds(),
              p.saDataSizeKilobytes()))
          .orElse(new Lifetimes(Lifetimes.IKE_SECONDS,
              policyBased ? Lifetimes.POLICY_BASED_CHILD_SECONDS : Lifetimes.ROUTE_BASED_CHILD_SECONDS,
              Lifetimes.CHILD_KILOBYTES));
      TrafficSelectors selectors = selectors(remoteSpace, policyBased);
      if (selectors.pairs().isEmpty()) {
        return excluded("TrafficSelectorsEmpty", "spec.usePolicyBasedTrafficSelectors",
            "spec.usePolicyBasedTrafficSelectors: prefix-pair selectors need prefixes on both sides, but the remote "
                + remote + " has no address space");
      }
      List<PlanWarning> warnings = policy.flatMap(WeakPolicyCheck::check).stream().toList();
      return new Built.Planned(new ConnectionPlan(name, s.connectionType().name(), remote,
          s.connectionProtocol().name(), psk, proposals, lifetimes, s.dpdTimeoutSeconds(), s.connectionMode().name(),
          selectors, remoteSpace, s.enableBgp(), tunnels, warnings));
    }

    private TrafficSelectors selectors(List<String> remoteSpace, boolean policyBasedGateway) {
      if (!s.trafficSelectorPolicies().isEmpty()) {
        return new TrafficSelectors(TrafficSelectors.Mode.Custom, s.trafficSelectorPolicies().stream()
            .map(p -> new TrafficSelectors.Pair(p.localAddressRanges(), p.remoteAddressRanges())).toList());
      }
      if (s.usePolicyBasedTrafficSelectors() || policyBasedGateway) {
        var pairs = new ArrayList<TrafficSelectors.Pair>();
        for (String l : local.addressSpace()) {
          for (String r : remoteSpace) {
            pairs.add(new TrafficSelectors.Pair(List.of(l), List.of(r)));
          }
        }
        return new TrafficSelectors(TrafficSelectors.Mode.PrefixPairs, pairs);
      }
      return TrafficSelectors.routeBased();
    }

    /** Explicit gatewayCustomBgpIpAddresses entry, else the first APIPA address for an APIPA peer, else the default. */
    private String localBgpAddress(boolean apipaPeer) {
      for (GatewayCustomBgpIpAddress e : s.gatewayCustomBgpIpAddresses()) {
        if (e.instance() != null && e.instance() == addressing) {
          return e.customBgpIpAddress();
        }
      }
      if (apipaPeer) {
        return local.customBgpAddresses().isEmpty() ? null : local.customBgpAddresses().getFirst();
      }
      return local.bgpAddress();
    }

    private Built noBgpAddress() {
      return excluded("BgpPeeringAddressUnavailable", "spec.enableBgp",
          "spec.enableBgp: no BGP address for the session: the first addressSpace prefix of a gateway must be /"
              + MAX_PREFIX_FOR_DEFAULT_BGP + " or larger to hold a default BGP address (or use APIPA addresses)");
    }

    private Built excluded(String reason, String field, String message) {
      return new Built.Excluded(new ExcludedConnection(name, reason, field, message));
    }
  }

  private static List<String> routes(List<String> remoteSpace, BgpNeighborPlan neighbor) {
    var out = new ArrayList<>(remoteSpace);
    if (neighbor != null) {
      out.add(neighbor.peerAddress() + "/32");
    }
    return out;
  }

  // ---------------------------------------------------------------- addresses

  /** See the class comment: last host of the first addressSpace prefix, minus the instance index. */
  static String defaultBgpAddress(VirtualNetworkGatewaySpec g, int instance) {
    if (g.addressSpace().isEmpty()) {
      return null;
    }
    IPAddress block = new IPAddressString(g.addressSpace().getFirst()).getAddress();
    if (block == null || !block.isIPv4() || block.getNetworkPrefixLength() == null
        || block.getNetworkPrefixLength() > MAX_PREFIX_FOR_DEFAULT_BGP) {
      return null;
    }
    IPAddress broadcast = block.toPrefixBlock().getUpper().withoutPrefixLength();
    return broadcast.increment(-1L - instance).toCanonicalString();
  }

  private static List<String> customBgpAddresses(VirtualNetworkGatewaySpec g, int instance) {
    return g.effectiveBgpSettings().bgpPeeringAddresses().stream()
        .filter(p -> p.instance() != null && p.instance() == instance)
        .flatMap(p -> p.customBgpIpAddresses().stream())
        .toList();
  }

  private static boolean isIpv4(String text) {
    IPAddress a = new IPAddressString(text).getAddress();
    return a != null && a.isIPv4() && !a.isPrefixed();
  }

  private static boolean concerns(Finding f, String kind, io.fabric8.kubernetes.api.model.HasMetadata r) {
    return f.concerns(kind, namespaceOf(r), nameOf(r));
  }

  private static Finding finding(String kind, io.fabric8.kubernetes.api.model.HasMetadata r, String field,
      String reason, String message) {
    return new Finding(kind, namespaceOf(r), nameOf(r), field, reason, message);
  }
}
