package dev.vpngw.dataplane.config;

import java.util.List;

/**
 * The child SA traffic selectors this gateway proposes when it initiates (as responder Azure
 * accepts what the peer proposes, in every mode).
 *
 * @param mode  {@link Mode#RouteBased}: one pair 0.0.0.0/0 ↔ 0.0.0.0/0; {@link Mode#PrefixPairs}:
 *              one pair per (addressSpace × remote prefix) combination, from
 *              usePolicyBasedTrafficSelectors or a PolicyBased gateway; {@link Mode#Custom}: one pair
 *              per trafficSelectorPolicies entry. Each pair is its own child SA: the first in IKE_AUTH, the
 *              others by CREATE_CHILD_SA right after (Azure brings those up on demand)
 */
public record TrafficSelectors(Mode mode, List<Pair> pairs) {

  public enum Mode { RouteBased, PrefixPairs, Custom }

  public record Pair(List<String> local, List<String> remote) {
    public Pair {
      local = List.copyOf(local);
      remote = List.copyOf(remote);
    }
  }

  public static final String ANY_IPV4 = "0.0.0.0/0";

  public TrafficSelectors {
    pairs = List.copyOf(pairs);
  }

  public static TrafficSelectors routeBased() {
    return new TrafficSelectors(Mode.RouteBased, List.of(new Pair(List.of(ANY_IPV4), List.of(ANY_IPV4))));
  }
}
