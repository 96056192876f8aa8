package dev.vpngw.dataplane.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A TunnelStateSource tests fill by hand. */
final class FakeStateSource implements TunnelStateSource {
  final List<TunnelObservation> tunnels = new ArrayList<>();
  final List<BgpObservation> bgp = new ArrayList<>();
  final Map<String, Long> drops = new TreeMap<>();
  final List<String> warnings = new ArrayList<>();
  long learned;

  @Override
  public List<TunnelObservation> tunnels() {
    return List.copyOf(tunnels);
  }

  @Override
  public List<BgpObservation> bgpPeers() {
    return List.copyOf(bgp);
  }

  @Override
  public long learnedRoutes() {
    return learned;
  }

  @Override
  public Map<String, Long> drops() {
    return drops;
  }

  @Override
  public List<String> warnings() {
    return warnings;
  }
}
