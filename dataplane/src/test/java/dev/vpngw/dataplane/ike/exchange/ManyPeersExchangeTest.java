package dev.vpngw.dataplane.ike.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpngw.dataplane.ike.ConnectionMode;
import dev.vpngw.dataplane.ike.IkeConnection;
import dev.vpngw.dataplane.ike.IkeDaemon;
import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.IkeSaStatus;
import dev.vpngw.dataplane.testsupport.RecordingSaManager;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One responder with many connections (each peer its own address and its own key, as with one
 * LocalNetworkGateway per site): a peer's IKE_SA_INIT must find exactly its connection, and
 * per-connection operations must touch only that connection's SAs.
 */
class ManyPeersExchangeTest {
  static final InetAddress GW = ExchangePair.addr("198.18.0.2");
  static final int SITES = 40;
  final InMemoryIkeNetwork net = new InMemoryIkeNetwork();
  final RecordingSaManager gwSas = new RecordingSaManager();
  final IkeDaemon gw = new IkeDaemon(net.endpoint(GW), gwSas, IkeDaemon.Options.defaults());
  final List<IkeDaemon> peers = new ArrayList<>();

  static InetAddress peer(int i) {
    return ExchangePair.addr("198.19.0." + (i + 1));
  }

  static IkeConnection site(int i, InetAddress local, InetAddress remote) {
    return IkeConnection.routeBased("site-" + i, local, remote, ("key-of-site-" + i).getBytes(StandardCharsets.US_ASCII))
        .withTimers(ExchangePair.timers(), Duration.ofSeconds(30));
  }

  @AfterEach
  void close() {
    peers.forEach(IkeDaemon::close);
    gw.close();
    net.close();
  }

  IkeDaemon dial(int i) {
    IkeDaemon d = new IkeDaemon(net.endpoint(peer(i)), new RecordingSaManager(), IkeDaemon.Options.defaults());
    d.addConnection(site(i, peer(i), GW).withMode(ConnectionMode.INITIATOR_ONLY));
    d.initiate("site-" + i);
    peers.add(d);
    return d;
  }

  static boolean up(IkeDaemon d, String name) {
    IkeSaStatus s = d.status(name).orElse(null);
    return s != null && s.state() == IkeSaState.ESTABLISHED && !s.children().isEmpty();
  }

  @Test
  void eachPeerMeetsItsOwnConnectionAndOperationsStayWithin() {
    for (int i = 0; i < SITES; i++) {
      gw.addConnection(site(i, GW, peer(i)).withMode(ConnectionMode.RESPONDER_ONLY));
    }
    List<Integer> dialling = List.of(6, 22, 38);
    dialling.forEach(this::dial);
    // Each site has its own key: a peer matched to any other connection fails authentication.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      for (int i : dialling) {
        assertThat(up(gw, "site-" + i)).as("site-%d", i).isTrue();
        assertThat(up(peers.get(dialling.indexOf(i)), "site-" + i)).isTrue();
      }
    });
    assertThat(gw.statuses().keySet()).containsExactlyInAnyOrder("site-6", "site-22", "site-38");
    assertThat(gw.ikeSaCount()).isEqualTo(3);

    gw.terminate("site-22");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(gw.status("site-22").orElseThrow().state()).isIn(IkeSaState.DESTROYED, IkeSaState.FAILED);
      assertThat(gw.ikeSaCount()).isEqualTo(2);
    });
    assertThat(up(gw, "site-6")).isTrue();
    assertThat(up(gw, "site-38")).isTrue();
  }

  @Test
  void theEndpointIndexFollowsReplacedAndRemovedConnections() {
    for (int i = 0; i < SITES; i++) {
      gw.addConnection(site(i, GW, peer(i)).withMode(ConnectionMode.RESPONDER_ONLY));
    }
    assertThat(gw.connectionFor(GW, peer(5)).orElseThrow().name()).isEqualTo("site-5");
    // site-5's device moves to a new address: the old one no longer matches, the new one does.
    InetAddress moved = ExchangePair.addr("198.19.1.5");
    gw.addConnection(site(5, GW, moved).withMode(ConnectionMode.RESPONDER_ONLY));
    assertThat(gw.connectionFor(GW, peer(5))).isEmpty();
    assertThat(gw.connectionFor(GW, moved).orElseThrow().name()).isEqualTo("site-5");
    gw.removeConnection("site-5");
    assertThat(gw.connectionFor(GW, moved)).isEmpty();
    assertThat(gw.connectionFor(GW, peer(6)).orElseThrow().name()).isEqualTo("site-6");
    assertThat(gw.connectionFor(ExchangePair.addr("198.18.0.3"), peer(6))).isEmpty();
  }
}
