package dev.vpngw.dataplane.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.esp.Drop;
import dev.vpngw.dataplane.esp.EspEngine;
import dev.vpngw.dataplane.esp.TunnelSlots;
import dev.vpngw.dataplane.ike.IkeConnection;
import dev.vpngw.dataplane.ike.IkeDaemon;
import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.IkeSaStatus;
import dev.vpngw.dataplane.net.EspUdpSocket;
import dev.vpngw.dataplane.net.GatewayIkeTransport;
import dev.vpngw.dataplane.net.NetNs;
import dev.vpngw.dataplane.packet.EspDataPath;
import dev.vpngw.dataplane.packet.StaticForwardingLookup;
import dev.vpngw.dataplane.packet.TcpMssClamp;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.SiteToSiteLine;
import dev.vpngw.dataplane.testsupport.StrongSwanPeer;
import dev.vpngw.dataplane.testsupport.SwanctlConf;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import dev.vpngw.dataplane.tun.TunDevice;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real traffic through a tunnel negotiated by our IKEv2 with an unmodified strongSwan (charon with
 * kernel-libipsec, forced UDP encapsulation) and carried by our ESP engine and TUN device:
 *
 * <pre>
 * hostL 198.18.1.2 ─ gw (vpngw, TUN vpn0) 198.18.0.1 ══ ESP-in-UDP 4500 ══ 198.18.0.2 strongSwan ─ 198.18.2.2 hostR
 * </pre>
 *
 * strongSwan proposes/narrows to its site prefixes (as a policy-style on-prem device does), and
 * vpngw, route-based like Azure, accepts them; its libipsec routes 198.18.1.0/24 into ipsec0.
 */
@RequiresHost(binaries = {"charon-systemd", "swanctl", "ping"})
class StrongSwanTrafficTest {
  private static final String PSK = "traffic-test-psk-0123456789";

  private static String swanctl() {
    return new SwanctlConf("198.18.0.2", "198.18.0.1", "198.18.2.0/24", "198.18.1.0/24",
        "aes256gcm16-prfsha256-ecp256, aes256-sha256-modp2048", "aes256gcm16, aes256-sha256", PSK).render();
  }

  private record Fixture(TestNetwork net, String hostL, String gw, String sw, String hostR, StrongSwanPeer peer,
      EspEngine engine, EspUdpSocket udp, GatewayIkeTransport ike, IkeDaemon daemon, EspDataPath path)
      implements AutoCloseable {
    @Override
    public void close() {
      try {
        daemon.close();
        path.close();
        ike.close();
        engine.close();
        peer.close();
      } finally {
        net.close();
      }
    }

    String diagnostics() {
      return "\n--- our status: " + daemon.status("site").orElse(null)
          + "\n--- engine: encap=" + engine.encapsulatedPackets() + " decap=" + engine.decapsulatedPackets()
          + " udp esp rx=" + udp.espReceived() + " tx=" + udp.espSent()
          + "\n--- sw routes:\n" + net.tryExec(sw, Duration.ofSeconds(5), "ip", "route", "show", "table", "all").output()
          + "\n--- sw links:\n" + net.tryExec(sw, Duration.ofSeconds(5), "ip", "-s", "link").output()
          + "\n--- gw routes:\n" + net.tryExec(gw, Duration.ofSeconds(5), "ip", "route").output()
          + "\n--- list-sas:\n" + (peer.isAlive() ? peer.tryRun("--list-sas", "--raw").output() : "(dead)")
          + "\n--- charon log:\n" + peer.log();
    }
  }

