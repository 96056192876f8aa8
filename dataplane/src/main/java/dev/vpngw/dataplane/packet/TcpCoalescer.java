package dev.vpngw.dataplane.packet;

import dev.vpngw.dataplane.tun.VirtioNetHdr;

/**
 * Receive-side GRO for the TUN: consecutive in-order TCP/IPv4 segments of one flow, decrypted from
 * one UDP batch, are merged into one super-packet and written with a {@link VirtioNetHdr} of type
 * TCPV4 ({@code gso_size} = the first segment's payload), so the kernel takes a 64 kB packet in one
 * write and re-segments only if it must. Rules follow the kernel's own TCP GRO: same addresses,
 * ports, ACK number, window, header lengths, TCP options, TOS, TTL and DF; flags ACK (PSH only
 * on the last); no IP options or fragments; sequence numbers contiguous; every segment but the
 * last exactly {@code gso_size}; each segment's checksum verified before it is merged (the merged
 * packet is handed over with NEEDS_CSUM, so the kernel would not check it again).
 *
 * <p>One instance per packet thread; nothing is allocated. Usage per received batch: {@link #offer}
 * each decrypted packet (false: flush, then write that packet alone), then {@link #frame}/
 * {@link #frameLength} after {@link #finish} to write what was merged.
 */
public final class TcpCoalescer {
  private static final int ACK = 0x10;
  private static final int PSH = 0x08;
  private static final int MAX_PACKET = 65535;

  /** Header then packet, ready for TunQueue#writeFrame. */
  private final byte[] frame = new byte[VirtioNetHdr.LENGTH + MAX_PACKET];
  private int count;
  private int length;
  private int ipLen;
  private int hdrLen;
  private int segmentSize;
  private int nextSeq;
  private boolean sealed;
  private boolean verifiedFirst;

  /** Packets merged into the pending frame (0: nothing pending). */
  public int pending() {
    return count;
  }

  /**
   * Takes the IPv4 packet {@code b[pkt..pkt+len)} (len = its total length) into the pending
   * frame: starts one if nothing is pending, else appends it if it continues the pending flow.
   *
   * @return false if it is not a candidate or does not continue the pending frame: the caller
   *     writes the pending frame ({@link #finish}) and then this packet (it may then offer the next one)
   */
  public boolean offer(byte[] b, int pkt, int len) {
    int ihl = b[pkt] & 0xF;
    if (ihl != 5 || len < 40 || Ipv4.protocol(b, pkt) != Ipv4.PROTO_TCP || Ipv4.isFragment(b, pkt)
        || Ipv4.totalLength(b, pkt) != len) {
      return false;
    }
    int t = pkt + 20;
    int tcpLen = ((b[t + 12] >>> 4) & 0xF) * 4;
    int flags = b[t + 13] & 0xFF;
    int payload = len - 20 - tcpLen;
    if (tcpLen < 20 || payload < 1 || (flags != ACK && flags != (ACK | PSH))) {
      return false;
    }
    if (count == 0) {
      start(b, pkt, len, tcpLen, payload, flags);
      return true;
    }
    if (sealed || !continues(b, pkt, t, tcpLen, payload) || length + payload > MAX_PACKET) {
      return false;
    }
    if (!verifiedFirst) {
      if (!Checksum.tcpValid(frame, VirtioNetHdr.LENGTH, length)) {
        return false; // the pending one goes out alone; the kernel will judge it
      }
      verifiedFirst = true;
    }
    if (!Checksum.tcpValid(b, pkt, len)) {
      return false;
    }
    System.arraycopy(b, pkt + hdrLen, frame, VirtioNetHdr.LENGTH + length, payload);
    length += payload;
    nextSeq += payload;
    count++;
    if (flags != ACK) {
      frame[VirtioNetHdr.LENGTH + ipLen + 13] |= PSH;
      sealed = true;
    }
    if (payload < segmentSize) {
      sealed = true;
    }
    return true;
  }

  private void start(byte[] b, int pkt, int len, int tcpLen, int payload, int flags) {
    System.arraycopy(b, pkt, frame, VirtioNetHdr.LENGTH, len);
    count = 1;
    length = len;
    ipLen = 20;
    hdrLen = 20 + tcpLen;
    segmentSize = payload;
    nextSeq = Ipv4.i32(b, pkt + 24) + payload;
    sealed = flags != ACK;
    verifiedFirst = false;
  }

  private boolean continues(byte[] b, int pkt, int t, int tcpLen, int payload) {
    byte[] f = frame;
    int h = VirtioNetHdr.LENGTH;
    if (hdrLen != 20 + tcpLen || payload > segmentSize || Ipv4.i32(b, t + 4) != nextSeq) {
      return false;
    }
    // TOS; DF/reserved bits; TTL; addresses
    if (b[pkt + 1] != f[h + 1] || (b[pkt + 6] & 0xE0) != (f[h + 6] & 0xE0) || b[pkt + 8] != f[h + 8]
        || Ipv4.i32(b, pkt + 12) != Ipv4.i32(f, h + 12) || Ipv4.i32(b, pkt + 16) != Ipv4.i32(f, h + 16)) {
      return false;
    }
    int ft = h + 20;
    // ports; ack number; data offset + window (flags compared by the caller)
    if (Ipv4.i32(b, t) != Ipv4.i32(f, ft) || Ipv4.i32(b, t + 8) != Ipv4.i32(f, ft + 8)
        || b[t + 12] != f[ft + 12] || Ipv4.u16(b, t + 14) != Ipv4.u16(f, ft + 14)) {
      return false;
    }
    for (int i = 20; i < tcpLen; i++) {
      if (b[t + i] != f[ft + i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Makes the pending frame ready to write and clears the pending state: a lone packet keeps its
   * own checksums under a "no offload" header; merged ones get the new total length, IP checksum,
   * the TCP pseudo-header sum and a TCPV4 GSO header.
   *
   * @return the frame length to write from {@link #frame()} offset 0, or 0 if nothing was pending
   */
  public int finish() {
    if (count == 0) {
      return 0;
    }
    int h = VirtioNetHdr.LENGTH;
    if (count == 1) {
      VirtioNetHdr.putNone(frame, 0);
    } else {
      Ipv4.put16(frame, h + 2, length);
      Ipv4.fillHeaderChecksum(frame, h);
      int tcpLength = length - ipLen;
      long pseudo = Checksum.pseudoHeader(Ipv4.src(frame, h), Ipv4.dst(frame, h), Ipv4.PROTO_TCP, tcpLength);
      Ipv4.put16(frame, h + ipLen + 16, Checksum.fold(pseudo));
      VirtioNetHdr.putTcp4(frame, 0, ipLen, hdrLen - ipLen, segmentSize);
    }
    int n = h + length;
    count = 0;
    return n;
  }

  /** Packets in the frame {@link #finish} just prepared (valid until the next offer). */
  public byte[] frame() {
    return frame;
  }
}
