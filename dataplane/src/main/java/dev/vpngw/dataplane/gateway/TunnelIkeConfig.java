package dev.vpngw.dataplane.gateway;

import dev.vpngw.dataplane.config.ConnectionPlan;
import dev.vpngw.dataplane.config.IkeId;
import dev.vpngw.dataplane.config.LocalGatewayPlan;
import dev.vpngw.dataplane.config.PeerEndpoint;
import dev.vpngw.dataplane.config.Proposals;
import dev.vpngw.dataplane.config.TrafficSelectors;
import dev.vpngw.dataplane.config.TunnelPlan;
import dev.vpngw.dataplane.ike.ConnectionMode;
import dev.vpngw.dataplane.ike.IkeConnection;
import dev.vpngw.dataplane.ike.IkeIdentity;
import dev.vpngw.dataplane.ike.IkeTimers;
import dev.vpngw.dataplane.ike.message.TrafficSelector;
import dev.vpngw.dataplane.ike.proposal.AzureDefaults;
import dev.vpngw.dataplane.ike.proposal.AzureIpsecPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns one tunnel of the plan into the IKE engine's connection: the one place the two vocabularies meet. */
final class TunnelIkeConfig {
  private TunnelIkeConfig() {}

  static IkeConnection of(LocalGatewayPlan gw, ConnectionPlan c, TunnelPlan t, IkeTimers timers)
      throws UnknownHostException {
    InetAddress local = InetAddress.getByName(gw.bindAddress());
    // An fqdn peer is resolved here, at (re)connect time; the plan stays a pure function of the manifests.
    InetAddress remote = switch (t.peer()) {
      case PeerEndpoint.Address a -> InetAddress.getByName(a.address());
      case PeerEndpoint.Host h -> InetAddress.getByName(h.fqdn());
    };
    IkeIdentity localId = identity(t.localIdentity(), local);
    IkeIdentity remoteId = t.remoteIdentity() == null || t.remoteIdentity().type() == IkeId.Type.ANY
        ? null : IkeIdentity.address(InetAddress.getByName(t.remoteIdentity().value()));
    IkeConnection conn = new IkeConnection(t.name(), local, remote, localId, remoteId, c.psk().bytes(),
        AzureDefaults.ikePolicy(), AzureDefaults.childPolicy(),
        selectors(c.trafficSelectors(), TrafficSelectors.Pair::local),
        selectors(c.trafficSelectors(), TrafficSelectors.Pair::remote), mode(c.connectionMode()),
        Duration.ofSeconds(c.dpdTimeoutSeconds()), timers, true);
    // One child SA per selector pair (as Azure and strongSwan do for policy-based connections).
    conn = conn.withChildPairs(c.trafficSelectors().pairs().stream()
        .map(p -> new IkeConnection.SelectorPair(p.local().stream().map(TrafficSelector::fromCidr).toList(),
            p.remote().stream().map(TrafficSelector::fromCidr).toList()))
        .toList());
    if (c.proposals() instanceof Proposals.Custom p) {
      AzureIpsecPolicy policy = new AzureIpsecPolicy((int) c.lifetimes().childSeconds(), c.lifetimes().childKilobytes(),
          p.ipsecEncryption(), p.ipsecIntegrity(), p.ikeEncryption(), p.ikeIntegrity(), p.dhGroup(), p.pfsGroup());
      conn = conn.withPolicies(policy.toIkePolicy(), policy.toChildPolicy());
    }
    return conn;
  }

  private static IkeIdentity identity(IkeId id, InetAddress fallback) throws UnknownHostException {
    if (id == null || id.type() == IkeId.Type.ANY || id.value() == null) {
      return IkeIdentity.address(fallback);
    }
    return IkeIdentity.address(InetAddress.getByName(id.value()));
  }

  /** One side of every selector pair, de-duplicated: what the responder may narrow to. */
  private static List<TrafficSelector> selectors(TrafficSelectors ts,
      java.util.function.Function<TrafficSelectors.Pair, List<String>> side) {
    Set<String> cidrs = new LinkedHashSet<>();
    ts.pairs().forEach(p -> cidrs.addAll(side.apply(p)));
    return cidrs.stream().map(TrafficSelector::fromCidr).toList();
  }

  static ConnectionMode mode(String azureMode) {
    return switch (azureMode == null ? "Default" : azureMode) {
      case "InitiatorOnly" -> ConnectionMode.INITIATOR_ONLY;
      case "ResponderOnly" -> ConnectionMode.RESPONDER_ONLY;
      default -> ConnectionMode.DEFAULT;
    };
  }
}
