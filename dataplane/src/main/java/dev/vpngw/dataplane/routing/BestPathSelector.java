package dev.vpngw.dataplane.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * BGP decision process (RFC 4271 §9.1.2.2 with the common weight step first, as Azure's
 * peerWeight): weight, LOCAL_PREF, AS path length, ORIGIN, MED (same neighbour AS only), eBGP
 * over iBGP, router id, then source id as the final deterministic tie-break. Paths equal down to
 * the router-id step form the ECMP set.
 */
public final class BestPathSelector {
  private BestPathSelector() {}

  /** Negative when {@code a} is preferred. Only the multipath-relevant steps. */
  static int compareCost(Route a, Route b) {
    if (a.weight() != b.weight()) {
      return a.weight() > b.weight() ? -1 : 1;
    }
    if (a.localPref() != b.localPref()) {
      return a.localPref() > b.localPref() ? -1 : 1;
    }
    if (a.asPathLength() != b.asPathLength()) {
      return a.asPathLength() < b.asPathLength() ? -1 : 1;
    }
    if (a.originRank() != b.originRank()) {
      return a.originRank() < b.originRank() ? -1 : 1;
    }
    if (a.neighborAs() == b.neighborAs() && a.med() != b.med()) {
      return Long.compareUnsigned(a.med(), b.med()) < 0 ? -1 : 1;
    }
    return 0;
  }

  static int compare(Route a, Route b) {
    int c = compareCost(a, b);
    if (c != 0) {
      return c;
    }
    if (a.routerId() != b.routerId()) {
      return Integer.compareUnsigned(a.routerId(), b.routerId());
    }
    return a.sourceId().compareTo(b.sourceId());
  }

  /** The best path first, followed by the other paths of equal cost on distinct tunnels. */
  public static List<Route> select(List<Route> candidates) {
    if (candidates.isEmpty()) {
      return List.of();
    }
    Route best = candidates.getFirst();
    for (Route r : candidates) {
      if (compare(r, best) < 0) {
        best = r;
      }
    }
    List<Route> out = new ArrayList<>(2);
    out.add(best);
    if (best.kind() == RouteKind.NETWORK) {
      return out;
    }
    for (Route r : candidates) {
      if (r != best && r.kind() != RouteKind.NETWORK && compareCost(r, best) == 0 && r.tunnelSlot() != best.tunnelSlot()
          && out.stream().noneMatch(o -> o.tunnelSlot() == r.tunnelSlot())) {
        out.add(r);
      }
    }
    return out;
  }
}
