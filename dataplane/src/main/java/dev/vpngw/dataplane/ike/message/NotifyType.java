package dev.vpngw.dataplane.ike.message;

/**
 * The NOTIFY message types this implementation names (RFC 7296 §3.10.1 and later RFCs). Types below
 * 16384 are errors. Unknown numbers are kept as numbers in {@link NotifyPayload}.
 */
public enum NotifyType {
  UNSUPPORTED_CRITICAL_PAYLOAD(1), INVALID_IKE_SPI(4), INVALID_MAJOR_VERSION(5), INVALID_SYNTAX(7),
  INVALID_MESSAGE_ID(9), INVALID_SPI(11), NO_PROPOSAL_CHOSEN(14), INVALID_KE_PAYLOAD(17),
  AUTHENTICATION_FAILED(24), SINGLE_PAIR_REQUIRED(34), NO_ADDITIONAL_SAS(35), INTERNAL_ADDRESS_FAILURE(36),
  FAILED_CP_REQUIRED(37), TS_UNACCEPTABLE(38), INVALID_SELECTORS(39), TEMPORARY_FAILURE(43),
  CHILD_SA_NOT_FOUND(44),
  INITIAL_CONTACT(16384), SET_WINDOW_SIZE(16385), ADDITIONAL_TS_POSSIBLE(16386), IPCOMP_SUPPORTED(16387),
  NAT_DETECTION_SOURCE_IP(16388), NAT_DETECTION_DESTINATION_IP(16389), COOKIE(16390),
  USE_TRANSPORT_MODE(16391), HTTP_CERT_LOOKUP_SUPPORTED(16392), REKEY_SA(16393),
  ESP_TFC_PADDING_NOT_SUPPORTED(16394), NON_FIRST_FRAGMENTS_ALSO(16395), MOBIKE_SUPPORTED(16396),
  MULTIPLE_AUTH_SUPPORTED(16404), REDIRECT_SUPPORTED(16406), FRAGMENTATION_SUPPORTED(16430),
  SIGNATURE_HASH_ALGORITHMS(16431);

  public static final int FIRST_STATUS = 16384;

  private final int value;

  NotifyType(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public boolean isError() {
    return value < FIRST_STATUS;
  }

  public static NotifyType of(int value) {
    for (NotifyType t : values()) {
      if (t.value == value) {
        return t;
      }
    }
    return null;
  }

  /** The RFC name, or "NOTIFY(n)" for numbers we do not know. */
  public static String nameOf(int value) {
    NotifyType t = of(value);
    return t != null ? t.name() : "NOTIFY(" + value + ")";
  }
}
