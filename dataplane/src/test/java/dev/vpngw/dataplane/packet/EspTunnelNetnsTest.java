package dev.vpngw.dataplane.packet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.esp.Drop;
import dev.vpngw.dataplane.esp.EspEngine;
import dev.vpngw.dataplane.esp.EspSaParams;
import dev.vpngw.dataplane.esp.EspSaParams.Direction;
import dev.vpngw.dataplane.esp.EspTransform;
import dev.vpngw.dataplane.esp.SaManager.SaStats;
import dev.vpngw.dataplane.esp.TunnelSlots;
import dev.vpngw.dataplane.net.EspUdpSocket;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import dev.vpngw.dataplane.testsupport.WireTap;
import dev.vpngw.dataplane.tun.TunDevice;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two gateways in one JVM, each in its own network namespace (via {@link NetNs}), with real TUN
 * devices, real UDP 4500 sockets and real crypto, and a host namespace behind each:
 *
 * <pre>
 * hostA 198.18.1.2 ─ 198.18.1.1 gwA [vpn0] 198.18.0.1 ══ UDP 4500 ══ 198.18.0.2 gwB [vpn0] 198.18.2.1 ─ 198.18.2.2 hostB
 * </pre>
 *
 * gwA and gwB have no route to the other host's subnet except through their TUN, so every packet
 * that arrives went through ESP-in-UDP.
 */
@RequiresHost(binaries = {"ping", "iperf3"})
class EspTunnelNetnsTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  record Gateway(EspEngine engine, EspGateway gw) implements AutoCloseable {
    EspUdpSocket udp() {
      return gw.socket();
    }

