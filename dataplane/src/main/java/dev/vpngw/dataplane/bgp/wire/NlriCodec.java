package dev.vpngw.dataplane.bgp.wire;

import dev.vpngw.dataplane.routing.IpPrefix;
import dev.vpngw.dataplane.routing.Ipv4Prefix;
import dev.vpngw.dataplane.routing.Ipv6Prefix;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Prefix encoding shared by withdrawn routes, NLRI and MP_(UN)REACH (RFC 4271 §4.3). */
public final class NlriCodec {
  private NlriCodec() {}

  /** Reads IPv4 prefixes until {@code end}; a malformed field resets the session (RFC 7606 §5.3). */
  public static List<Ipv4Prefix> decodeIpv4(ByteBuffer in, int end, String field) throws BgpProtocolException {
    List<Ipv4Prefix> out = new ArrayList<>();
    while (in.position() < end) {
      int len = in.get() & 0xff;
      if (len > 32) {
        throw new BgpProtocolException(BgpError.INVALID_NETWORK_FIELD, field + ": prefix length " + len + " > 32");
      }
      int bytes = (len + 7) / 8;
      if (in.position() + bytes > end) {
        throw new BgpProtocolException(BgpError.INVALID_NETWORK_FIELD, field + ": prefix overruns the field");
      }
      int a = 0;
      for (int i = 0; i < 4; i++) {
        a = (a << 8) | (i < bytes ? in.get() & 0xff : 0);
      }
      out.add(Ipv4Prefix.of(a, len));
    }
    return out;
  }

  public static List<IpPrefix> decodeIpv6(ByteBuffer in, int end, String field) throws BgpProtocolException {
    List<IpPrefix> out = new ArrayList<>();
    while (in.position() < end) {
      int len = in.get() & 0xff;
      if (len > 128) {
        throw new BgpProtocolException(BgpError.INVALID_NETWORK_FIELD, field + ": IPv6 prefix length " + len + " > 128");
      }
      int bytes = (len + 7) / 8;
      if (in.position() + bytes > end) {
        throw new BgpProtocolException(BgpError.INVALID_NETWORK_FIELD, field + ": IPv6 prefix overruns the field");
      }
      byte[] a = new byte[16];
      in.get(a, 0, bytes);
      // Clear host bits in the last byte so the record's invariant holds.
      if (len % 8 != 0) {
        a[bytes - 1] &= (byte) (0xff << (8 - len % 8));
      }
      out.add(Ipv6Prefix.fromBytes(a, len));
    }
    return out;
  }

  public static int encodedLength(IpPrefix p) {
    return 1 + (p.length() + 7) / 8;
  }

  public static void encode(IpPrefix p, ByteBuffer out) {
    int bytes = (p.length() + 7) / 8;
    out.put((byte) p.length());
    switch (p) {
      case Ipv4Prefix v4 -> {
        for (int i = 0; i < bytes; i++) {
          out.put((byte) (v4.address() >>> (24 - 8 * i)));
        }
      }
      case Ipv6Prefix v6 -> out.put(v6.toBytes(), 0, bytes);
    }
  }
}
