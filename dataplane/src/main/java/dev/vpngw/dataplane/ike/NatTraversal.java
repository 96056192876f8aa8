package dev.vpngw.dataplane.ike;

/**
 * What NAT detection (RFC 7296 §2.23) found for an IKE SA. {@code REMOTE} cannot tell a peer
 * behind a NAT from one that forces UDP encapsulation (strongSwan {@code encap = yes}): both send a
 * NAT_DETECTION_SOURCE_IP that does not match the address we see.
 */
public enum NatTraversal {
  /** Both hashes matched: no NAT between the peers. */
  NONE,
  /** NAT_DETECTION_DESTINATION_IP did not match our address: this gateway is behind a NAT. */
  LOCAL,
  /** NAT_DETECTION_SOURCE_IP did not match the peer's address as we see it. */
  REMOTE,
  BOTH;

  public static NatTraversal of(boolean localBehindNat, boolean remoteBehindNat) {
    if (localBehindNat) {
      return remoteBehindNat ? BOTH : LOCAL;
    }
    return remoteBehindNat ? REMOTE : NONE;
  }

  public boolean localBehindNat() {
    return this == LOCAL || this == BOTH;
  }

  public boolean remoteBehindNat() {
    return this == REMOTE || this == BOTH;
  }

  /** For logs and status messages. */
  public String describe() {
    return switch (this) {
      case NONE -> "no NAT";
      case LOCAL -> "this gateway is behind a NAT";
      case REMOTE -> "the peer is behind a NAT (or forces UDP encapsulation)";
      case BOTH -> "this gateway is behind a NAT, and the peer is behind a NAT (or forces UDP encapsulation)";
    };
  }
}
