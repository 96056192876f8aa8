package dev.vpngw.dataplane.packet;

/**
 * Cuts a TCP/IPv4 super-segment (what a TSO-enabled TUN hands over, up to 64 kB) into ordinary
 * segments, in place and without allocating: segment {@code i}'s IP and TCP headers are written
 * right in front of its payload, over the tail of segment {@code i-1}, which the caller has already
 * encrypted out of place. Per segment: IP total length, id (+i) and header checksum, TCP sequence
 * number, flags (FIN/PSH only on the last, CWR only on the first) and a full TCP checksum.
 *
 * <pre>{@code
 * if (seg.begin(b, pkt, len, Math.min(gsoSize, clamp.maxMss()))) {
 *   while (seg.hasNext()) { seg.next(pb); ... encrypt pb out of place ... }
 * }
 * }</pre>
 */
public final class TcpSegmenter {
  private static final int FIN = 0x01;
  private static final int PSH = 0x08;
  private static final int CWR = 0x80;

  /** The original IP + TCP headers (each at most 60 bytes). */
  private final byte[] headers = new byte[120];
  private byte[] b;
  private int end;
  private int ipLen;
  private int hdrLen;
  private int payloadPerSegment;
  private int nextPayload;
  private int index;
  private int seq0;
  private int id0;
  private int flags0;
  private int src;
  private int dst;

  /**
   * Starts on the packet at {@code b[pkt..pkt+len)}.
   *
   * @param payloadPerSegment TCP payload bytes per segment (the GSO size, capped by the MSS clamp)
   * @return false if it is not an unfragmented TCP/IPv4 packet with sane header lengths
   */
  public boolean begin(byte[] b, int pkt, int len, int payloadPerSegment) {
    if (payloadPerSegment < 1 || !Ipv4.isValid(b, pkt, len) || Ipv4.protocol(b, pkt) != Ipv4.PROTO_TCP
        || Ipv4.isFragment(b, pkt)) {
      return false;
    }
    int total = Ipv4.totalLength(b, pkt);
    int ihl = Ipv4.headerLength(b, pkt);
    if (ihl + 20 > total) {
      return false;
    }
    int tcpLen = ((b[pkt + ihl + 12] >>> 4) & 0xF) * 4;
    if (tcpLen < 20 || ihl + tcpLen > total) {
      return false;
    }
    this.b = b;
    this.ipLen = ihl;
    this.hdrLen = ihl + tcpLen;
    this.payloadPerSegment = payloadPerSegment;
    this.end = pkt + total;
    this.nextPayload = pkt + hdrLen;
    this.index = 0;
    this.seq0 = Ipv4.i32(b, pkt + ihl + 4);
    this.id0 = Ipv4.u16(b, pkt + 4);
    this.flags0 = b[pkt + ihl + 13] & 0xFF;
    this.src = Ipv4.src(b, pkt);
    this.dst = Ipv4.dst(b, pkt);
    System.arraycopy(b, pkt, headers, 0, hdrLen);
    return true;
  }

  /** True while segments remain (a header-only packet yields one segment). */
  public boolean hasNext() {
    return nextPayload < end || index == 0;
  }

  /** Builds the next segment in place and points {@code pb} at it. */
  public void next(PacketBuffer pb) {
    int payload = nextPayload;
    int n = Math.min(payloadPerSegment, end - payload);
    boolean last = payload + n >= end;
    int p = payload - hdrLen;
    if (index > 0) {
      System.arraycopy(headers, 0, b, p, hdrLen);
    }
    Ipv4.put16(b, p + 2, hdrLen + n);
    Ipv4.put16(b, p + 4, id0 + index);
    Ipv4.fillHeaderChecksum(b, p);
    int t = p + ipLen;
    Ipv4.put32(b, t + 4, seq0 + index * payloadPerSegment);
    int f = flags0;
    if (!last) {
      f &= ~(FIN | PSH);
    }
    if (index > 0) {
      f &= ~CWR;
    }
    b[t + 13] = (byte) f;
    b[t + 16] = 0;
    b[t + 17] = 0;
    int tcpLen = hdrLen - ipLen + n;
    Ipv4.put16(b, t + 16, Checksum.field(Checksum.add(b, t, tcpLen,
        Checksum.pseudoHeader(src, dst, Ipv4.PROTO_TCP, tcpLen))));
    pb.set(p, hdrLen + n);
    index++;
    nextPayload = payload + n;
  }

  /** Segments produced so far. */
  public int produced() {
    return index;
  }
}
