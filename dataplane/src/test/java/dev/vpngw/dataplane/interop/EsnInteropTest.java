package dev.vpngw.dataplane.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.esp.Drop;
import dev.vpngw.dataplane.esp.EspEngine;
import dev.vpngw.dataplane.esp.TunnelSlots;
import dev.vpngw.dataplane.ike.IkeConnection;
import dev.vpngw.dataplane.ike.IkeDaemon;
import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.proposal.AzureDefaults;
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
import dev.vpngw.dataplane.testsupport.VpngwProcess;
import dev.vpngw.dataplane.tun.TunDevice;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extended sequence numbers (RFC 4304) negotiated by {@code vpngw run}: we offer both ESN values
 * (no ESN first) and take ESN when the peer wants it.
 */
@RequiresHost(binaries = {"charon-systemd", "swanctl", "ping"})
class EsnInteropTest {
  private static final String PSK = "program-test-psk-0123456789";

  @TempDir Path dir;

  private Process startVpngw(TestNetwork net, SiteToSiteLine line) throws Exception {
    Path config = Files.createDirectories(dir.resolve("config"));
    Files.writeString(config.resolve("gateway.yaml"), GatewayProgramInteropTest.manifests(PSK));
    return VpngwProcess.start(net, line.gw(), dir.resolve("vpngw.log"), "run", "-f", config.toString(), "--instance",
        "0", "--local-address", "198.18.0.1", "--admin-port", "9090");
  }

  /**
   * strongSwan configured with {@code aes256gcm16-esn} (ESN only): vpngw's offer carries both ESN
   * values, strongSwan selects ESN. strongSwan 5.9.8's userspace ESP (libipsec, the only ESP this
   * kernel offers it) refuses ESN SAs ("IPsec SA: ESN not supported"), so the negotiation is what can
   * be shown here, not traffic (that is the next test, against our own engines). The test pins
   * libipsec's refusal, so a strongSwan that can run ESN makes it fail and be turned into a traffic test.
   */
  @Test
  void strongSwanWithAnEsnOnlyProposalSelectsEsnFromOurOffer() throws Exception {
    try (TestNetwork net = TestNetwork.create("esn")) {
      SiteToSiteLine line = SiteToSiteLine.build(net);
      StrongSwanPeer peer = StrongSwanPeer.start(net, line.peer(), line.peerWire(), dir.resolve("sw"), Map.of());
      peer.load(new SwanctlConf("198.18.0.2", "198.18.0.1", "198.18.2.0/24", "198.18.1.0/24",
          "aes256-sha256-modp1024", "aes256gcm16-esn", PSK).render());
      Process vpngw = startVpngw(net, line);
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        assertThat(vpngw.isAlive()).isTrue();
        assertThat(peer.log()).contains("received proposals: ESP:AES_GCM_16_256/")
            .containsPattern("selected proposal: ESP:AES_GCM_16_256/EXT_SEQ");
      });
      System.out.println(peer.log().lines().filter(l -> l.contains("proposals: ESP") || l.contains("selected proposal: ESP")
          || l.contains("ESN")).limit(6).reduce("", (a, b) -> a + b + "\n"));
      assertThat(peer.log()).as("vpngw offers no ESN first, then ESN").contains("NO_EXT_SEQ/EXT_SEQ");
      // libipsec cannot install it and answers NO_PROPOSAL_CHOSEN; our status names that (no silent failure).
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        assertThat(peer.log()).contains("IPsec SA: ESN not supported");
        assertThat(VpngwProcess.run(net, line.gw(), "status", "--json").output()).contains("NO_PROPOSAL_CHOSEN");
      });
    }
  }

  /**
   * {@code vpngw run} against a peer built from our own engines (IKE daemon + ESP engine + TUN in
   * the peer namespace) whose child policy prefers ESN: ESN is negotiated, pings cross, the
   * program's status shows {@code aes256gcm16/esn}.
   */
  @Test
  void esnNegotiatedWithAPeerThatPrefersItCarriesTrafficAndStatusShowsIt() throws Exception {
    try (TestNetwork net = TestNetwork.create("esp")) {
      SiteToSiteLine line = SiteToSiteLine.build(net);
      String sw = line.peer();
      TunDevice tun = NetNs.runIn(sw, () -> TunDevice.open("vpn1", 1));
      net.exec(sw, "ip", "link", "set", "vpn1", "mtu", String.valueOf(TunDevice.DEFAULT_MTU), "up");
      net.exec(sw, "ip", "route", "add", "198.18.1.0/24", "dev", "vpn1");
      EspUdpSocket udp = NetNs.runIn(sw, () -> EspUdpSocket.open(new InetSocketAddress("198.18.0.2", 4500), 1));
      GatewayIkeTransport ike = NetNs.runIn(sw, () -> GatewayIkeTransport.bind(new InetSocketAddress("198.18.0.2", 500), udp));
      TunnelSlots slots = new TunnelSlots();
      EspEngine engine = new EspEngine(slots, 2);
      IkeDaemon daemon = new IkeDaemon(ike, engine, IkeDaemon.Options.defaults());
      EspDataPath path = new EspDataPath(tun, udp, engine, StaticForwardingLookup.of("198.18.1.0/24", slots.slotOf("site")),
          new TcpMssClamp(TcpMssClamp.DEFAULT_MSS));
      try {
        path.start();
        IkeConnection c = IkeConnection.routeBased("site", InetAddress.getByName("198.18.0.2"),
            InetAddress.getByName("198.18.0.1"), PSK.getBytes(StandardCharsets.US_ASCII));
        daemon.addConnection(c.withPolicies(AzureDefaults.ikePolicy(), AzureDefaults.childPolicy().withPreferEsn(true)));
        Process vpngw = startVpngw(net, line);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          assertThat(vpngw.isAlive()).isTrue();
          assertThat(daemon.status("site").map(s -> s.state() == IkeSaState.ESTABLISHED && !s.children().isEmpty()))
              .contains(true);
          assertThat(VpngwProcess.run(net, line.gw(), "status", "--json").output()).contains("\"Connected\"");
        });
        assertThat(daemon.status("site").orElseThrow().children().getFirst().algorithms()).endsWith("/esn");
        TestNetwork.Result ping = net.tryExec(line.hostL(), Duration.ofSeconds(30), "ping", "-c", "5", "-i", "0.2", "-W",
            "2", "198.18.2.2");
        assertThat(ping.output()).as(Files.readString(dir.resolve("vpngw.log"))).contains("5 received");
        String table = VpngwProcess.run(net, line.gw(), "status").output();
        System.out.println(table);
        assertThat(table).contains("aes256gcm16/esn");
        assertThat(VpngwProcess.run(net, line.gw(), "status", "--json").output()).contains("\"aes256gcm16/esn\"");
        assertThat(engine.decapsulatedPackets()).isGreaterThanOrEqualTo(5);
        assertThat(engine.drops(Drop.AUTH)).isZero();
      } finally {
        daemon.close();
        path.close();
        ike.close();
        engine.close();
      }
    }
  }
}
