package dev.vpngw.dataplane.routing;

/**
 * The packet path's view of the routing table: destination → tunnel slot. Implemented by the
 * routing table (static routes from localNetworkAddressSpace + BGP, longest-prefix match, ECMP);
 * read by the TUN→ESP path for every packet, so it must be allocation-free and safe to call from
 * several packet threads while the control plane updates routes (publish immutable snapshots).
 */
public interface ForwardingLookup {
  int NO_ROUTE = -1;

  /**
   * @param dstIpv4  destination address as a big-endian int
   * @param flowHash a per-flow hash (5-tuple) used to pick among ECMP next hops, stable per flow
   * @return the tunnel slot, or {@link #NO_ROUTE}
   */
  int lookup(int dstIpv4, int flowHash);
}
