package dev.vpngw.dataplane.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Internet checksum (RFC 1071) arithmetic for the segmentation and coalescing paths, eight bytes
 * per step: big-endian 32-bit halves are added into a 64-bit accumulator and folded at the end
 * (2^16 ≡ 1 mod 0xFFFF, so summing 32-bit words equals summing 16-bit words). Allocation-free.
 */
public final class Checksum {
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private Checksum() {}

  /** Unfolded sum of {@code len} bytes (odd tail padded with zero), plus {@code initial}. */
  public static long add(byte[] b, int off, int len, long initial) {
    long acc = initial;
    int i = off;
    int end = off + len;
    // Four independent accumulators so the adds do not wait on each other.
    long a1 = 0;
    long a2 = 0;
    long a3 = 0;
    for (; i + 16 <= end; i += 16) {
      long v = (long) LONG_BE.get(b, i);
      long w = (long) LONG_BE.get(b, i + 8);
      acc += v >>> 32;
      a1 += v & 0xFFFFFFFFL;
      a2 += w >>> 32;
      a3 += w & 0xFFFFFFFFL;
    }
    acc += a1 + a2 + a3;
    for (; i + 8 <= end; i += 8) {
      long v = (long) LONG_BE.get(b, i);
      acc += (v >>> 32) + (v & 0xFFFFFFFFL);
    }
    for (; i + 1 < end; i += 2) {
      acc += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }
    if (i < end) {
      acc += (b[i] & 0xFF) << 8;
    }
    return acc;
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
