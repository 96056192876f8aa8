package dev.vpngw.dataplane.status;

import dev.vpngw.crds.v1alpha1.NegotiatedEsp;
import dev.vpngw.crds.v1alpha1.NegotiatedIke;
import java.time.Instant;
import java.util.List;

/** Tunnel observations for tests. */
final class Observations {
  private Observations() {}

  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

  static TunnelObservation established(String tunnel, String local, String remote, long in, long out) {
    return new TunnelObservation(tunnel, TunnelPhase.ESTABLISHED, local + ":4500", remote + ":4500",
        new NegotiatedIke("AES256", "SHA256", "SHA256", "DHGroup14"), new NegotiatedEsp("GCMAES256", "GCMAES256", "None"),
        "c1a2b3c4", "d5e6f708", T0, T0.plusSeconds(600), in, out, null, List.of());
  }

  static TunnelObservation negotiating(String tunnel) {
    return new TunnelObservation(tunnel, TunnelPhase.NEGOTIATING, null, null, null, null, null, null, null, null, 0, 0,
        null, List.of());
  }

  static TunnelObservation failed(String tunnel, String notify, String message) {
    return new TunnelObservation(tunnel, TunnelPhase.FAILED, null, null, null, null, null, null, null, null, 0, 0,
        new TunnelFailure(StatusReasons.forIkeNotify(notify), message), List.of());
  }
}
