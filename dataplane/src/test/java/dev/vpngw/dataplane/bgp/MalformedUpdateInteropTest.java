package dev.vpngw.dataplane.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.routing.ForwardingLookup;
import dev.vpngw.dataplane.routing.Ipv4Prefix;
import dev.vpngw.dataplane.testsupport.RequiresHost;
import dev.vpngw.dataplane.testsupport.TestNetwork;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 7606 against the running speaker, over a veth pair between namespaces. BIRD never sends
 * malformed UPDATEs, so the peer is {@link RawBgpPeer}: raw bytes, typed in below.
 */
@RequiresHost
class MalformedUpdateInteropTest {
  // OPEN: version 4, AS 65010, hold 30, id 198.18.255.9, caps: MP ipv4/unicast, RR, AS4 65010.
  static final String OPEN = "04 fdf2 001e c612ff09 10 02 0e 0104 0001 0001 0200 4104 0000fdf2";
  static final String ORIGIN_IGP = "400101 00";
  static final String AS_PATH_65010 = "400206 02 01 0000fdf2";
  static final String NEXT_HOP = "400304 a9fe1502";
  static final String NLRI_10 = "1d c6120a00"; // 198.18.10.0/29
  static final String NLRI_11 = "1d c6120b00"; // 198.18.11.0/29
  static final Duration T = Duration.ofSeconds(10);

  @Test
  void malformedAttributesAreTreatedAsWithdrawWithoutDroppingTheSession() throws Exception {
    try (TestNetwork net = TestNetwork.create("bgpm")) {
      String gwNs = net.namespace("gw");
      String peerNs = net.namespace("peer");
      net.veth(gwNs, "169.254.21.1/30", peerNs, "169.254.21.2/30");
      BgpPeerConfig peer = BgpPeerConfig.of("169.254.21.1", "169.254.21.2", 65010, 4);
      BgpSpeakerConfig cfg = BgpSpeakerConfig.of(65515, "198.18.255.254", List.of(Ipv4Prefix.parse("198.18.1.0/24")), List.of(peer))
          .withTimers(BirdSessionInteropTest.fastTimers().withHold(30));
      try (GatewayUnderTest gw = GatewayUnderTest.start(gwNs, cfg);
          RawBgpPeer raw = RawBgpPeer.connect(peerNs, "169.254.21.2", "169.254.21.1")) {
        assertThat(raw.await(1, 3000)).as("gateway OPEN").isNotNull();
        raw.send(RawBgpPeer.message(1, OPEN));
        assertThat(raw.await(4, 3000)).as("gateway KEEPALIVE").isNotNull();
        raw.send(RawBgpPeer.message(4, ""));
        await().atMost(T).until(() -> gw.speaker.peerStatus("169.254.21.2").state().equals("Connected"));

        raw.send(RawBgpPeer.update("", ORIGIN_IGP + AS_PATH_65010 + NEXT_HOP, NLRI_10 + NLRI_11));
        await().atMost(T).until(() -> gw.lookup("198.18.10.1", 0) == 4 && gw.lookup("198.18.11.1", 0) == 4);

        // 1. ORIGIN value 7 (undefined) for 198.18.10.0/29: that prefix is withdrawn, nothing else.
        raw.send(RawBgpPeer.update("", "400101 07" + AS_PATH_65010 + NEXT_HOP, NLRI_10));
        await().atMost(T).until(() -> gw.lookup("198.18.10.1", 0) == ForwardingLookup.NO_ROUTE);
        assertThat(gw.lookup("198.18.11.1", 0)).isEqualTo(4);

        // 2. NEXT_HOP with length 5 (attribute length error) on 198.18.11.0/29.
        raw.send(RawBgpPeer.update("", ORIGIN_IGP + AS_PATH_65010 + "400305 a9fe150200", NLRI_11));
        await().atMost(T).until(() -> gw.lookup("198.18.11.1", 0) == ForwardingLookup.NO_ROUTE);

        // 3. AS_PATH with segment type 9; 4. wrong flags on ORIGIN (optional bit); 5. missing NEXT_HOP.
        raw.send(RawBgpPeer.update("", ORIGIN_IGP + "400206 09 01 0000fdf2" + NEXT_HOP, NLRI_10));
        raw.send(RawBgpPeer.update("", "c00101 00" + AS_PATH_65010 + NEXT_HOP, NLRI_10));
        raw.send(RawBgpPeer.update("", ORIGIN_IGP + AS_PATH_65010, NLRI_10));
        await().atMost(T).until(() -> gw.speaker.peerStatus("169.254.21.2").treatAsWithdraw() == 5);
        assertThat(gw.lookup("198.18.10.1", 0)).isEqualTo(ForwardingLookup.NO_ROUTE);

        // The session is still up: no NOTIFICATION, a good UPDATE is accepted again.
        raw.send(RawBgpPeer.update("", ORIGIN_IGP + AS_PATH_65010 + NEXT_HOP, NLRI_10));
        await().atMost(T).until(() -> gw.lookup("198.18.10.1", 0) == 4);
        assertThat(raw.sawNotification()).isFalse();
        assertThat(gw.speaker.peerStatus("169.254.21.2").state()).isEqualTo("Connected");
        assertThat(gw.speaker.peerStatus("169.254.21.2").lastWarning()).contains("treat-as-withdraw").contains("NEXT_HOP");

        // Control: a malformed NLRI field (prefix length 33) cannot be withdrawn safely, so the
        // session is reset with UPDATE Message Error / Invalid Network Field (3/10).
        raw.send(RawBgpPeer.update("", ORIGIN_IGP + AS_PATH_65010 + NEXT_HOP, "21 c6120a0000"));
        byte[] n = raw.await(3, 3000);
        assertThat(n).as("NOTIFICATION").isNotNull();
        assertThat(n[19]).isEqualTo((byte) 3);
        assertThat(n[20]).isEqualTo((byte) 10);
        await().atMost(T).until(() -> gw.lookup("198.18.10.1", 0) == ForwardingLookup.NO_ROUTE);
        assertThat(gw.speaker.peerStatus("169.254.21.2").lastError()).contains("prefix length 33");
      }
    }
  }
}
