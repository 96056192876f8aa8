package dev.vpngw.dataplane.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TcpMssClampTest {

  /** IPv4 TCP segment with the given flags and options; checksums valid. */
  static byte[] tcp(int flags, byte[] options) {
    int tcpLen = 20 + options.length;
    byte[] p = new byte[20 + tcpLen];
    p[0] = 0x45;
    Ipv4.put16(p, 2, p.length);
    p[8] = 64;
    p[9] = (byte) Ipv4.PROTO_TCP;
    Ipv4.put32(p, 12, 0xC6120102);
    Ipv4.put32(p, 16, 0xC6120202);
    Ipv4.fillHeaderChecksum(p, 0);
    Ipv4.put16(p, 20, 40000);
    Ipv4.put16(p, 22, 5201);
    Ipv4.put32(p, 24, 0x01020304);
    p[32] = (byte) ((tcpLen / 4) << 4);
    p[33] = (byte) flags;
    Ipv4.put16(p, 34, 64240);
    System.arraycopy(options, 0, p, 40, options.length);
    Ipv4.put16(p, 36, tcpChecksum(p));
    return p;
  }

  static int tcpChecksum(byte[] p) {
    int tcpLen = p.length - 20;
    byte[] pseudo = new byte[12];
    System.arraycopy(p, 12, pseudo, 0, 8);
    pseudo[9] = (byte) Ipv4.PROTO_TCP;
    Ipv4.put16(pseudo, 10, tcpLen);
    byte[] copy = p.clone();
    copy[36] = 0;
    copy[37] = 0;
    int sum = Ipv4.onesComplementSum(pseudo, 0, 12, 0);
    sum = Ipv4.onesComplementSum(copy, 20, tcpLen, sum);
    return ~sum & 0xFFFF;
  }

  @Test
  void clampsSynMssAndKeepsChecksumValid() {
    byte[] syn = tcp(0x02, new byte[] {2, 4, 0x05, (byte) 0xb4, 1, 1, 4, 2}); // MSS 1460, NOP NOP SACK-perm
    assertThat(new TcpMssClamp(1350).apply(syn, 0, syn.length)).isTrue();
    assertThat(Ipv4.u16(syn, 42)).isEqualTo(1350);
    assertThat(Ipv4.u16(syn, 36)).isEqualTo(tcpChecksum(syn));
  }

  @Test
  void clampsMssAtOddOffsetAndSynAck() {
    byte[] synAck = tcp(0x12, new byte[] {1, 2, 4, 0x23, 0x28, 1, 1, 0}); // NOP, MSS 9000 at odd offset
    assertThat(new TcpMssClamp(1350).apply(synAck, 0, synAck.length)).isTrue();
    assertThat(Ipv4.u16(synAck, 43)).isEqualTo(1350);
    assertThat(Ipv4.u16(synAck, 36)).isEqualTo(tcpChecksum(synAck));
  }

  @Test
  void leavesSmallerMssNonSynAndGarbageAlone() {
    TcpMssClamp clamp = new TcpMssClamp(TcpMssClamp.DEFAULT_MSS);
    byte[] small = tcp(0x02, new byte[] {2, 4, 0x04, 0x00});
    assertThat(clamp.apply(small, 0, small.length)).isFalse();
    byte[] ack = tcp(0x10, new byte[] {2, 4, 0x05, (byte) 0xb4});
    assertThat(clamp.apply(ack, 0, ack.length)).isFalse();
    byte[] bad = tcp(0x02, new byte[] {2, 40, 0x05, (byte) 0xb4}); // option length past the header
    assertThat(clamp.apply(bad, 0, bad.length)).isFalse();
    byte[] zeroLen = tcp(0x02, new byte[] {3, 0, 0, 0});
    assertThat(clamp.apply(zeroLen, 0, zeroLen.length)).isFalse();
    assertThat(clamp.apply(new byte[10], 0, 10)).isFalse();
    assertThatThrownBy(() -> new TcpMssClamp(100)).hasMessageContaining("536");
  }
}
