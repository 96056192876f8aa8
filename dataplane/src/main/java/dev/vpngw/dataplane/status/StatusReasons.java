package dev.vpngw.dataplane.status;

/** CamelCase condition reasons the data plane reports (next to the validator's Reasons). */
public final class StatusReasons {
  private StatusReasons() {}

  public static final String TUNNELS_CONNECTED = "TunnelsConnected";
  public static final String CONNECTING = "Connecting";
  public static final String WAITING_FOR_PEER = "WaitingForPeer";
  public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";
  public static final String NO_PROPOSAL_CHOSEN = "NoProposalChosen";
  public static final String TRAFFIC_SELECTORS_UNACCEPTABLE = "TrafficSelectorsUnacceptable";
  public static final String PEER_UNREACHABLE = "PeerUnreachable";
  public static final String DEAD_PEER_DETECTED = "DeadPeerDetected";
  public static final String NEGOTIATION_FAILED = "NegotiationFailed";
  public static final String WEAK_CRYPTOGRAPHY = "WeakCryptography";
  public static final String BGP_SESSION_NOT_ESTABLISHED = "BgpSessionNotEstablished";
  public static final String BGP_SESSIONS_ESTABLISHED = "BgpSessionsEstablished";
  /** The peer announced more prefixes than allowed (Azure: 4,000); the session was ceased and waits. */
  public static final String BGP_PREFIX_LIMIT_EXCEEDED = "BgpPrefixLimitExceeded";
  public static final String ENGINE_NOT_WIRED = "EngineNotWired";
  public static final String UNKNOWN = "Unknown";
  public static final String NAT_DETECTED = "NatDetected";

  /** Condition types besides {@code Ready}. */
  public static final String CONDITION_WEAK_CRYPTOGRAPHY = "WeakCryptography";
  public static final String CONDITION_BGP_ESTABLISHED = "BgpEstablished";
  /** True while a tunnel runs through a NAT (RFC 7296 §2.23); the message says which side is behind it. */
  public static final String CONDITION_NAT_TRAVERSAL = "NatTraversal";

  /**
   * The reason for an IKE error notify name (RFC 7296 names as the IKE engine reports them, e.g.
   * {@code IkeSaStatus.lastErrorNotify}); a timeout without any answer is {@link #PEER_UNREACHABLE}.
   */
  public static String forIkeNotify(String notify) {
    if (notify == null) {
      return NEGOTIATION_FAILED;
    }
    return switch (notify) {
      case "AUTHENTICATION_FAILED" -> AUTHENTICATION_FAILED;
      case "NO_PROPOSAL_CHOSEN", "INVALID_KE_PAYLOAD" -> NO_PROPOSAL_CHOSEN;
      case "TS_UNACCEPTABLE", "SINGLE_PAIR_REQUIRED" -> TRAFFIC_SELECTORS_UNACCEPTABLE;
      case "TIMEOUT", "RETRANSMIT_TIMEOUT" -> PEER_UNREACHABLE;
      case "DPD_TIMEOUT" -> DEAD_PEER_DETECTED;
      default -> NEGOTIATION_FAILED;
    };
  }
}
