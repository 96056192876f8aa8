package dev.vpngw.dataplane.ike.message;

/** IKEv2 payload type numbers (RFC 7296 §3.2, RFC 7383 for SKF). */
public enum PayloadType {
  NONE(0), SA(33), KE(34), IDI(35), IDR(36), CERT(37), CERTREQ(38), AUTH(39), NONCE(40), NOTIFY(41),
  DELETE(42), VENDOR(43), TSI(44), TSR(45), SK(46), CP(47), EAP(48), SKF(53);

  private final int value;

  PayloadType(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  /** The type for a wire number, or null when this implementation does not know it. */
  public static PayloadType of(int value) {
    for (PayloadType t : values()) {
      if (t.value == value) {
        return t;
      }
    }
    return null;
  }
}
