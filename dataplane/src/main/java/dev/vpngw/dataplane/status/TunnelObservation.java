package dev.vpngw.dataplane.status;

import dev.vpngw.crds.v1alpha1.NegotiatedEsp;
import dev.vpngw.crds.v1alpha1.NegotiatedIke;
import java.time.Instant;
import java.util.List;

/**
 * What the engines know about one tunnel right now (the runtime builds it from the IKE SA, its
 * child SA and the ESP SA counters).
 *
 * @param tunnel       the plan's tunnel name, e.g. "site-a/0"
 * @param localEndpoint  "address:port" of the IKE socket in use, or null
 * @param remoteEndpoint "address:port" of the peer after NAT detection, or null
 * @param inboundSpi   8 hex digits, or null without a child SA
 * @param established  when the IKE SA was established, or null
 * @param failure      the last failure, or null
 * @param weakAlgorithms deprecated algorithms the current SAs negotiated (e.g. "DH group 2 (MODP_1024)")
 * @param nat          what NAT detection found, e.g. "this gateway is behind a NAT"; null when none
 *                     was found or nothing is negotiated
 */
public record TunnelObservation(
    String tunnel,
    TunnelPhase phase,
    String localEndpoint,
    String remoteEndpoint,
    NegotiatedIke ike,
    NegotiatedEsp esp,
    String inboundSpi,
    String outboundSpi,
    Instant established,
    Instant lastRekey,
    long bytesIn,
    long bytesOut,
    TunnelFailure failure,
    List<String> weakAlgorithms,
    String nat) {

  public TunnelObservation {
    weakAlgorithms = weakAlgorithms == null ? List.of() : List.copyOf(weakAlgorithms);
  }

  /** A tunnel without NAT between the peers (or not negotiated). */
  public TunnelObservation(String tunnel, TunnelPhase phase, String localEndpoint, String remoteEndpoint,
      NegotiatedIke ike, NegotiatedEsp esp, String inboundSpi, String outboundSpi, Instant established,
      Instant lastRekey, long bytesIn, long bytesOut, TunnelFailure failure, List<String> weakAlgorithms) {
    this(tunnel, phase, localEndpoint, remoteEndpoint, ike, esp, inboundSpi, outboundSpi, established, lastRekey,
        bytesIn, bytesOut, failure, weakAlgorithms, null);
  }

  /** A tunnel the engines have nothing on: Unknown, with a message saying why. */
  public static TunnelObservation unknown(String tunnel, String why) {
    return new TunnelObservation(tunnel, TunnelPhase.UNKNOWN, null, null, null, null, null, null, null, null, 0, 0,
        new TunnelFailure(StatusReasons.UNKNOWN, why), List.of());
  }
}
