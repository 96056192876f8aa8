package dev.vpngw.dataplane.bgp.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpngw.dataplane.bgp.BgpPeerConfig;
import dev.vpngw.dataplane.bgp.BgpSpeakerConfig;
import dev.vpngw.dataplane.bgp.BgpTimers;
import dev.vpngw.dataplane.bgp.PeerMode;
import dev.vpngw.dataplane.bgp.attr.AttributeContext;
import dev.vpngw.dataplane.bgp.io.BgpConnection;
import dev.vpngw.dataplane.bgp.wire.AddressFamily;
import dev.vpngw.dataplane.bgp.wire.BgpError;
import dev.vpngw.dataplane.bgp.wire.BgpMessage;
import dev.vpngw.dataplane.bgp.wire.BgpMessageCodec;
import dev.vpngw.dataplane.bgp.wire.Capability;
import dev.vpngw.dataplane.routing.Ipv4Prefix;
import dev.vpngw.dataplane.routing.ManualControlLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The FSM driven deterministically: virtual clock, in-memory connection, recorded host calls. */
class BgpSessionFsmTest {
  final ManualControlLoop loop = new ManualControlLoop();
  final List<String> hostCalls = new ArrayList<>();
  final List<Integer> dials = new ArrayList<>();
  Consumer<BgpConnection> lastDialOk;
  Consumer<String> lastDialFail;

  final BgpSession.Host host = new BgpSession.Host() {
    public void onEstablished(BgpSession s) {
      hostCalls.add("established");
    }

    public void onUpdate(BgpSession s, BgpMessage.Update u) {
      hostCalls.add("update");
    }

    public void onRouteRefresh(BgpSession s, AddressFamily f) {
      hostCalls.add("refresh");
    }

    public void onDown(BgpSession s, boolean keepStale) {
      hostCalls.add("down keepStale=" + keepStale);
    }
  };

  static final class FakeConnection implements BgpConnection {
    final List<BgpMessage> sent = new ArrayList<>();
    BgpConnection.Handler handler;
    boolean closed;
    final boolean outgoing;

    FakeConnection(boolean outgoing) {
      this.outgoing = outgoing;
    }

    public void start(Handler h) {
      handler = h;
    }

    public void send(byte[] m) {
      try {
        sent.add(BgpMessageCodec.decode(m, new AttributeContext(true, true)));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    public void close() {
      closed = true;
    }

    public int localAddress() {
      return Ipv4Prefix.parseAddress("169.254.21.1");
    }

    public int remoteAddress() {
      return Ipv4Prefix.parseAddress("169.254.21.2");
    }

    public boolean outgoing() {
      return outgoing;
    }

    void receive(BgpMessage m) {
      handler.onFrame(this, BgpMessageCodec.encode(m, new AttributeContext(true, true)));
    }

    <T> T last(Class<T> type) {
      for (int i = sent.size() - 1; i >= 0; i--) {
        if (type.isInstance(sent.get(i))) {
          return type.cast(sent.get(i));
        }
      }
      return null;
    }
  }

  BgpSession session(PeerMode mode, int hold) {
    BgpPeerConfig p = BgpPeerConfig.of("169.254.21.1", "169.254.21.2", 65010, 1).withMode(mode);
    BgpSpeakerConfig c = BgpSpeakerConfig.of(65515, "198.18.255.254", List.of(), List.of(p)).withTimers(BgpTimers.DEFAULTS.withHold(hold));
    return new BgpSession(c, p, loop, host, (l, r, port, ok, fail) -> {
      dials.add(port);
      lastDialOk = ok;
      lastDialFail = fail;
    });
  }

  static BgpMessage.Open peerOpen(long asn, int hold, Capability... caps) {
    List<Capability> l = new ArrayList<>(List.of(new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST), new Capability.FourOctetAs(asn)));
    l.addAll(List.of(caps));
    return new BgpMessage.Open(4, (int) Math.min(asn, 23456), hold, Ipv4Prefix.parseAddress("198.18.255.1"), l);
  }

