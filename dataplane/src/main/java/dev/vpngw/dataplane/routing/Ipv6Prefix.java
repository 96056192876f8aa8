package dev.vpngw.dataplane.routing;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * An IPv6 prefix (high/low 64-bit halves, host bits zero). The speaker decodes and carries IPv6
 * NLRI through MP_REACH/MP_UNREACH; the IPv6 FIB comes with IPv6 tunnels.
 */
public record Ipv6Prefix(long high, long low, int length) implements IpPrefix {
  public Ipv6Prefix {
    if (length < 0 || length > 128) {
      throw new IllegalArgumentException("IPv6 prefix length " + length + " out of 0..128");
    }
    long mh = length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    long ml = length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    if ((high & ~mh) != 0 || (low & ~ml) != 0) {
      throw new IllegalArgumentException("IPv6 prefix /" + length + " has host bits set");
    }
  }

  public static Ipv6Prefix fromBytes(byte[] sixteen, int length) {
    ByteBuffer b = ByteBuffer.wrap(sixteen);
    return new Ipv6Prefix(b.getLong(), b.getLong(), length);
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(16).putLong(high).putLong(low).array();
  }

  public static Ipv6Prefix parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("IPv6 prefix '" + text + "' lacks '/length'");
    }
    try {
      // A literal with ':' is never resolved through DNS.
      InetAddress a = InetAddress.getByName(text.substring(0, slash));
      if (!(a instanceof Inet6Address)) {
        throw new IllegalArgumentException("'" + text + "' is not an IPv6 prefix");
      }
      return fromBytes(a.getAddress(), Integer.parseInt(text.substring(slash + 1)));
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("IPv6 prefix '" + text + "' is malformed");
    }
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(toBytes()).getHostAddress() + "/" + length;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
