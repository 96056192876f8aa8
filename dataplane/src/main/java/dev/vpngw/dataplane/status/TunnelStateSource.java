package dev.vpngw.dataplane.status;

import java.util.List;
import java.util.Map;

/**
 * The engines' live state, read when status is asked for (admin {@code /status}, the operator's
 * poll). Implemented by the runtime over the IKE daemon (IKE/child SA state), the ESP engine
 * (SA counters, drops) and the BGP speaker (sessions, RIB size). Each call returns a consistent
 * snapshot; it must not block on the packet path.
 */
public interface TunnelStateSource {

  /** Every tunnel the engines know; tunnels of the plan missing here are shown as Unknown. */
  List<TunnelObservation> tunnels();

  List<BgpObservation> bgpPeers();

  /** Routes learned from BGP peers currently in the routing table. */
  long learnedRoutes();

  /** Packets dropped by the data plane, by reason (e.g. "replay", "auth", "noRoute", "unknownSpi"). */
  Map<String, Long> drops();

  /** Every child SA of every tunnel (one per traffic-selector pair for policy-based tunnels). */
  default List<ChildSaObservation> childSas() {
    return List.of();
  }

  /** Instance-level warnings from the engines (e.g. "TUN vpngw0 MTU 1400 clamps MSS to 1350"). */
  List<String> warnings();

  /** A source with nothing to report. */
  static TunnelStateSource empty() {
    return new TunnelStateSource() {
      @Override
      public List<TunnelObservation> tunnels() {
        return List.of();
      }

      @Override
      public List<BgpObservation> bgpPeers() {
        return List.of();
      }

      @Override
      public long learnedRoutes() {
        return 0;
      }

      @Override
      public Map<String, Long> drops() {
        return Map.of();
      }

      @Override
      public List<String> warnings() {
        return List.of();
      }
    };
  }
}
