package dev.vpngw.dataplane.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Internet checksum (RFC 1071) arithmetic for the segmentation and coalescing paths. Allocation-free.
 *
 * <p>{@link #add} reads the data as little-endian 32-bit words (the machine's own order on x86 and
 * aarch64, so no byte swap per load) into one 64-bit accumulator in a plain counted loop, which
 * C2 turns into a vectorised reduction (≈ 6× the scalar 16-bit loop per 1,400 bytes). The sum is
 * byte-order independent (RFC 1071 §2(B)): summing in little-endian order and swapping the bytes
 * of the folded result gives the big-endian sum, and 2^16 ≡ 1 (mod 0xFFFF) lets 32-bit words
 * stand in for pairs of 16-bit words.
 */
public final class Checksum {
  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private Checksum() {}

  /** Unfolded sum of {@code len} bytes (odd tail padded with zero), plus {@code initial}. */
  public static long add(byte[] b, int off, int len, long initial) {
    int words = len >>> 2;
    long acc = 0;
    // Keep this loop exactly this shape: a counted int loop with one reduction is what C2 vectorises.
    for (int k = 0; k < words; k++) {
      acc += (int) INT_LE.get(b, off + 4 * k) & 0xFFFFFFFFL;
    }
    int i = off + 4 * words;
    int end = off + len;
    if (i + 1 < end) {
      acc += ((b[i + 1] & 0xFF) << 8) | (b[i] & 0xFF);
      i += 2;
    }
    if (i < end) {
      acc += b[i] & 0xFF;
    }
    int le = fold(acc);
    return initial + (((le & 0xFF) << 8) | (le >>> 8));
  }

  /** Unfolded IPv4 pseudo-header sum (RFC 793/768): addresses, protocol, transport length. */
  public static long pseudoHeader(int src, int dst, int protocol, int transportLength) {
    return (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + protocol + transportLength;
  }

  /** Folds an unfolded sum to 16 bits (not complemented). */
  public static int fold(long sum) {
    long s = (sum & 0xFFFFFFFFL) + (sum >>> 32);
    s = (s & 0xFFFF) + (s >>> 16);
    s = (s & 0xFFFF) + (s >>> 16);
    s = (s & 0xFFFF) + (s >>> 16);
    return (int) s;
  }

  /** The value for a checksum field: complement of the folded sum, 0 written as 0xFFFF (RFC 768). */
  public static int field(long sum) {
    int c = ~fold(sum) & 0xFFFF;
    return c == 0 ? 0xFFFF : c;
  }

  /**
   * Completes a CHECKSUM_PARTIAL packet (virtio NEEDS_CSUM): the field at {@code start + offset}
   * holds the pseudo-header sum; the checksum covers {@code start} to the end of the packet.
   *
   * @return false if start/offset do not fit the packet
   */
  public static boolean completePartial(byte[] b, int pkt, int len, int start, int offset) {
    int field = start + offset;
    if (start < Ipv4.MIN_HEADER || field + 2 > len) {
      return false;
    }
    Ipv4.put16(b, pkt + field, field(add(b, pkt + start, len - start, 0)));
    return true;
  }

  /** Verifies the TCP checksum of the IPv4 packet at {@code pkt} (total length {@code len}). */
  public static boolean tcpValid(byte[] b, int pkt, int len) {
    int ihl = Ipv4.headerLength(b, pkt);
    long sum = pseudoHeader(Ipv4.src(b, pkt), Ipv4.dst(b, pkt), Ipv4.PROTO_TCP, len - ihl);
    return fold(add(b, pkt + ihl, len - ihl, sum)) == 0xFFFF;
  }
}