  FakeConnection establish(BgpSession s, int peerHold, Capability... caps) {
    FakeConnection c = new FakeConnection(false);
    s.start();
    loop.runDue();
    s.accept(c);
    c.receive(peerOpen(65010, peerHold, caps));
    loop.runDue();
    c.receive(new BgpMessage.Keepalive());
    loop.runDue();
    return c;
  }

  @Test
  void passiveNeverDials_acceptsAndEstablishes() {
    BgpSession s = session(PeerMode.PASSIVE, 90);
    FakeConnection c = establish(s, 30);
    assertThat(dials).isEmpty();
    assertThat(s.state()).isEqualTo(SessionState.ESTABLISHED);
    BgpMessage.Open ours = c.last(BgpMessage.Open.class);
    assertThat(ours.asn()).isEqualTo(65515);
    assertThat(ours.capability(Capability.GracefulRestart.class)).isPresent();
    assertThat(ours.capability(Capability.RouteRefresh.class)).isPresent();
    assertThat(hostCalls).containsExactly("established");
  }

  @Test
  void holdIsMinOfBoth_keepaliveEveryThird_holdExpiryNotifies() {
    BgpSession s = session(PeerMode.PASSIVE, 90);
    FakeConnection c = establish(s, 9);
    assertThat(s.negotiatedHold()).isEqualTo(9);
    int before = (int) c.sent.stream().filter(m -> m instanceof BgpMessage.Keepalive).count();
    loop.advance(3000);
    assertThat(c.sent.stream().filter(m -> m instanceof BgpMessage.Keepalive).count()).isEqualTo(before + 1);
    c.receive(new BgpMessage.Keepalive()); // resets hold at t=3 s
    loop.advance(8999);
    assertThat(s.state()).isEqualTo(SessionState.ESTABLISHED);
    loop.advance(1);
    assertThat(c.last(BgpMessage.Notification.class).error()).isEqualTo(BgpError.HOLD_TIMER_EXPIRED);
    assertThat(s.state()).isEqualTo(SessionState.IDLE);
    assertThat(c.closed).isTrue();
    assertThat(hostCalls).containsExactly("established", "down keepStale=false");
    assertThat(s.lastError()).contains("hold timer expired");
  }

  @Test
  void holdZeroMeansNoKeepalives() {
    BgpSession s = session(PeerMode.PASSIVE, 90);
    FakeConnection c = establish(s, 0);
    int n = c.sent.size();
    loop.advance(600_000);
    assertThat(c.sent).hasSize(n);
    assertThat(s.state()).isEqualTo(SessionState.ESTABLISHED);
  }

  @Test
  void wrongPeerAs_openMessageError() {
    BgpSession s = session(PeerMode.PASSIVE, 90);
    FakeConnection c = new FakeConnection(false);
    s.start();
    loop.runDue();
    s.accept(c);
    c.receive(peerOpen(65099, 90));
    loop.runDue();
    assertThat(c.last(BgpMessage.Notification.class).error()).isEqualTo(BgpError.BAD_PEER_AS);
    assertThat(s.state()).isEqualTo(SessionState.IDLE);
    assertThat(hostCalls).isEmpty();
  }

  @Test
  void updateBeforeEstablished_isFsmError() {
    BgpSession s = session(PeerMode.PASSIVE, 90);
    FakeConnection c = new FakeConnection(false);
    s.start();
    loop.runDue();
    s.accept(c);
    c.receive(new BgpMessage.Keepalive());
    loop.runDue();
    assertThat(c.last(BgpMessage.Notification.class).error()).isEqualTo(BgpError.FSM_UNEXPECTED_IN_OPEN_SENT);
  }