    @Override
    public void close() {
      gw.close();
      engine.close();
    }
  }

  record Site(TestNetwork net, String hostA, String gwA, String gwB, String hostB, String wireA, String wireB) {}

  private static Site build(TestNetwork net) {
    String hostA = net.namespace("ha");
    String gwA = net.namespace("ga");
    String gwB = net.namespace("gb");
    String hostB = net.namespace("hb");
    net.veth(hostA, "198.18.1.2/24", gwA, "198.18.1.1/24");
    String[] wire = net.veth(gwA, "198.18.0.1/30", gwB, "198.18.0.2/30");
    net.veth(gwB, "198.18.2.1/24", hostB, "198.18.2.2/24");
    net.exec(hostA, "ip", "route", "add", "default", "via", "198.18.1.1");
    net.exec(hostB, "ip", "route", "add", "default", "via", "198.18.2.1");
    net.exec(gwA, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    net.exec(gwB, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    return new Site(net, hostA, gwA, gwB, hostB, wire[0], wire[1]);
  }

  private static Gateway gateway(TestNetwork net, String ns, String localIp, String remoteIp, String remoteSubnet,
      EspTransform transform, byte[][] keysOut, byte[][] keysIn, int spiOut, int spiIn, int queues) {
    return gateway(net, ns, localIp, remoteIp, remoteSubnet, transform, keysOut, keysIn, spiOut, spiIn, queues, true);
  }

  private static Gateway gateway(TestNetwork net, String ns, String localIp, String remoteIp, String remoteSubnet,
      EspTransform transform, byte[][] keysOut, byte[][] keysIn, int spiOut, int spiIn, int queues, boolean offloads) {
    TunnelSlots slots = new TunnelSlots();
    EspEngine engine = new EspEngine(slots, 2 * queues);
    InetSocketAddress local = new InetSocketAddress(localIp, 4500);
    InetSocketAddress remote = new InetSocketAddress(remoteIp, 4500);
    engine.addSa(new EspSaParams("t1", Direction.INBOUND, spiIn, transform, keysIn[0], keysIn[1], true, local, remote, 1024, 0));
    engine.addSa(new EspSaParams("t1", Direction.OUTBOUND, spiOut, transform, keysOut[0], keysOut[1], true, local, remote, 0, 0));
    EspGateway gw = EspGateway.start(new EspGateway.Config(ns, "vpn0", queues, local, TunDevice.DEFAULT_MTU, TcpMssClamp.DEFAULT_MSS, offloads),
        engine, StaticForwardingLookup.of(remoteSubnet, slots.slotOf("t1")));
    net.exec(ns, "ip", "route", "add", remoteSubnet, "dev", "vpn0");
    assertThat(net.exec(ns, "ip", "link", "show", "vpn0")).contains("mtu 1400").contains("UP");
    return new Gateway(engine, gw);
  }

  private static byte[][] keys(EspTransform t) {
    byte[] enc = new byte[t.encKeymatBytes()];
    byte[] integ = new byte[t.integKeyBytes()];
    RANDOM.nextBytes(enc);
    RANDOM.nextBytes(integ);
    return new byte[][] {enc, integ};
  }

  /** An IPv4 packet between the two host subnets, i.e. traffic that escaped the tunnel. */
  static boolean hostToHostInTheClear(byte[] p) {
    int src = Ipv4.src(p, 0);
    int dst = Ipv4.dst(p, 0);
    return (src >>> 8) == 0xC61201 && (dst >>> 8) == 0xC61202 || (src >>> 8) == 0xC61202 && (dst >>> 8) == 0xC61201;
  }

  private static long udpInDatagrams(TestNetwork net, String ns) {
    String snmp = net.exec(ns, "cat", "/proc/net/snmp");
    String[] lines = snmp.lines().filter(l -> l.startsWith("Udp:")).toArray(String[]::new);
    String[] names = lines[0].split("\\s+");
    String[] values = lines[1].split("\\s+");
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals("InDatagrams")) {
        return Long.parseLong(values[i]);
      }
    }
    throw new AssertionError("no Udp InDatagrams in " + snmp);
  }

  /** Heap bytes allocated so far by the packet threads (esp-in-*, esp-out-*) of both gateways. */
  private static long packetThreadAllocatedBytes() {
    var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("esp-in-") || t.getName().startsWith("esp-out-")) {
        sum += Math.max(0, mx.getThreadAllocatedBytes(t.threadId()));
      }
    }
    return sum;
  }

  private static long packetsProcessed(Gateway a, Gateway b) {
    return a.engine().encapsulatedPackets() + a.engine().decapsulatedPackets()
        + b.engine().encapsulatedPackets() + b.engine().decapsulatedPackets();
  }

  @ParameterizedTest
  @EnumSource(value = EspTransform.class, names = {"AES_GCM_16_128", "AES_CBC_256_HMAC_SHA256_128", "NULL_HMAC_SHA1_96"})
  void pingCrossesTheTunnel(EspTransform transform) throws InterruptedException {
    try (TestNetwork net = TestNetwork.create("espp")) {
      Site s = build(net);
      byte[][] aToB = keys(transform);
      byte[][] bToA = keys(transform);
      try (Gateway a = gateway(net, s.gwA(), "198.18.0.1", "198.18.0.2", "198.18.2.0/24", transform, aToB, bToA, 0xA1000001, 0xB1000001, 1);
           Gateway b = gateway(net, s.gwB(), "198.18.0.2", "198.18.0.1", "198.18.1.0/24", transform, bToA, aToB, 0xB1000001, 0xA1000001, 1)) {
        long udpBefore = udpInDatagrams(net, s.gwB());
        TestNetwork.Result ping;
        // Watch the gateway-to-gateway wire: only UDP 4500 may carry the hosts' traffic.
        try (WireTap tap = WireTap.open(net, s.gwB(), s.wireB(), EspTunnelNetnsTest::hostToHostInTheClear)) {
          ping = net.tryExec(s.hostA(), Duration.ofSeconds(20),
              "ping", "-c", "5", "-i", "0.2", "-W", "2", "-s", "1300", "198.18.2.2");
          Thread.sleep(100);
          assertThat(tap.udp4500.sum()).as("UDP 4500 datagrams on the wire").isGreaterThanOrEqualTo(10);
          assertThat(tap.flagged.sum()).as("host-to-host packets in the clear on the wire").isZero();
        }
        assertThat(ping.exitCode()).as(ping.output()).isZero();
        assertThat(ping.output()).contains("5 received");

        SaStats outA = a.engine().query(Direction.OUTBOUND, 0xA1000001).orElseThrow();
        SaStats inB = b.engine().query(Direction.INBOUND, 0xA1000001).orElseThrow();
        SaStats inA = a.engine().query(Direction.INBOUND, 0xB1000001).orElseThrow();
        assertThat(outA.packets()).isGreaterThanOrEqualTo(5);
        assertThat(inB.packets()).isGreaterThanOrEqualTo(5);
        assertThat(inA.packets()).isGreaterThanOrEqualTo(5);
        assertThat(inB.bytes()).isGreaterThanOrEqualTo(5 * 1328);
        assertThat(b.udp().espReceived()).isGreaterThanOrEqualTo(5);
        // The ESP arrived as UDP datagrams on gwB's kernel UDP stack (port 4500 socket).
        assertThat(udpInDatagrams(net, s.gwB()) - udpBefore).isGreaterThanOrEqualTo(5);
        for (Gateway g : new Gateway[] {a, b}) {
          assertThat(g.engine().drops(Drop.AUTH)).isZero();
          assertThat(g.engine().drops(Drop.REPLAY)).isZero();
          assertThat(g.engine().drops(Drop.BAD_PADDING)).isZero();
        }
      }
    }
  }

  /**
   * Bulk TCP with offloads (TUN TSO reads cut into segments, UDP GSO/GRO, GRO writes into the TUN)
   * and without (one packet per syscall, the path taken when the kernel refuses them).
   */
  @ParameterizedTest(name = "offloads={0}")
  @ValueSource(booleans = {true, false})
  void tcpTransferAcrossTwoQueueTunnel(boolean offloads) throws Exception {
    try (TestNetwork net = TestNetwork.create("espt")) {
      Site s = build(net);
      EspTransform t = EspTransform.AES_GCM_16_256;
      byte[][] aToB = keys(t);
      byte[][] bToA = keys(t);
      try (Gateway a = gateway(net, s.gwA(), "198.18.0.1", "198.18.0.2", "198.18.2.0/24", t, aToB, bToA, 0xA2000001, 0xB2000001, 2, offloads);
           Gateway b = gateway(net, s.gwB(), "198.18.0.2", "198.18.0.1", "198.18.1.0/24", t, bToA, aToB, 0xB2000001, 0xA2000001, 2,
               offloads)) {
        net.start(s.hostB(), null, "iperf3", "-s", "-1", "-B", "198.18.2.2");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!net.exec(s.hostB(), "ss", "-ltn").contains(":5201") && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        long allocatedBefore = packetThreadAllocatedBytes();
        long packetsBefore = packetsProcessed(a, b);
        TestNetwork.Result r = net.tryExec(s.hostA(), Duration.ofSeconds(30),
            "iperf3", "-c", "198.18.2.2", "-t", "3", "-f", "m", "-V", "--connect-timeout", "3000");
        assertThat(r.exitCode()).as(r.output()).isZero();
        Matcher m = Pattern.compile("([\\d.]+) Mbits/sec.*receiver").matcher(r.output());
        assertThat(m.find()).as(r.output()).isTrue();
        double mbps = Double.parseDouble(m.group(1));
        long packets = packetsProcessed(a, b) - packetsBefore;
        long allocated = packetThreadAllocatedBytes() - allocatedBefore;
        System.out.println("iperf3 through the ESP tunnel (AES-GCM-256, 2 queues, offloads " + offloads + "): " + mbps
            + " Mbit/s; A " + a.gw().stats() + "; B " + b.gw().stats() + "; "
            + packets + " ESP packets processed, packet threads allocated " + (packets == 0 ? 0 : allocated / packets)
            + " bytes per packet");
        assertThat(mbps).isGreaterThan(1.0);

        SaStats inB = b.engine().query(Direction.INBOUND, 0xA2000001).orElseThrow();
        assertThat(inB.bytes()).isGreaterThan(1_000_000);
        assertThat(a.engine().drops(Drop.AUTH) + b.engine().drops(Drop.AUTH)).isZero();
        assertThat(b.udp().espReceived()).isGreaterThan(100);
        // Both hosts have 1500-byte links (MSS 1460); the gateways clamped the SYNs to 1350.
        Matcher mss = Pattern.compile("TCP MSS: (\\d+)").matcher(r.output());
        assertThat(mss.find()).as(r.output()).isTrue();
        assertThat(Integer.parseInt(mss.group(1))).isLessThanOrEqualTo(TcpMssClamp.DEFAULT_MSS);
        EspDataPath.Stats sa = a.gw().stats();
        EspDataPath.Stats sb = b.gw().stats();
        assertThat(b.engine().drops(Drop.MALFORMED) + b.engine().drops(Drop.BAD_INNER)).isZero();
        if (offloads) {
          // Sender side: a TUN read carried several segments, a UDP send several datagrams;
          // receiver side: a UDP receive several datagrams, a TUN write several packets.
          assertThat(sa.segmentsSent()).as("A: " + sa).isGreaterThan(2 * sa.tunReads());
          assertThat(sa.segmentsSent()).as("A: " + sa).isGreaterThan(2 * sa.udpSends());
          assertThat(sb.datagramsReceived()).as("B: " + sb).isGreaterThan(2 * sb.udpReceives());
          assertThat(sb.packetsWritten()).as("B: " + sb).isGreaterThan(2 * sb.tunWrites());
        } else {
          assertThat(sa.segmentsSent()).as("A: " + sa).isLessThanOrEqualTo(sa.tunReads());
          assertThat(sb.datagramsReceived()).as("B: " + sb).isEqualTo(sb.udpReceives());
          assertThat(sb.packetsWritten()).as("B: " + sb).isEqualTo(sb.tunWrites());
        }
      }
    }
  }
}
