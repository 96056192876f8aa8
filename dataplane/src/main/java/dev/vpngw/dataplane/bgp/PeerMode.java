package dev.vpngw.dataplane.bgp;

/** Whether the gateway dials a peer or only listens (Azure does not initiate toward APIPA peers). */
public enum PeerMode {
  /** Only accepts the peer's connection. */
  PASSIVE,
  /** Dials the peer and accepts its connection; collisions are resolved by BGP identifier. */
  ACTIVE;

  /** Azure's rule: APIPA (169.254.0.0/16) peers must initiate, others may be dialled. */
  public static PeerMode forPeerAddress(int peerAddress) {
    return (peerAddress >>> 16) == 0xa9fe ? PASSIVE : ACTIVE;
  }
}
