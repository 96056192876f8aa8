package dev.vpngw.dataplane.ike;

import dev.vpngw.dataplane.ike.message.TrafficSelector;
import dev.vpngw.dataplane.ike.proposal.ChildPolicy;
import dev.vpngw.dataplane.ike.proposal.IkePolicy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * One site-to-site connection as the IKE daemon sees it (built later from a vpngw Connection +
 * LocalNetworkGateway). The PSK is never printed.
 *
 * @param remoteId    expected peer identity; null accepts whatever the peer claims (PSK still binds it)
 * @param localTs     our side's selectors (all pairs together); {@code TrafficSelector.anyIpv4()} for route-based
 * @param childPairs  one child SA per pair (policy-based: one per prefix pair or trafficSelectorPolicies
 *                    entry); empty means a single pair {@code localTs} ↔ {@code remoteTs}
 * @param dpdTimeout  Azure dpdTimeoutSeconds: a silent peer is declared dead after this long
 * @param forceEncapsulation fake NAT detection so ESP is always UDP-encapsulated on 4500 (RFC 3948)
 */
public record IkeConnection(String name, InetAddress local, InetAddress remote, IkeIdentity localId, IkeIdentity remoteId,
    byte[] psk, IkePolicy ikePolicy, ChildPolicy childPolicy, List<TrafficSelector> localTs,
    List<TrafficSelector> remoteTs, ConnectionMode mode, Duration dpdTimeout, IkeTimers timers,
    boolean forceEncapsulation, List<SelectorPair> childPairs) {

  /** The selectors of one child SA: ours and the peer's. */
  public record SelectorPair(List<TrafficSelector> local, List<TrafficSelector> remote) {
    public SelectorPair {
      local = List.copyOf(local);
      remote = List.copyOf(remote);
      if (local.isEmpty() || remote.isEmpty()) {
        throw new IllegalArgumentException("a traffic selector pair needs selectors on both sides");
      }
    }
  }

  /** A connection whose selectors form one child SA. */
  public IkeConnection(String name, InetAddress local, InetAddress remote, IkeIdentity localId, IkeIdentity remoteId,
      byte[] psk, IkePolicy ikePolicy, ChildPolicy childPolicy, List<TrafficSelector> localTs,
      List<TrafficSelector> remoteTs, ConnectionMode mode, Duration dpdTimeout, IkeTimers timers,
      boolean forceEncapsulation) {
    this(name, local, remote, localId, remoteId, psk, ikePolicy, childPolicy, localTs, remoteTs, mode, dpdTimeout,
        timers, forceEncapsulation, List.of());
  }

  public IkeConnection {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("connection name is required");
    }
    if (psk == null || psk.length == 0) {
      throw new IllegalArgumentException("connection " + name + ": sharedKey is required");
    }
    psk = psk.clone();
    localTs = List.copyOf(localTs);
    remoteTs = List.copyOf(remoteTs);
    if (localTs.isEmpty() || remoteTs.isEmpty()) {
      throw new IllegalArgumentException("connection " + name + ": traffic selectors must not be empty");
    }
    if (localId == null) {
      localId = IkeIdentity.address(local);
    }
    childPairs = childPairs == null || childPairs.isEmpty() ? List.of(new SelectorPair(localTs, remoteTs))
        : List.copyOf(childPairs);
  }

  /** A route-based (0.0.0.0/0 ↔ 0.0.0.0/0) connection with Azure's default policy. */
  public static IkeConnection routeBased(String name, InetAddress local, InetAddress remote, byte[] psk) {
    return new IkeConnection(name, local, remote, null, null, psk,
        dev.vpngw.dataplane.ike.proposal.AzureDefaults.ikePolicy(),
        dev.vpngw.dataplane.ike.proposal.AzureDefaults.childPolicy(),
        List.of(TrafficSelector.anyIpv4()), List.of(TrafficSelector.anyIpv4()), ConnectionMode.DEFAULT,
        Duration.ofSeconds(45), IkeTimers.defaults(), true);
  }

  public IkeConnection withPolicies(IkePolicy ike, ChildPolicy child) {
    return new IkeConnection(name, local, remote, localId, remoteId, psk, ike, child, localTs, remoteTs, mode,
        dpdTimeout, timers, forceEncapsulation, childPairs);
  }

  public IkeConnection withTimers(IkeTimers t, Duration dpd) {
    return new IkeConnection(name, local, remote, localId, remoteId, psk, ikePolicy, childPolicy, localTs, remoteTs,
        mode, dpd, t, forceEncapsulation, childPairs);
  }

  /** Selectors as one child SA. */
  public IkeConnection withTrafficSelectors(List<TrafficSelector> local, List<TrafficSelector> remote) {
    return new IkeConnection(name, this.local, this.remote, localId, remoteId, psk, ikePolicy, childPolicy, local,
        remote, mode, dpdTimeout, timers, forceEncapsulation, List.of());
  }

  /** One child SA per pair; {@link #localTs()}/{@link #remoteTs()} become the union of each side. */
  public IkeConnection withChildPairs(List<SelectorPair> pairs) {
    List<TrafficSelector> l = pairs.stream().flatMap(p -> p.local().stream()).distinct().toList();
    List<TrafficSelector> r = pairs.stream().flatMap(p -> p.remote().stream()).distinct().toList();
    return new IkeConnection(name, this.local, this.remote, localId, remoteId, psk, ikePolicy, childPolicy, l, r, mode,
        dpdTimeout, timers, forceEncapsulation, pairs);
  }

  public IkeConnection withPsk(byte[] newPsk) {
    return new IkeConnection(name, local, remote, localId, remoteId, newPsk, ikePolicy, childPolicy, localTs, remoteTs,
        mode, dpdTimeout, timers, forceEncapsulation, childPairs);
  }

  public IkeConnection withMode(ConnectionMode m) {
    return new IkeConnection(name, local, remote, localId, remoteId, psk, ikePolicy, childPolicy, localTs, remoteTs,
        m, dpdTimeout, timers, forceEncapsulation, childPairs);
  }

  @Override
  public String toString() {
    return "IkeConnection[" + name + " " + local.getHostAddress() + "<->" + remote.getHostAddress() + " " + mode + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IkeConnection c && c.name.equals(name) && c.toString().equals(toString())
        && java.util.Arrays.equals(c.psk, psk) && c.ikePolicy.equals(ikePolicy) && c.childPolicy.equals(childPolicy)
        && c.localTs.equals(localTs) && c.remoteTs.equals(remoteTs) && c.childPairs.equals(childPairs);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }
}