  @Test
  void activeDialsAndRetriesAfterConnectRetry() {
    BgpSession s = session(PeerMode.ACTIVE, 90);
    s.start();
    loop.runDue();
    assertThat(dials).containsExactly(179);
    assertThat(s.state()).isEqualTo(SessionState.CONNECT);
    lastDialFail.accept("connection refused");
    loop.runDue();
    assertThat(s.state()).isEqualTo(SessionState.ACTIVE);
    loop.advance(4999);
    assertThat(dials).hasSize(1);
    loop.advance(1);
    assertThat(dials).hasSize(2);
    FakeConnection c = new FakeConnection(true);
    lastDialOk.accept(c);
    loop.runDue();
    assertThat(s.state()).isEqualTo(SessionState.OPEN_SENT);
    assertThat(c.last(BgpMessage.Open.class)).isNotNull();
  }

  @Test
  void tcpLossWithGracefulRestartKeepsRoutesStale_notificationDoesNot() {
    BgpSession s = session(PeerMode.PASSIVE, 90);
    Capability gr = new Capability.GracefulRestart(false, 60, List.of(new Capability.GrFamily(AddressFamily.IPV4_UNICAST, true)));
    FakeConnection c = establish(s, 90, gr);
    assertThat(s.gracefulRestartNegotiated()).isTrue();
    c.handler.onClosed(c, "peer closed the TCP connection");
    loop.runDue();
    assertThat(hostCalls).containsExactly("established", "down keepStale=true");
    loop.advance(5000); // idle hold, then passive again
    FakeConnection c2 = new FakeConnection(false);
    s.accept(c2);
    c2.receive(peerOpen(65010, 90, gr));
    c2.receive(new BgpMessage.Keepalive());
    loop.runDue();
    c2.receive(new BgpMessage.Notification(BgpError.CEASE_ADMIN_RESET, new byte[0]));
    loop.runDue();
    assertThat(hostCalls).containsExactly("established", "down keepStale=true", "established", "down keepStale=false");
    assertThat(s.lastError()).contains("Cease").contains("6/4");
  }

  @Test
  void restartingSpeakerSetsRestartStateAndForwardingUntilBackOnce() {
    BgpSession s = session(PeerMode.PASSIVE, 90);
    s.restarting(true);
    Capability gr = new Capability.GracefulRestart(false, 60, List.of(new Capability.GrFamily(AddressFamily.IPV4_UNICAST, false)));
    FakeConnection c = establish(s, 90, gr);
    Capability.GracefulRestart ours = c.last(BgpMessage.Open.class).capability(Capability.GracefulRestart.class).orElseThrow();
    assertThat(ours.restarting()).as("R bit").isTrue();
    assertThat(ours.restartTimeSeconds()).isEqualTo(BgpTimers.DEFAULTS.gracefulRestart());
    assertThat(ours.preservedForwarding(AddressFamily.IPV4_UNICAST)).as("F bit").isTrue();
    assertThat(s.restarting()).as("over once Established").isFalse();

    // The next session (e.g. after the peer itself restarts) is an ordinary one: R=0, F=0.
    c.handler.onClosed(c, "peer closed the TCP connection");
    loop.runDue();
    loop.advance(5000);
    FakeConnection c2 = new FakeConnection(false);
    s.accept(c2);
    Capability.GracefulRestart again = c2.last(BgpMessage.Open.class).capability(Capability.GracefulRestart.class).orElseThrow();
    assertThat(again.restarting()).isFalse();
    assertThat(again.preservedForwarding(AddressFamily.IPV4_UNICAST)).isFalse();
  }

  @Test
  void tunnelDownEndsTheSessionWithoutKeepingRoutesStale() {
    BgpSession s = session(PeerMode.PASSIVE, 90);
    Capability gr = new Capability.GracefulRestart(false, 60, List.of(new Capability.GrFamily(AddressFamily.IPV4_UNICAST, true)));
    FakeConnection c = establish(s, 90, gr);
    s.tunnelDown("to-a/0");
    loop.runDue();
    assertThat(c.closed).isTrue();
    assertThat(s.state()).isEqualTo(SessionState.IDLE);
    assertThat(hostCalls).containsExactly("established", "down keepStale=false");
    assertThat(s.lastError()).isEqualTo("tunnel down (to-a/0)");
    s.tunnelDown("to-a/0"); // nothing left to end
    loop.runDue();
    assertThat(hostCalls).hasSize(2);
  }

