package dev.vpngw.dataplane.bgp.wire;

/** Every error a NOTIFICATION can carry (RFC 4271 §4.5, §6; RFC 4486 CEASE subcodes; RFC 7313). */
public enum BgpError {
  CONNECTION_NOT_SYNCHRONIZED(1, 1),
  BAD_MESSAGE_LENGTH(1, 2),
  BAD_MESSAGE_TYPE(1, 3),
  UNSUPPORTED_VERSION(2, 1),
  BAD_PEER_AS(2, 2),
  BAD_BGP_IDENTIFIER(2, 3),
  UNSUPPORTED_OPTIONAL_PARAMETER(2, 4),
  UNACCEPTABLE_HOLD_TIME(2, 6),
  UNSUPPORTED_CAPABILITY(2, 7),
  MALFORMED_ATTRIBUTE_LIST(3, 1),
  UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE(3, 2),
  MISSING_WELL_KNOWN_ATTRIBUTE(3, 3),
  ATTRIBUTE_FLAGS_ERROR(3, 4),
  ATTRIBUTE_LENGTH_ERROR(3, 5),
  INVALID_ORIGIN(3, 6),
  INVALID_NEXT_HOP(3, 8),
  OPTIONAL_ATTRIBUTE_ERROR(3, 9),
  INVALID_NETWORK_FIELD(3, 10),
  MALFORMED_AS_PATH(3, 11),
  HOLD_TIMER_EXPIRED(4, 0),
  FSM_ERROR(5, 0),
  FSM_UNEXPECTED_IN_OPEN_SENT(5, 1),
  FSM_UNEXPECTED_IN_OPEN_CONFIRM(5, 2),
  FSM_UNEXPECTED_IN_ESTABLISHED(5, 3),
  CEASE(6, 0),
  CEASE_MAX_PREFIXES(6, 1),
  CEASE_ADMIN_SHUTDOWN(6, 2),
  CEASE_PEER_DECONFIGURED(6, 3),
  CEASE_ADMIN_RESET(6, 4),
  CEASE_CONNECTION_REJECTED(6, 5),
  CEASE_CONFIG_CHANGE(6, 6),
  CEASE_CONNECTION_COLLISION(6, 7),
  CEASE_OUT_OF_RESOURCES(6, 8),
  ROUTE_REFRESH_INVALID_LENGTH(7, 1);

  private final int code;
  private final int subcode;

  BgpError(int code, int subcode) {
    this.code = code;
    this.subcode = subcode;
  }

  public int code() {
    return code;
  }

  public int subcode() {
    return subcode;
  }

  /** The enum for a received code/subcode; falls back to the code's generic entry. */
  public static BgpError of(int code, int subcode) {
    BgpError generic = null;
    for (BgpError e : values()) {
      if (e.code == code) {
        if (e.subcode == subcode) {
          return e;
        }
        if (generic == null) {
          generic = e;
        }
      }
    }
    return generic;
  }

  /** Human-readable, as logs and status show it (never bare numbers: metallb#678). */
  public String describe() {
    String group = switch (code) {
      case 1 -> "Message Header Error";
      case 2 -> "OPEN Message Error";
      case 3 -> "UPDATE Message Error";
      case 4 -> "Hold Timer Expired";
      case 5 -> "Finite State Machine Error";
      case 6 -> "Cease";
      case 7 -> "ROUTE-REFRESH Message Error";
      default -> "Error " + code;
    };
    return group + " / " + name().toLowerCase().replace('_', ' ') + " (" + code + "/" + subcode + ")";
  }
}
