package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.ike.error.TsUnacceptableException;
import dev.vpngw.dataplane.ike.message.TrafficSelector;
import dev.vpngw.dataplane.ike.IkeConnection;
import java.util.ArrayList;
import java.util.List;

/** Responder narrowing (RFC 7296 §2.9): the intersection of what the peer asks and what we allow, per selector pair. */
final class TrafficSelectors {
  private TrafficSelectors() {}

  /** The pair a peer's proposal was narrowed to, and the narrowed TSi (peer's side) and TSr (ours). */
  record Narrowed(int pair, List<TrafficSelector> tsi, List<TrafficSelector> tsr) {}

  /**
   * Responder narrowing against the connection's selector pairs (one child SA per pair): the pair a
   * rekeyed child had comes first, then pairs without a child yet (a peer proposing one wide
   * selector gets one pair per CREATE_CHILD_SA), then the rest. From the responder's view the
   * initiator's TSi is the remote side and TSr ours.
   */
  static Narrowed narrowToPair(IkeSa sa, List<TrafficSelector> proposedTsi, List<TrafficSelector> proposedTsr,
      ChildSa rekeyed) throws TsUnacceptableException {
    List<IkeConnection.SelectorPair> pairs = sa.conn.childPairs();
    List<Integer> order = new ArrayList<>();
    if (rekeyed != null && rekeyed.pair >= 0 && rekeyed.pair < pairs.size()) {
      order.add(rekeyed.pair);
    }
    for (int i = 0; i < pairs.size(); i++) {
      if (!order.contains(i) && !sa.pairCovered(i)) {
        order.add(i);
      }
    }
    for (int i = 0; i < pairs.size(); i++) {
      if (!order.contains(i)) {
        order.add(i);
      }
    }
    for (int i : order) {
      List<TrafficSelector> tsi = intersection(proposedTsi, pairs.get(i).remote());
      List<TrafficSelector> tsr = intersection(proposedTsr, pairs.get(i).local());
      if (!tsi.isEmpty() && !tsr.isEmpty()) {
        return new Narrowed(i, tsi, tsr);
      }
    }
    throw new TsUnacceptableException("TSi " + proposedTsi + " / TSr " + proposedTsr + " match none of our "
        + pairs.size() + " selector pair(s)");
  }

  private static List<TrafficSelector> intersection(List<TrafficSelector> proposed, List<TrafficSelector> allowed) {
    List<TrafficSelector> out = new ArrayList<>();
    for (TrafficSelector p : proposed) {
      for (TrafficSelector a : allowed) {
        p.intersect(a).filter(x -> !out.contains(x)).ifPresent(out::add);
      }
    }
    return out;
  }

  /** Initiator check: what the responder returned must lie within what we proposed. */
  static void checkSubset(List<TrafficSelector> returned, List<TrafficSelector> proposed, String which)
      throws TsUnacceptableException {
    for (TrafficSelector r : returned) {
      boolean inside = proposed.stream().anyMatch(p -> p.intersect(r).map(r::equals).orElse(false));
      if (!inside) {
        throw new TsUnacceptableException(which + " " + r + " is not within our proposal " + proposed);
      }
    }
  }
}
