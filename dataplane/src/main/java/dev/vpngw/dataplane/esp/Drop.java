package dev.vpngw.dataplane.esp;

/**
 * Why the packet path dropped a packet. Every drop is counted per reason on the engine (and per SA
 * where an SA was found), never silently lost.
 */
public enum Drop {
  /** ForwardingLookup had no route for the destination. */
  NO_ROUTE,
  /**
   * The route points at a tunnel that has no outbound SA (yet, or any more), or, policy-based, none
   * whose selectors cover the packet's source and destination.
   */
  NO_OUTBOUND_SA,
  /** 32-bit sequence space exhausted without ESN: the SA must be rekeyed (RFC 4303 §3.3.3). */
  SEQ_OVERFLOW,
  /** The packet does not fit the buffer after ESP overhead. */
  TOO_BIG,
  /** Read from the TUN but not a sane IPv4 packet. */
  NOT_IPV4,
  /** Inbound ESP for an SPI we have not installed. */
  UNKNOWN_SPI,
  /** Truncated or wrongly sized ESP packet (shorter than header + IV + ICV, not block aligned). */
  MALFORMED,
  /** Sequence number already seen or left of the anti-replay window. */
  REPLAY,
  /** ICV / GCM tag did not verify. */
  AUTH,
  /** Pad length too large or pad bytes not 1, 2, 3 … (RFC 4303 §2.4). */
  BAD_PADDING,
  /** Next header other than IPv4 (4) — IPv6 is not carried yet. */
  BAD_NEXT_HEADER,
  /** Dummy packet (next header 59, RFC 4303 §2.6): dropped by design. */
  DUMMY,
  /** Decrypted payload is not a sane IPv4 packet. */
  BAD_INNER,
  /**
   * Decrypted inner packet whose source or destination lies outside the child SA's traffic selectors
   * (RFC 4301 §5.2): authentic, but not what this SA was negotiated for.
   */
  TS_MISMATCH,
  /** The kernel refused the TUN write. */
  TUN_WRITE,
  /** The UDP send failed. */
  UDP_SEND;

  static final Drop[] VALUES = values();
}
