package dev.vpngw.dataplane.routing;

/**
 * One candidate path for a prefix. {@code sourceId} names the producer ("network", "static/3",
 * or the BGP neighbour's address); a prefix has at most one path per source. Best-path selection
 * reads only the scalar fields; {@code detail} carries what the producer needs for re-advertising
 * (the BGP attributes) and is opaque here.
 */
public record Route(
    Ipv4Prefix prefix,
    String sourceId,
    RouteKind kind,
    int tunnelSlot,
    int nextHop,
    int weight,
    long localPref,
    int asPathLength,
    int originRank,
    long med,
    long neighborAs,
    int routerId,
    boolean stale,
    RouteDetail detail) {

  public static final int LOCAL_WEIGHT = 32768;
  public static final long DEFAULT_LOCAL_PREF = 100;

  public static Route network(Ipv4Prefix p) {
    return new Route(p, "network", RouteKind.NETWORK, ForwardingLookup.NO_ROUTE, 0, LOCAL_WEIGHT, DEFAULT_LOCAL_PREF, 0, 0, 0, 0, 0, false, null);
  }

  public static Route staticRoute(Ipv4Prefix p, int tunnelSlot) {
    return new Route(p, "static/" + tunnelSlot, RouteKind.STATIC, tunnelSlot, 0, LOCAL_WEIGHT, DEFAULT_LOCAL_PREF, 0, 0, 0, 0, 0, false, null);
  }

  public Route asStale() {
    return new Route(prefix, sourceId, kind, tunnelSlot, nextHop, weight, localPref, asPathLength, originRank, med, neighborAs, routerId, true, detail);
  }

  /** Producer-specific data (e.g. BGP path attributes); also renders Azure's asPath column. */
  public interface RouteDetail {
    String asPathText();
  }
}
