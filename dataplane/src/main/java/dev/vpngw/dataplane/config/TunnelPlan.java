package dev.vpngw.dataplane.config;

import java.util.List;

/**
 * One IKE/ESP tunnel this instance runs for a connection.
 *
 * @param name          {@code <connection>/<instance>}; for a Vnet2Vnet connection to an
 *                      active-active gateway (one tunnel per remote instance)
 *                      {@code <connection>/<instance>-<remoteInstance>}
 * @param remoteInstance the other gateway's instance for Vnet2Vnet, null for a site
 * @param staticRoutes  prefixes routed into this tunnel (remote address space, plus the /32 of the
 *                      BGP neighbor when BGP runs over it); tunnels of one connection share the
 *                      remote prefixes (ECMP)
 * @param bgpNeighbor   the BGP session over this tunnel, or null
 */
public record TunnelPlan(String name, Integer remoteInstance, PeerEndpoint peer, IkeId localIdentity,
    IkeId remoteIdentity, List<String> staticRoutes, BgpNeighborPlan bgpNeighbor) {

  public TunnelPlan {
    staticRoutes = List.copyOf(staticRoutes);
  }
}
