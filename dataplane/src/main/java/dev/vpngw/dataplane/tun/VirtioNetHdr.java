package dev.vpngw.dataplane.tun;

/**
 * The 10-byte {@code struct virtio_net_hdr} (include/uapi/linux/virtio_net.h) that a TUN opened
 * with {@code IFF_VNET_HDR} puts in front of every packet, read and written in place on a
 * {@code byte[]}. Multi-byte fields are little-endian (legacy virtio, native on x86-64/arm64).
 *
 * <pre>
 * u8 flags | u8 gso_type | le16 hdr_len | le16 gso_size | le16 csum_start | le16 csum_offset
 * </pre>
 *
 * A read with {@code gso_type = TCPV4} carries a TCP super-segment of up to 64 kB that the reader
 * must cut into {@code gso_size}-payload segments; {@code NEEDS_CSUM} means the transport checksum
 * at {@code csum_start + csum_offset} holds only the pseudo-header sum (CHECKSUM_PARTIAL).
 */
public final class VirtioNetHdr {
  public static final int LENGTH = 10;
  public static final int F_NEEDS_CSUM = 1;
  public static final int GSO_NONE = 0;
  public static final int GSO_TCPV4 = 1;
  public static final int GSO_UDP = 3;
  public static final int GSO_TCPV6 = 4;
  public static final int GSO_UDP_L4 = 5;
  public static final int GSO_ECN = 0x80;

  private VirtioNetHdr() {}

  public static int flags(byte[] b, int off) {
    return b[off] & 0xFF;
  }

  public static int gsoType(byte[] b, int off) {
    return b[off + 1] & 0xFF;
  }

  public static int hdrLen(byte[] b, int off) {
    return le16(b, off + 2);
  }

  public static int gsoSize(byte[] b, int off) {
    return le16(b, off + 4);
  }

  public static int csumStart(byte[] b, int off) {
    return le16(b, off + 6);
  }

  public static int csumOffset(byte[] b, int off) {
    return le16(b, off + 8);
  }

  /** A header that says "plain packet, checksums complete". */
  public static void putNone(byte[] b, int off) {
    for (int i = 0; i < LENGTH; i++) {
      b[off + i] = 0;
    }
  }

  /** A header for a coalesced TCP/IPv4 super-packet whose TCP checksum field holds the pseudo-header sum. */
  public static void putTcp4(byte[] b, int off, int ipHeaderLen, int tcpHeaderLen, int segmentSize) {
    b[off] = F_NEEDS_CSUM;
    b[off + 1] = GSO_TCPV4;
    putLe16(b, off + 2, ipHeaderLen + tcpHeaderLen);
    putLe16(b, off + 4, segmentSize);
    putLe16(b, off + 6, ipHeaderLen);
    putLe16(b, off + 8, 16);
  }

  private static int le16(byte[] b, int off) {
    return (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8);
  }

  private static void putLe16(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
  }
}
