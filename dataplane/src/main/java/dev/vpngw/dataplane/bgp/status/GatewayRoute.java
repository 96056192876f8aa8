package dev.vpngw.dataplane.bgp.status;

/**
 * Azure's GatewayRoute (list-learned-routes / list-advertised-routes): {@code origin} is Network,
 * Static or EBgp; {@code asPath} has ASNs joined by '-'; {@code weight} 32768 for local routes.
 */
public record GatewayRoute(String localAddress, String network, String nextHop, String sourcePeer, String origin, String asPath, int weight) {}
