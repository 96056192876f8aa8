package dev.vpngw.dataplane.bgp.attr;

/**
 * What decoding and encoding depend on: whether both sides negotiated 4-octet ASNs (RFC 6793)
 * and whether the peer is external (eBGP ignores a received LOCAL_PREF, RFC 7606 §7.5).
 */
public record AttributeContext(boolean fourOctetAs, boolean ebgp) {
  public static final AttributeContext DEFAULT = new AttributeContext(true, true);
}
