package dev.vpngw.dataplane.tun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.net.NetNs;
import dev.vpngw.dataplane.packet.Ipv4;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real TUN device in a real namespace: the kernel answers an ICMP echo we write into it. */
@RequiresHost
class TunDeviceTest {

  @Test
  void kernelAnswersEchoWrittenIntoTun() throws InterruptedException {
    try (TestNetwork net = TestNetwork.create("tun")) {
      String ns = net.namespace("a");
      try (TunDevice tun = NetNs.runIn(ns, () -> TunDevice.open("vpgt0", 2))) {
        assertThat(tun.queueCount()).isEqualTo(2);
        net.exec(ns, "ip", "addr", "add", "198.18.100.1/24", "dev", "vpgt0");
        net.exec(ns, "ip", "link", "set", "vpgt0", "mtu", "1400", "up");
        assertThat(net.exec(ns, "ip", "link", "show", "vpgt0")).contains("mtu 1400");

        byte[] echo = icmpEcho(0xC6126402, 0xC6126401); // 198.18.100.2 -> 198.18.100.1
        // One reader per queue: the kernel picks the queue for the reply by flow hash.
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        for (int q = 0; q < tun.queueCount(); q++) {
          TunQueue queue = tun.queue(q);
          Thread.ofPlatform().daemon().start(() -> {
            byte[] in = new byte[2048];
            int n;
            while ((n = queue.read(in, 0, in.length)) >= 0) {
              received.add(java.util.Arrays.copyOf(in, n));
            }
          });
        }
        byte[] reply = null;
        for (int attempt = 0; attempt < 10 && reply == null; attempt++) {
          assertThat(tun.queue(0).write(echo, 0, echo.length)).isTrue();
          byte[] p;
          while (reply == null && (p = received.poll(300, TimeUnit.MILLISECONDS)) != null) {
            if (Ipv4.protocol(p, 0) == Ipv4.PROTO_ICMP && (p[20] & 0xFF) == 0) {
              reply = p;
            }
          }
        }
        assertThat(reply).as("ICMP echo reply read from the TUN").isNotNull();
        assertThat(Ipv4.src(reply, 0)).isEqualTo(0xC6126401);
        assertThat(Ipv4.dst(reply, 0)).isEqualTo(0xC6126402);
        assertThat(Ipv4.headerChecksumOk(reply, 0)).isTrue();
      }
    }
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
