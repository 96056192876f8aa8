package dev.vpngw.dataplane.bgp.wire;

/** AFI/SAFI pair (RFC 4760). */
public record AddressFamily(int afi, int safi) {
  public static final int AFI_IPV4 = 1;
  public static final int AFI_IPV6 = 2;
  public static final int SAFI_UNICAST = 1;
  public static final AddressFamily IPV4_UNICAST = new AddressFamily(AFI_IPV4, SAFI_UNICAST);
  public static final AddressFamily IPV6_UNICAST = new AddressFamily(AFI_IPV6, SAFI_UNICAST);

  @Override
  public String toString() {
    if (equals(IPV4_UNICAST)) {
      return "ipv4-unicast";
    }
    if (equals(IPV6_UNICAST)) {
      return "ipv6-unicast";
    }
    return "afi" + afi + "/safi" + safi;
  }
}
