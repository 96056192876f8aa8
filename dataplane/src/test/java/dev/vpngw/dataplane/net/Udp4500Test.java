package dev.vpngw.dataplane.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Udp4500Test {
  @Test
  void classifiesMarkerKeepaliveAndEsp() {
    assertThat(Udp4500.classify(new byte[] {0, 0, 0, 0, 1, 2}, 0, 6)).isEqualTo(Udp4500.IKE);
    assertThat(Udp4500.classify(new byte[] {(byte) 0xFF}, 0, 1)).isEqualTo(Udp4500.KEEPALIVE);
    assertThat(Udp4500.classify(new byte[] {0, 0, 0, 1, 0, 0, 0, 1}, 0, 8)).isEqualTo(Udp4500.ESP);
    assertThat(Udp4500.classify(new byte[] {0, 0, 0, 0}, 0, 4)).isEqualTo(Udp4500.INVALID);
    assertThat(Udp4500.classify(new byte[] {7}, 0, 1)).isEqualTo(Udp4500.INVALID);
    assertThat(Udp4500.classify(new byte[] {1, 2}, 0, 2)).isEqualTo(Udp4500.INVALID);
    assertThat(Udp4500.classify(new byte[] {9, 0, 0, 0, 0, 7}, 1, 5)).isEqualTo(Udp4500.IKE);
  }
}
