package dev.vpngw.dataplane.packet;

/**
 * Lowers the MSS option of TCP SYN and SYN-ACK segments so that TCP never sends segments that would
 * not fit through the tunnel after ESP-in-UDP overhead (Azure clamps to 1350). The TCP checksum is
 * patched incrementally (RFC 1624), so the cost is independent of the segment size. Applied in both
 * directions: to packets read from the TUN and to decrypted packets written to it.
 */
public final class TcpMssClamp {
  public static final int DEFAULT_MSS = 1350;
  private static final int SYN = 0x02;

  private final int maxMss;

  public TcpMssClamp(int maxMss) {
    if (maxMss < 536 || maxMss > 65495) {
      throw new IllegalArgumentException("tcp mss clamp " + maxMss + " must be 536..65495");
    }
    this.maxMss = maxMss;
  }

  public int maxMss() {
    return maxMss;
  }

  /**
   * Clamps in place if {@code b[off..off+len)} is an unfragmented IPv4 TCP SYN carrying a larger MSS.
   *
   * @return true if the packet was changed
   */
  public boolean apply(byte[] b, int off, int len) {
    if (len < Ipv4.MIN_HEADER + 20 || Ipv4.protocol(b, off) != Ipv4.PROTO_TCP || Ipv4.isFragment(b, off)) {
      return false;
    }
    int ihl = Ipv4.headerLength(b, off);
    int tcp = off + ihl;
    int end = off + Math.min(len, Ipv4.totalLength(b, off));
    if (tcp + 20 > end || (b[tcp + 13] & SYN) == 0) {
      return false;
    }
    int dataOffset = ((b[tcp + 12] >>> 4) & 0xF) * 4;
    int optEnd = tcp + dataOffset;
    if (dataOffset < 20 || optEnd > end) {
      return false;
    }
    int p = tcp + 20;
    while (p < optEnd) {
      int kind = b[p] & 0xFF;
      if (kind == 0) {
        return false;
      }
      if (kind == 1) {
        p++;
        continue;
      }
      if (p + 1 >= optEnd) {
        return false;
      }
      int optLen = b[p + 1] & 0xFF;
      if (optLen < 2 || p + optLen > optEnd) {
        return false;
      }
      if (kind == 2 && optLen == 4) {
        int mss = Ipv4.u16(b, p + 2);
        if (mss <= maxMss) {
          return false;
        }
        Ipv4.put16(b, p + 2, maxMss);
        int sum = Ipv4.u16(b, tcp + 16);
        // RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'); the MSS option is 16-bit aligned within TCP
        // only if p - tcp is even, otherwise the word straddles bytes; handle both.
        if (((p + 2 - tcp) & 1) == 0) {
          Ipv4.put16(b, tcp + 16, adjust(sum, mss, maxMss));
        } else {
          int oldHi = mss >>> 8;
          int oldLo = mss & 0xFF;
          int newHi = maxMss >>> 8;
          int newLo = maxMss & 0xFF;
          // Odd offset: high byte is the low byte of one word, low byte the high byte of the next.
          int s = adjust(sum, oldHi, newHi);
          s = adjust(s, oldLo << 8, newLo << 8);
          Ipv4.put16(b, tcp + 16, s);
        }
        return true;
      }
      p += optLen;
    }
    return false;
  }

  static int adjust(int checksum, int oldWord, int newWord) {
    int sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
    sum = (sum & 0xFFFF) + (sum >>> 16);
    sum = (sum & 0xFFFF) + (sum >>> 16);
    return ~sum & 0xFFFF;
  }
}
