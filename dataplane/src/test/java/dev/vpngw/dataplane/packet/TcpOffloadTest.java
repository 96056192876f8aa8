package dev.vpngw.dataplane.packet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.tun.VirtioNetHdr;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Userspace TSO and GRO: a 64 kB TCP super-segment cut by {@link TcpSegmenter} gives valid,
 * correctly numbered segments, and {@link TcpCoalescer} puts them back into the same bytes with a
 * TCPV4 offload header. Checked against a byte-at-a-time reference checksum.
 */
class TcpOffloadTest {
  static final int SRC = 0xC6120102;
  static final int DST = 0xC6120202;
  static final int SEQ = 0xFFFF0000; // wraps within the super-segment

  /** A TCP/IPv4 packet with timestamps, ACK|PSH|FIN as given, payload random; checksum partial or full. */
  static byte[] superSegment(int payload, int flags, boolean fullChecksum, long seed) {
    int tcpLen = 32;
    byte[] p = new byte[20 + tcpLen + payload];
    p[0] = 0x45;
    Ipv4.put16(p, 2, p.length);
    Ipv4.put16(p, 4, 0xFFFE);
    p[6] = 0x40; // DF
    p[8] = 64;
    p[9] = (byte) Ipv4.PROTO_TCP;
    Ipv4.put32(p, 12, SRC);
    Ipv4.put32(p, 16, DST);
    Ipv4.fillHeaderChecksum(p, 0);
    Ipv4.put16(p, 20, 40000);
    Ipv4.put16(p, 22, 5201);
    Ipv4.put32(p, 24, SEQ);
    Ipv4.put32(p, 28, 0x11223344);
    p[32] = (byte) ((tcpLen / 4) << 4);
    p[33] = (byte) flags;
    Ipv4.put16(p, 34, 502);
    p[40] = 1;
    p[41] = 1;
    p[42] = 8;
    p[43] = 10;
    Ipv4.put32(p, 44, 123456);
    Ipv4.put32(p, 48, 654321);
    byte[] data = new byte[payload];
    new Random(seed).nextBytes(data);
    System.arraycopy(data, 0, p, 52, payload);
    if (fullChecksum) {
      Ipv4.put16(p, 36, referenceTcpChecksum(p, 0, p.length));
    }
    return p;
  }

  /** Byte-at-a-time RFC 1071 over pseudo-header + TCP, for comparison. */
  static int referenceTcpChecksum(byte[] p, int off, int len) {
    int ihl = Ipv4.headerLength(p, off);
    byte[] pseudo = new byte[12];
    System.arraycopy(p, off + 12, pseudo, 0, 8);
    pseudo[9] = (byte) Ipv4.PROTO_TCP;
    Ipv4.put16(pseudo, 10, len - ihl);
    byte[] copy = Arrays.copyOfRange(p, off, off + len);
    copy[ihl + 16] = 0;
    copy[ihl + 17] = 0;
    int sum = Ipv4.onesComplementSum(pseudo, 0, 12, 0);
    sum = Ipv4.onesComplementSum(copy, ihl, len - ihl, sum);
    int c = ~sum & 0xFFFF;
    return c == 0 ? 0xFFFF : c;
  }

  @Test
  void fastChecksumMatchesReference() {
    Random r = new Random(1);
    for (int len = 0; len < 300; len++) {
      byte[] b = new byte[len + 7];
      r.nextBytes(b);
      int off = len % 7;
      assertThat(Checksum.fold(Checksum.add(b, off, len, 0))).as("len %d", len)
          .isEqualTo(Ipv4.onesComplementSum(b, off, len, 0));
    }
  }

  @Test
  void segmentsSuperSegmentIntoValidNumberedPackets() {
    int mss = 1338;
    int payload = 48 * mss + 100;
    byte[] original = superSegment(payload, 0x19, false, 7); // ACK|PSH|FIN
    byte[] buf = new byte[64 + original.length + 64];
    System.arraycopy(original, 0, buf, 64, original.length);
    TcpSegmenter seg = new TcpSegmenter();
    assertThat(seg.begin(buf, 64, original.length, mss)).isTrue();
    PacketBuffer pb = new PacketBuffer();
    byte[] rebuilt = new byte[payload];
    int got = 0;
    int i = 0;
    while (seg.hasNext()) {
      seg.next(pb);
      int p = pb.offset;
      int len = pb.length;
      int n = len - 52;
      boolean last = got + n == payload;
      assertThat(n).isEqualTo(last ? 100 : mss);
      assertThat(Ipv4.totalLength(buf, p)).isEqualTo(len);
      assertThat(Ipv4.headerChecksumOk(buf, p)).isTrue();
      assertThat(Ipv4.u16(buf, p + 4)).isEqualTo((0xFFFE + i) & 0xFFFF);
      assertThat(Ipv4.i32(buf, p + 24)).isEqualTo(SEQ + got);
      assertThat(buf[p + 33] & 0xFF).isEqualTo(last ? 0x19 : 0x10);
      assertThat(Ipv4.u16(buf, p + 36)).isEqualTo(referenceTcpChecksum(buf, p, len));
      assertThat(Checksum.tcpValid(buf, p, len)).isTrue();
      assertThat(Arrays.copyOfRange(buf, p + 40, p + 52)).isEqualTo(Arrays.copyOfRange(original, 40, 52));
      System.arraycopy(buf, p + 52, rebuilt, got, n);
      got += n;
      i++;
    }
    assertThat(i).isEqualTo(49);
    assertThat(rebuilt).isEqualTo(Arrays.copyOfRange(original, 52, original.length));
  }