  @Test
  void collisionInOpenConfirm_higherRouterIdKeepsItsConnection() {
    BgpSession s = session(PeerMode.ACTIVE, 90);
    s.start();
    loop.runDue();
    FakeConnection out = new FakeConnection(true);
    lastDialOk.accept(out);
    loop.runDue();
    out.receive(peerOpen(65010, 90)); // peer id 198.18.255.1 < ours 198.18.255.254
    loop.runDue();
    assertThat(s.state()).isEqualTo(SessionState.OPEN_CONFIRM);
    FakeConnection in = new FakeConnection(false);
    s.accept(in);
    assertThat(in.closed).isTrue();
    assertThat(in.last(BgpMessage.Notification.class).error()).isEqualTo(BgpError.CEASE_CONNECTION_COLLISION);
    assertThat(out.closed).isFalse();
  }

  @Test
  void routeRefreshOnlyWhenPeerSupportsIt() {
    BgpSession s = session(PeerMode.PASSIVE, 90);
    FakeConnection c = establish(s, 90);
    assertThat(s.requestRefresh()).isFalse();
    BgpSession s2 = session(PeerMode.PASSIVE, 90);
    FakeConnection c2 = establish(s2, 90, new Capability.RouteRefresh());
    assertThat(s2.requestRefresh()).isTrue();
    assertThat(c2.last(BgpMessage.RouteRefresh.class)).isEqualTo(new BgpMessage.RouteRefresh(AddressFamily.IPV4_UNICAST));
    c.receive(new BgpMessage.RouteRefresh(AddressFamily.IPV4_UNICAST));
    loop.runDue();
    assertThat(hostCalls).contains("refresh");
  }

  @Test
  void collisionInOpenSent_resolvedWhenTheFirstOpenArrives() {
    // Peer id 198.18.255.1 < ours: we keep the connection we dialled.
    BgpSession s = session(PeerMode.ACTIVE, 90);
    s.start();
    loop.runDue();
    FakeConnection out = new FakeConnection(true);
    lastDialOk.accept(out);
    loop.runDue();
    FakeConnection in = new FakeConnection(false);
    s.accept(in);
    assertThat(in.last(BgpMessage.Open.class)).as("OPEN sent on the racing connection too").isNotNull();
    in.receive(peerOpen(65010, 90));
    loop.runDue();
    assertThat(in.closed).isTrue();
    assertThat(in.last(BgpMessage.Notification.class).error()).isEqualTo(BgpError.CEASE_CONNECTION_COLLISION);
    out.receive(peerOpen(65010, 90));
    out.receive(new BgpMessage.Keepalive());
    loop.runDue();
    assertThat(s.state()).isEqualTo(SessionState.ESTABLISHED);
    assertThat(out.closed).isFalse();
  }

  @Test
  void collisionInOpenSent_higherPeerIdKeepsItsConnection() {
    BgpSession s = session(PeerMode.ACTIVE, 90);
    s.start();
    loop.runDue();
    FakeConnection out = new FakeConnection(true);
    lastDialOk.accept(out);
    loop.runDue();
    FakeConnection in = new FakeConnection(false);
    s.accept(in);
    BgpMessage.Open higher = new BgpMessage.Open(4, 65010, 90, Ipv4Prefix.parseAddress("203.0.113.9"),
        List.of(new Capability.FourOctetAs(65010)));
    out.receive(higher); // the peer answered on our connection first, but its id wins
    loop.runDue();
    assertThat(out.closed).isTrue();
    assertThat(out.last(BgpMessage.Notification.class).error()).isEqualTo(BgpError.CEASE_CONNECTION_COLLISION);
    in.receive(higher);
    in.receive(new BgpMessage.Keepalive());
    loop.runDue();
    assertThat(s.state()).isEqualTo(SessionState.ESTABLISHED);
    assertThat(in.closed).isFalse();
  }
}