  private static Fixture start() throws Exception {
    TestNetwork net = TestNetwork.create("trf");
    try {
      SiteToSiteLine line = SiteToSiteLine.build(net);
      String hostL = line.hostL();
      String gw = line.gw();
      String sw = line.peer();
      String hostR = line.hostR();
      String[] wire = {line.gwWire(), line.peerWire()};
      Path dir = Files.createTempDirectory("vpngw-traffic-" + net.tag());
      StrongSwanPeer peer = StrongSwanPeer.start(net, sw, wire[1], dir.resolve("sw"), Map.of());
      peer.load(swanctl());

      TunDevice tun = NetNs.runIn(gw, () -> TunDevice.open("vpn0", 1));
      net.exec(gw, "ip", "link", "set", "vpn0", "mtu", String.valueOf(TunDevice.DEFAULT_MTU), "up");
      net.exec(gw, "ip", "route", "add", "198.18.2.0/24", "dev", "vpn0");
      InetSocketAddress local4500 = new InetSocketAddress("198.18.0.1", 4500);
      EspUdpSocket udp = NetNs.runIn(gw, () -> EspUdpSocket.open(local4500, 1));
      GatewayIkeTransport ike = NetNs.runIn(gw, () -> GatewayIkeTransport.bind(new InetSocketAddress("198.18.0.1", 500), udp));
      TunnelSlots slots = new TunnelSlots();
      EspEngine engine = new EspEngine(slots, 2);
      IkeDaemon daemon = new IkeDaemon(ike, engine, IkeDaemon.Options.defaults());
      EspDataPath path = new EspDataPath(tun, udp, engine, StaticForwardingLookup.of("198.18.2.0/24", slots.slotOf("site")),
          new TcpMssClamp(TcpMssClamp.DEFAULT_MSS));
      path.start();
      // strongSwan's libipsec does not route for us (install_routes = no): the site routes into ipsec0.
      Fixture f = new Fixture(net, hostL, gw, sw, hostR, peer, engine, udp, ike, daemon, path);
      daemon.addConnection(IkeConnection.routeBased("site", InetAddress.getByName("198.18.0.1"),
          InetAddress.getByName("198.18.0.2"), PSK.getBytes(StandardCharsets.US_ASCII)));
      return f;
    } catch (Exception | Error e) {
      net.close();
      throw e;
    }
  }

  private static void routeStrongSwanSideIntoIpsec0(Fixture f) {
    await().atMost(Duration.ofSeconds(10)).until(() -> f.net().tryExec(f.sw(), Duration.ofSeconds(5),
        "ip", "link", "show", "ipsec0").exitCode() == 0);
    f.net().exec(f.sw(), "ip", "link", "set", "ipsec0", "up");
    f.net().tryExec(f.sw(), Duration.ofSeconds(5), "ip", "route", "replace", "198.18.1.0/24", "dev", "ipsec0");
  }

  private static void assertPingAcross(Fixture f) {
    TestNetwork.Result ping = f.net().tryExec(f.hostL(), Duration.ofSeconds(30),
        "ping", "-c", "5", "-i", "0.2", "-W", "2", "-s", "1200", "198.18.2.2");
    assertThat(ping.output()).as(f.diagnostics()).contains("5 received");
    assertThat(f.engine().decapsulatedPackets()).isGreaterThanOrEqualTo(5);
    assertThat(f.engine().encapsulatedPackets()).isGreaterThanOrEqualTo(5);
    assertThat(f.engine().drops(Drop.AUTH)).isZero();
    assertThat(f.engine().drops(Drop.REPLAY)).isZero();
  }

  @Test
  void vpngwInitiatesAndPingCrossesTheTunnel() throws Exception {
    try (Fixture f = start()) {
      routeStrongSwanSideIntoIpsec0(f);
      f.daemon().initiate("site");
      await().atMost(Duration.ofSeconds(15)).until(() -> f.daemon().status("site")
          .map(s -> s.state() == IkeSaState.ESTABLISHED && !s.children().isEmpty()).orElse(false));
      IkeSaStatus st = f.daemon().status("site").orElseThrow();
      assertThat(st.initiator()).isTrue();
      StrongSwanPeer.Sa sa = f.peer().listSas().getFirst();
      assertThat(sa.get("state")).isEqualTo("ESTABLISHED");
      assertThat(sa.children().getFirst().get("state")).isEqualTo("INSTALLED");
      assertThat(sa.children().getFirst().get("encap")).isEqualTo("yes");
      assertPingAcross(f);
    }
  }

  @Test
  void strongSwanInitiatesAndPingCrossesTheTunnel() throws Exception {
    try (Fixture f = start()) {
      routeStrongSwanSideIntoIpsec0(f);
      TestNetwork.Result r = f.peer().initiate("net", "gw");
      assertThat(r.exitCode()).as(r.output() + f.diagnostics()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> f.daemon().status("site")
          .map(s -> s.state() == IkeSaState.ESTABLISHED && !s.children().isEmpty()).orElse(false));
      assertThat(f.daemon().status("site").orElseThrow().initiator()).isFalse();
      assertPingAcross(f);
    }
  }
}
