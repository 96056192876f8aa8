package dev.vpngw.dataplane.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.esp.Drop;
import dev.vpngw.dataplane.esp.EspEngine;
import dev.vpngw.dataplane.esp.TunnelSlots;
import dev.vpngw.dataplane.packet.EspDataPath;
import dev.vpngw.dataplane.packet.StaticForwardingLookup;
import dev.vpngw.dataplane.packet.TcpMssClamp;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import dev.vpngw.dataplane.tun.TunDevice;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The 4500 socket as IKE sees it, over real UDP in a namespace: marker-prefixed datagrams reach the
 * IKE receiver without the marker, keepalives and junk are dropped, ESP for unknown SPIs is counted,
 * and IKE/keepalives sent by the transport arrive in the right format.
 */
@RequiresHost
class EspUdpSocketNetnsTest {

  @Test
  @SuppressWarnings("try") // the keepalive sender only needs to run inside the block
  void demultiplexesIkeKeepalivesAndEsp() throws Exception {
    try (TestNetwork net = TestNetwork.create("u45")) {
      String gw = net.namespace("gw");
      String peer = net.namespace("pr");
      net.veth(gw, "198.18.3.1/30", peer, "198.18.3.2/30");
      TunDevice tun = NetNs.runIn(gw, () -> TunDevice.open("vpn0", 1));
      EspUdpSocket udp = NetNs.runIn(gw, () -> EspUdpSocket.open(new InetSocketAddress("198.18.3.1", 4500), 1));
      EspEngine engine = new EspEngine(new TunnelSlots(), 2);
      List<String> ike = new CopyOnWriteArrayList<>();
      udp.setReceiver((msg, local, remote) -> ike.add(new String(msg) + " from " + remote.getAddress().getHostAddress()));
      try (EspDataPath path = new EspDataPath(tun, udp, engine, StaticForwardingLookup.of(), new TcpMssClamp(1350));
           DatagramChannel client = NetNs.runIn(peer, () -> DatagramChannel.open(StandardProtocolFamily.INET)
               .bind(new InetSocketAddress("198.18.3.2", 4500)))) {
        path.start();
        InetSocketAddress gwAddr = new InetSocketAddress("198.18.3.1", 4500);
        client.send(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 'I', 'K', 'E'}), gwAddr);
        client.send(ByteBuffer.wrap(new byte[] {(byte) 0xFF}), gwAddr);
        client.send(ByteBuffer.wrap(new byte[] {1, 2}), gwAddr);
        byte[] esp = new byte[64];
        esp[3] = 0x33;
        client.send(ByteBuffer.wrap(esp), gwAddr);

        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> engine.drops(Drop.UNKNOWN_SPI) == 1
            && udp.keepalivesReceived() == 1 && udp.invalidReceived() == 1 && ike.size() == 1);
        assertThat(ike).containsExactly("IKE from 198.18.3.2");
        assertThat(udp.ikeReceived()).isEqualTo(1);
        assertThat(udp.espReceived()).isEqualTo(1);

        // IKE leaving through the transport carries the non-ESP marker.
        udp.send(gwAddr, new InetSocketAddress("198.18.3.2", 4500), "reply".getBytes());
        client.configureBlocking(true);
        ByteBuffer in = ByteBuffer.allocate(100);
        client.receive(in);
        assertThat(Arrays.copyOf(in.array(), in.position())).isEqualTo(new byte[] {0, 0, 0, 0, 'r', 'e', 'p', 'l', 'y'});

        // NAT keepalives: single 0xFF bytes at the configured interval.
        try (NatKeepalive ka = NatKeepalive.start(udp, new InetSocketAddress("198.18.3.2", 4500), Duration.ofMillis(50))) {
          for (int i = 0; i < 2; i++) {
            in.clear();
            client.receive(in);
            assertThat(in.position()).isEqualTo(1);
            assertThat(in.get(0)).isEqualTo((byte) 0xFF);
          }
        }
      } finally {
        engine.close();
      }
    }
  }

  /**
   * Batch sends go out from the Java array with a socket-level UDP_SEGMENT: a GSO batch arrives as
   * its datagrams, and what shares the socket afterwards — a longer single datagram, an IKE message
   * longer than the GSO size, a keepalive — arrives whole, not cut at the last GSO size.
   */
  @Test
  void socketLevelGsoDoesNotCutLaterSinglesOrIke() throws Exception {
    try (TestNetwork net = TestNetwork.create("u4g")) {
      String gw = net.namespace("gw");
      String peer = net.namespace("pr");
      net.veth(gw, "198.18.3.5/30", peer, "198.18.3.6/30");
      EspUdpSocket udp = NetNs.runIn(gw, () -> EspUdpSocket.open(new InetSocketAddress("198.18.3.5", 4500), 1));
      try (udp; DatagramChannel client = NetNs.runIn(peer, () -> DatagramChannel.open(StandardProtocolFamily.INET)
          .bind(new InetSocketAddress("198.18.3.6", 4500)))) {
        client.configureBlocking(true);
        InetSocketAddress to = new InetSocketAddress("198.18.3.6", 4500);
        EspUdpSocket.BatchSender tx = udp.sender(0);
        byte[] batch = new byte[1000];
        for (int i = 0; i < batch.length; i++) {
          batch[i] = (byte) (i / 300 + 1);
        }
        assertThat(tx.send(batch, 0, 1000, 300, to)).isZero(); // 300 + 300 + 300 + 100
        ByteBuffer in = ByteBuffer.allocate(2000);
        for (int expected : new int[] {300, 300, 300, 100}) {
          in.clear();
          client.receive(in);
          assertThat(in.position()).isEqualTo(expected);
        }
        assertThat(tx.send(batch, 0, 700, 700, to)).as("one datagram longer than the last GSO size").isZero();
        in.clear();
        client.receive(in);
        assertThat(in.position()).isEqualTo(700);
        assertThat(tx.send(batch, 0, 1000, 300, to)).isZero();
        for (int k = 0; k < 4; k++) {
          in.clear();
          client.receive(in);
        }
        byte[] ike = new byte[900];
        ike[0] = 'I';
        udp.send(null, to, ike);
        in.clear();
        client.receive(in);
        assertThat(in.position()).as("IKE after a GSO batch: marker + 900 bytes in one datagram").isEqualTo(904);
        udp.sendKeepalive(to);
        in.clear();
        client.receive(in);
        assertThat(in.position()).isEqualTo(1);
        assertThat(udp.espSent()).isEqualTo(9);
      }
    }
  }
}
