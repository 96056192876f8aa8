package dev.vpngw.dataplane.ike.sa;

import dev.vpngw.dataplane.ike.error.TsUnacceptableException;
import dev.vpngw.dataplane.ike.message.TrafficSelector;
import java.util.ArrayList;
import java.util.List;

/** Responder narrowing (RFC 7296 §2.9): the intersection of what the peer asks and what we allow. */
final class TrafficSelectors {
  private TrafficSelectors() {}

  static List<TrafficSelector> narrow(List<TrafficSelector> proposed, List<TrafficSelector> allowed, String which)
      throws TsUnacceptableException {
    List<TrafficSelector> out = new ArrayList<>();
    for (TrafficSelector p : proposed) {
      for (TrafficSelector a : allowed) {
        p.intersect(a).filter(x -> !out.contains(x)).ifPresent(out::add);
      }
    }
    if (out.isEmpty()) {
      throw new TsUnacceptableException(which + " " + proposed + " do not overlap our " + allowed);
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
