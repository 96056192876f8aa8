package dev.vpngw.crds.validation;

/** The CamelCase reasons {@link TopologyValidator} reports (usable as condition reasons). */
public final class Reasons {
  private Reasons() {}

  public static final String VIRTUAL_NETWORK_GATEWAY_NOT_FOUND = "VirtualNetworkGatewayNotFound";
  public static final String LOCAL_NETWORK_GATEWAY_NOT_FOUND = "LocalNetworkGatewayNotFound";
  public static final String REFERENCE_MISSING = "ReferenceMissing";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String SECRET_KEY_NOT_FOUND = "SecretKeyNotFound";
  public static final String SHARED_KEY_INVALID = "SharedKeyInvalid";
  public static final String SKU_LIMIT_EXCEEDED = "SkuLimitExceeded";
  public static final String ADDRESS_SPACE_OVERLAP = "AddressSpaceOverlap";
  public static final String INVALID_PREFIX = "InvalidPrefix";
  public static final String CUSTOM_POLICY_NOT_SUPPORTED = "CustomPolicyNotSupported";
  public static final String CONNECTION_PROTOCOL_NOT_SUPPORTED = "ConnectionProtocolNotSupported";
  public static final String CONNECTION_TYPE_NOT_SUPPORTED = "ConnectionTypeNotSupported";
  public static final String CONNECTION_MODE_NOT_SUPPORTED = "ConnectionModeNotSupported";
  public static final String BGP_NOT_SUPPORTED = "BgpNotSupported";
  public static final String ACTIVE_ACTIVE_NOT_SUPPORTED = "ActiveActiveNotSupported";
  public static final String BGP_NOT_ENABLED_ON_GATEWAY = "BgpNotEnabledOnGateway";
  public static final String BGP_SETTINGS_MISSING = "BgpSettingsMissing";
  public static final String ASN_CONFLICT = "AsnConflict";
  public static final String APIPA_ADDRESS_REQUIRED = "ApipaAddressRequired";
  public static final String BGP_PEERING_ADDRESS_CONFLICT = "BgpPeeringAddressConflict";
  public static final String CUSTOM_BGP_IP_ADDRESS_NOT_FOUND = "CustomBgpIpAddressNotFound";
  public static final String INSTANCE_NOT_FOUND = "InstanceNotFound";
  public static final String TRAFFIC_SELECTOR_OUTSIDE_ADDRESS_SPACE = "TrafficSelectorOutsideAddressSpace";
  public static final String PEER_ADDRESS_CONFLICT = "PeerAddressConflict";
  public static final String DUPLICATE_CONNECTION = "DuplicateConnection";
  public static final String IPSEC_POLICY_MISMATCH = "IpsecPolicyMismatch";
  public static final String SHARED_KEY_MISMATCH = "SharedKeyMismatch";
}
