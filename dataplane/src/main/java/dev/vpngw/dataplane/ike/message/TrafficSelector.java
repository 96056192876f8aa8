package dev.vpngw.dataplane.ike.message;

import dev.vpngw.dataplane.ike.error.InvalidSyntaxException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * One traffic selector (RFC 7296 §3.13.1): an address range, a port range and an IP protocol
 * (0 = any). Type 7 is IPv4, 8 is IPv6.
 */
public record TrafficSelector(int ipProtocol, int startPort, int endPort, InetAddress start, InetAddress end) {
  public static final int TS_IPV4_ADDR_RANGE = 7;
  public static final int TS_IPV6_ADDR_RANGE = 8;

  public TrafficSelector {
    if (start.getAddress().length != end.getAddress().length) {
      throw new IllegalArgumentException("traffic selector mixes address families: " + start + "-" + end);
    }
    if (ipProtocol < 0 || ipProtocol > 255 || startPort < 0 || endPort > 65535) {
      throw new IllegalArgumentException("traffic selector protocol/ports out of range");
    }
  }

  /** Any IPv4 address, any protocol and port: the route-based 0.0.0.0/0. */
  public static TrafficSelector anyIpv4() {
    return fromCidr("0.0.0.0/0");
  }

  /** A selector for a CIDR like "198.18.1.0/24" (all protocols and ports). */
  public static TrafficSelector fromCidr(String cidr) {
    String[] parts = cidr.trim().split("/");
    try {
      InetAddress addr = InetAddress.getByName(parts[0]);
      int bits = addr.getAddress().length * 8;
      int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : bits;
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("traffic selector '" + cidr + "': prefix length out of range");
      }
      BigInteger a = new BigInteger(1, addr.getAddress());
      BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
      BigInteger lo = a.andNot(hostMask);
      BigInteger hi = lo.or(hostMask);
      return new TrafficSelector(0, 0, 65535, toAddr(lo, bits / 8), toAddr(hi, bits / 8));
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("traffic selector '" + cidr + "': not an address/prefix", e);
    }
  }

  public boolean isIpv4() {
    return start.getAddress().length == 4;
  }

  /** The overlap of two selectors (responder narrowing, RFC 7296 §2.9), empty when disjoint. */
  public Optional<TrafficSelector> intersect(TrafficSelector o) {
    if (isIpv4() != o.isIpv4()) {
      return Optional.empty();
    }
    int proto;
    if (ipProtocol == 0) {
      proto = o.ipProtocol;
    } else if (o.ipProtocol == 0 || o.ipProtocol == ipProtocol) {
      proto = ipProtocol;
    } else {
      return Optional.empty();
    }
    int sp = Math.max(startPort, o.startPort);
    int ep = Math.min(endPort, o.endPort);
    BigInteger s = max(num(start), num(o.start));
    BigInteger e = min(num(end), num(o.end));
    if (sp > ep || s.compareTo(e) > 0) {
      return Optional.empty();
    }
    int len = start.getAddress().length;
    return Optional.of(new TrafficSelector(proto, sp, ep, toAddr(s, len), toAddr(e, len)));
  }

  void encode(WireWriter w) {
    byte[] s = start.getAddress();
    byte[] e = end.getAddress();
    w.u8(isIpv4() ? TS_IPV4_ADDR_RANGE : TS_IPV6_ADDR_RANGE).u8(ipProtocol).u16(8 + s.length * 2)
        .u16(startPort).u16(endPort).bytes(s).bytes(e);
  }

  static TrafficSelector decode(WireReader r) throws InvalidSyntaxException {
    int type = r.u8("TS.type");
    int proto = r.u8("TS.ipProtocol");
    int len = r.u16("TS.length");
    int alen = switch (type) {
      case TS_IPV4_ADDR_RANGE -> 4;
      case TS_IPV6_ADDR_RANGE -> 16;
      default -> throw new InvalidSyntaxException("TS.type: unsupported selector type " + type);
    };
    if (len != 8 + 2 * alen) {
      throw new InvalidSyntaxException("TS.length: " + len + " for type " + type);
    }
    int sp = r.u16("TS.startPort");
    int ep = r.u16("TS.endPort");
    try {
      return new TrafficSelector(proto, sp, ep, InetAddress.getByAddress(r.bytes(alen, "TS.start")),
          InetAddress.getByAddress(r.bytes(alen, "TS.end")));
    } catch (UnknownHostException e) {
      throw new InvalidSyntaxException("TS: bad address");
    }
  }

  private static BigInteger num(InetAddress a) {
    return new BigInteger(1, a.getAddress());
  }

  private static BigInteger max(BigInteger a, BigInteger b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static BigInteger min(BigInteger a, BigInteger b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static InetAddress toAddr(BigInteger v, int len) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[len];
    int copy = Math.min(raw.length, len);
    System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
    try {
      return InetAddress.getByAddress(out);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    String p = ipProtocol == 0 ? "" : "[" + ipProtocol + (startPort == 0 && endPort == 65535 ? "" : "/" + startPort + "-" + endPort) + "]";
    return start.getHostAddress() + ".." + end.getHostAddress() + p;
  }
}
