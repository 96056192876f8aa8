package dev.vpngw.dataplane.tun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.net.NetNs;
import dev.vpngw.dataplane.packet.Ipv4;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import org.junit.jupiter.api.Test;

/** A real TUN device in a real namespace: the kernel answers an ICMP echo we write into it. */
@RequiresHost
class TunDeviceTest {

  @Test
  void kernelAnswersEchoWrittenIntoTun() {
    try (TestNetwork net = TestNetwork.create("tun")) {
      String ns = net.namespace("a");
      try (TunDevice tun = NetNs.runIn(ns, () -> TunDevice.open("vpgt0", 2))) {
        assertThat(tun.queueCount()).isEqualTo(2);
        net.exec(ns, "ip", "addr", "add", "198.18.100.1/24", "dev", "vpgt0");
        net.exec(ns, "ip", "link", "set", "vpgt0", "mtu", "1400", "up");
        assertThat(net.exec(ns, "ip", "link", "show", "vpgt0")).contains("mtu 1400");

        byte[] echo = icmpEcho(0xC6126402, 0xC6126401); // 198.18.100.2 -> 198.18.100.1
        byte[] in = new byte[2048];
        boolean answered = false;
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (!answered && System.nanoTime() < deadline) {
          assertThat(tun.queue(0).write(echo, 0, echo.length)).isTrue();
          // The reply may come out of either queue (the kernel picks by flow hash).
          for (int q = 0; q < 2 && !answered; q++) {
            int n = readWithTimeout(tun.queue(q), in);
            if (n > 0 && Ipv4.protocol(in, 0) == Ipv4.PROTO_ICMP && (in[20] & 0xFF) == 0) {
              assertThat(Ipv4.src(in, 0)).isEqualTo(0xC6126401);
              assertThat(Ipv4.dst(in, 0)).isEqualTo(0xC6126402);
              answered = true;
            }
          }
        }
        assertThat(answered).as("ICMP echo reply read from the TUN").isTrue();
      }
    }
  }

  private static int readWithTimeout(TunQueue q, byte[] in) {
    // read() blocks; run it on a helper thread and give up after a short time.
    int[] result = {-1};
    Thread t = Thread.ofPlatform().start(() -> result[0] = q.read(in, 0, in.length));
    try {
      t.join(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      // leave it blocked; it exits when the device closes
      return -1;
    }
    return result[0];
  }

  static byte[] icmpEcho(int src, int dst) {
    byte[] p = new byte[28];
    p[0] = 0x45;
    Ipv4.put16(p, 2, p.length);
    p[8] = 64;
    p[9] = (byte) Ipv4.PROTO_ICMP;
    Ipv4.put32(p, 12, src);
    Ipv4.put32(p, 16, dst);
    Ipv4.fillHeaderChecksum(p, 0);
    p[20] = 8; // echo request
    Ipv4.put16(p, 24, 0x1234);
    Ipv4.put16(p, 26, 1);
    int sum = Ipv4.onesComplementSum(p, 20, 8, 0);
    Ipv4.put16(p, 22, ~sum & 0xFFFF);
    return p;
  }
}
