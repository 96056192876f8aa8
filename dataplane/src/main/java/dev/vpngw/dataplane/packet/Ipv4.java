package dev.vpngw.dataplane.packet;

/**
 * IPv4 header access on a {@code byte[]} at an offset, allocation-free, for the packet path. Only
 * the fields the gateway needs: version, lengths, protocol, addresses, ports and checksums.
 */
public final class Ipv4 {
  public static final int PROTO_ICMP = 1;
  public static final int PROTO_TCP = 6;
  public static final int PROTO_UDP = 17;
  public static final int MIN_HEADER = 20;

  private Ipv4() {}

  public static int version(byte[] b, int off) {
    return (b[off] >>> 4) & 0xF;
  }

  public static int headerLength(byte[] b, int off) {
    return (b[off] & 0xF) * 4;
  }

  public static int totalLength(byte[] b, int off) {
    return u16(b, off + 2);
  }

  public static int protocol(byte[] b, int off) {
    return b[off + 9] & 0xFF;
  }

  public static int src(byte[] b, int off) {
    return i32(b, off + 12);
  }

  public static int dst(byte[] b, int off) {
    return i32(b, off + 16);
  }

  public static boolean isFragment(byte[] b, int off) {
    // MF set or fragment offset non-zero
    return (u16(b, off + 6) & 0x3FFF) != 0;
  }

  /**
   * A sane IPv4 packet of exactly {@code len} bytes (or carried with trailing bytes ≤ len): version 4,
   * header length ≥ 20 and within the packet, total length within the buffer.
   */
  public static boolean isValid(byte[] b, int off, int len) {
    if (len < MIN_HEADER || version(b, off) != 4) {
      return false;
    }
    int ihl = headerLength(b, off);
    int total = totalLength(b, off);
    return ihl >= MIN_HEADER && total >= ihl && total <= len;
  }

  /**
   * Stable per-flow hash of the 5-tuple (ports only for unfragmented TCP/UDP), for ECMP and queue
   * choice. Not cryptographic.
   */
  public static int flowHash(byte[] b, int off, int len) {
    int h = src(b, off) * 0x9E3779B1 ^ dst(b, off) * 0x85EBCA77 ^ protocol(b, off);
    int proto = protocol(b, off);
    int ihl = headerLength(b, off);
    if ((proto == PROTO_TCP || proto == PROTO_UDP) && !isFragment(b, off) && len >= ihl + 4) {
      h ^= i32(b, off + ihl) * 0xC2B2AE3D;
    }
    h ^= h >>> 16;
    h *= 0x7FEB352D;
    h ^= h >>> 15;
    return h;
  }

  /** Internet checksum (RFC 1071) over {@code len} bytes, folded, not complemented. */
  public static int onesComplementSum(byte[] b, int off, int len, int initial) {
    long sum = initial & 0xFFFFFFFFL;
    int i = 0;
    for (; i + 1 < len; i += 2) {
      sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
    }
    if (i < len) {
      sum += (b[off + i] & 0xFF) << 8;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return (int) sum;
  }

  /** Recomputes the IPv4 header checksum in place. */
  public static void fillHeaderChecksum(byte[] b, int off) {
    b[off + 10] = 0;
    b[off + 11] = 0;
    int sum = onesComplementSum(b, off, headerLength(b, off), 0);
    put16(b, off + 10, ~sum & 0xFFFF);
  }

  public static boolean headerChecksumOk(byte[] b, int off) {
    return onesComplementSum(b, off, headerLength(b, off), 0) == 0xFFFF;
  }

  public static int u16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  public static int i32(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
  }

  public static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  public static void put32(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }
}