  @Test
  void coalescesSegmentsBackIntoOneGsoFrame() {
    int mss = 1338;
    int payload = 20 * mss + 5;
    byte[] original = superSegment(payload, 0x18, false, 9); // ACK|PSH on the last
    byte[] buf = new byte[64 + original.length + 64];
    System.arraycopy(original, 0, buf, 64, original.length);
    TcpSegmenter seg = new TcpSegmenter();
    assertThat(seg.begin(buf, 64, original.length, mss)).isTrue();
    PacketBuffer pb = new PacketBuffer();
    TcpCoalescer gro = new TcpCoalescer();
    int packets = 0;
    while (seg.hasNext()) {
      seg.next(pb);
      byte[] copy = Arrays.copyOfRange(buf, pb.offset, pb.offset + pb.length);
      assertThat(gro.offer(copy, 0, copy.length)).isTrue();
      packets++;
    }
    assertThat(gro.pending()).isEqualTo(21);
    int n = gro.finish();
    byte[] f = gro.frame();
    int h = VirtioNetHdr.LENGTH;
    assertThat(n).isEqualTo(h + original.length);
    assertThat(VirtioNetHdr.gsoType(f, 0)).isEqualTo(VirtioNetHdr.GSO_TCPV4);
    assertThat(VirtioNetHdr.gsoSize(f, 0)).isEqualTo(mss);
    assertThat(VirtioNetHdr.flags(f, 0)).isEqualTo(VirtioNetHdr.F_NEEDS_CSUM);
    assertThat(VirtioNetHdr.csumStart(f, 0)).isEqualTo(20);
    assertThat(VirtioNetHdr.csumOffset(f, 0)).isEqualTo(16);
    assertThat(VirtioNetHdr.hdrLen(f, 0)).isEqualTo(52);
    assertThat(Ipv4.totalLength(f, h)).isEqualTo(original.length);
    assertThat(Ipv4.headerChecksumOk(f, h)).isTrue();
    assertThat(Arrays.copyOfRange(f, h + 52, n)).isEqualTo(Arrays.copyOfRange(original, 52, original.length));
    assertThat(f[h + 33]).isEqualTo((byte) 0x18);
    // Completing the partial checksum as the kernel would gives the packet's real checksum.
    byte[] done = Arrays.copyOfRange(f, h, n);
    assertThat(Checksum.completePartial(done, 0, done.length, 20, 16)).isTrue();
    assertThat(Checksum.tcpValid(done, 0, done.length)).isTrue();
    assertThat(packets).isEqualTo(21);
  }

  @Test
  void refusesWhatKernelGroWouldNotMerge() {
    TcpCoalescer gro = new TcpCoalescer();
    byte[] a = superSegment(1000, 0x10, true, 1);
    assertThat(gro.offer(a, 0, a.length)).isTrue();
    byte[] gap = superSegment(1000, 0x10, true, 2);
    Ipv4.put32(gap, 24, SEQ + 1001); // not contiguous
    Ipv4.put16(gap, 36, referenceTcpChecksum(gap, 0, gap.length));
    assertThat(gro.offer(gap, 0, gap.length)).isFalse();
    byte[] bigger = superSegment(1200, 0x10, true, 3);
    Ipv4.put32(bigger, 24, SEQ + 1000);
    Ipv4.put16(bigger, 36, referenceTcpChecksum(bigger, 0, bigger.length));
    assertThat(gro.offer(bigger, 0, bigger.length)).as("larger than gso_size").isFalse();
    byte[] corrupt = superSegment(1000, 0x10, true, 4);
    Ipv4.put32(corrupt, 24, SEQ + 1000);
    assertThat(gro.offer(corrupt, 0, corrupt.length)).as("bad checksum").isFalse();
    byte[] syn = superSegment(10, 0x12, true, 5);
    assertThat(gro.offer(syn, 0, syn.length)).as("SYN").isFalse();
    byte[] next = superSegment(1000, 0x10, true, 6);
    Ipv4.put32(next, 24, SEQ + 1000);
    Ipv4.put16(next, 36, referenceTcpChecksum(next, 0, next.length));
    assertThat(gro.offer(next, 0, next.length)).isTrue();
    assertThat(gro.pending()).isEqualTo(2);
    // a lone packet goes out untouched with a "no offload" header
    gro.finish();
    assertThat(gro.offer(a, 0, a.length)).isTrue();
    int n = gro.finish();
    assertThat(VirtioNetHdr.gsoType(gro.frame(), 0)).isEqualTo(VirtioNetHdr.GSO_NONE);
    assertThat(Arrays.copyOfRange(gro.frame(), VirtioNetHdr.LENGTH, n)).isEqualTo(a);
  }

  @Test
  void completesPartialChecksumFromPseudoHeaderSum() {
    byte[] p = superSegment(777, 0x18, true, 11);
    int expected = Ipv4.u16(p, 36);
    long pseudo = Checksum.pseudoHeader(SRC, DST, Ipv4.PROTO_TCP, p.length - 20);
    Ipv4.put16(p, 36, Checksum.fold(pseudo));
    assertThat(Checksum.completePartial(p, 0, p.length, 20, 16)).isTrue();
    assertThat(Ipv4.u16(p, 36)).isEqualTo(expected);
    assertThat(Checksum.completePartial(p, 0, p.length, 20, p.length)).as("offset past the end").isFalse();
  }
}
