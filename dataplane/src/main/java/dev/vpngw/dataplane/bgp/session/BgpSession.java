package dev.vpngw.dataplane.bgp.session;

import dev.vpngw.dataplane.bgp.BgpPeerConfig;
import dev.vpngw.dataplane.bgp.BgpSpeakerConfig;
import dev.vpngw.dataplane.bgp.PeerMode;
import dev.vpngw.dataplane.bgp.attr.AttributeContext;
import dev.vpngw.dataplane.bgp.io.BgpConnection;
import dev.vpngw.dataplane.bgp.wire.AddressFamily;
import dev.vpngw.dataplane.bgp.wire.BgpError;
import dev.vpngw.dataplane.bgp.wire.BgpMessage;
import dev.vpngw.dataplane.bgp.wire.BgpMessageCodec;
import dev.vpngw.dataplane.bgp.wire.BgpProtocolException;
import dev.vpngw.dataplane.bgp.wire.Capability;
import dev.vpngw.dataplane.routing.ControlLoop;
import dev.vpngw.dataplane.routing.Ipv4Prefix;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One BGP session's FSM (RFC 4271 §8) as an actor on the {@link ControlLoop}: every event —
 * frames from the reader thread, connect results, timers, admin commands — is posted to the loop
 * and handled there, so the session holds no locks. Routes are the {@link Host}'s business.
 */
public final class BgpSession implements BgpConnection.Handler {
  private static final System.Logger LOG = System.getLogger(BgpSession.class.getName());
  /** Start of {@link #lastError()} after a prefix-limit cease; status turns it into its own reason. */
  public static final String PREFIX_LIMIT_EXCEEDED = "maximum prefixes exceeded";
  /** Start of {@link #lastError()} when the tunnel under the session went down. */
  public static final String TUNNEL_DOWN = "tunnel down";

  /** The RIB side of the speaker; called on the loop. */
  public interface Host {
    void onEstablished(BgpSession s);

    void onUpdate(BgpSession s, BgpMessage.Update u);

    void onRouteRefresh(BgpSession s, AddressFamily family);

    /** {@code keepStale}: the peer may be restarting gracefully (RFC 4724), keep its routes. */
    void onDown(BgpSession s, boolean keepStale);
  }

  /** Dials out; callbacks may arrive on any thread. */
  public interface Connector {
    void connect(int local, int remote, int port, Consumer<BgpConnection> connected, Consumer<String> failed);
  }

  private final BgpSpeakerConfig speaker;
  private final BgpPeerConfig peer;
  private final ControlLoop loop;
  private final Host host;
  private final Connector connector;

  private SessionState state = SessionState.IDLE;
  private BgpConnection conn;
  /** An incoming connection racing our outgoing one in OpenSent (collision not yet resolved). */
  private BgpConnection pending;
  private boolean started;
  private boolean adminStopped;
  private int connectAttempt;
  private ControlLoop.Cancellable holdTimer;
  private ControlLoop.Cancellable keepaliveTimer;
  private ControlLoop.Cancellable retryTimer;

  private BgpMessage.Open peerOpen;
  private int negotiatedHold;
  private boolean fourOctetAs = true;
  private AttributeContext ctx = new AttributeContext(true, true);

  private long messagesSent;
  private long messagesReceived;
  private long updatesReceived;
  private long updatesSent;
  private long treatAsWithdraw;
  private long refreshesReceived;
  private long refreshesSent;
  /**
   * RFC 4724 Restart State: this process restarted (see {@code GracefulRestartMarker}) and the peer
   * may be keeping our routes stale. Set in our OPEN (with the F bit) until the session has come
   * back once and we have sent End-of-RIB.
   */
  private boolean restarting;
  private long establishedTransitions;
  private long connectedSince = -1;
  private String lastError = "";
  private String lastWarning = "";

  public BgpSession(BgpSpeakerConfig speaker, BgpPeerConfig peer, ControlLoop loop, Host host, Connector connector) {
    this.speaker = speaker;
    this.peer = peer;
    this.loop = loop;
    this.host = host;
    this.connector = connector;
  }

  // ---- admin ----------------------------------------------------------------------------------

  public void start() {
    loop.execute(() -> {
      started = true;
      adminStopped = false;
      if (state == SessionState.IDLE) {
        leaveIdle();
      }
    });
  }

  public void stop() {
    loop.execute(() -> {
      adminStopped = true;
      if (conn != null && state.compareTo(SessionState.OPEN_SENT) >= 0) {
        sendNotification(BgpError.CEASE_ADMIN_SHUTDOWN, new byte[0]);
      }
      drop("administratively stopped", false, 0);
    });
  }

  /** Asks the peer to resend its routes (RFC 2918); false when not possible now. */
  public boolean requestRefresh() {
    if (state != SessionState.ESTABLISHED || peerOpen == null || peerOpen.capability(Capability.RouteRefresh.class).isEmpty()) {
      return false;
    }
    send(new BgpMessage.RouteRefresh(AddressFamily.IPV4_UNICAST));
    refreshesSent++;
    return true;
  }

  /**
   * The tunnel carrying this session went down: the peer is unreachable, so its routes are
   * withdrawn now instead of after the hold time (no stale keeping: nothing can be forwarded to
   * it). The session starts again when the peer reconnects.
   */
  public void tunnelDown(String tunnel) {
    loop.execute(() -> {
      if (conn != null) {
        drop(TUNNEL_DOWN + " (" + tunnel + ")", false, speaker.timers().idleHold());
      }
    });
  }

  /** Marks this process as restarting (RFC 4724 §4.1) until the session is next established. */
  public void restarting(boolean r) {
    loop.execute(() -> restarting = r);
  }

  private void leaveIdle() {
    if (peer.mode() == PeerMode.PASSIVE) {
      state = SessionState.ACTIVE;
    } else {
      dial();
    }
  }

  private void dial() {
    state = SessionState.CONNECT;
    int attempt = ++connectAttempt;
    connector.connect(peer.localAddress(), peer.peerAddress(), speaker.port(),
        c -> loop.execute(() -> onDialled(attempt, c)),
        why -> loop.execute(() -> onDialFailed(attempt, why)));
  }

  private void onDialled(int attempt, BgpConnection c) {
    if (attempt != connectAttempt || state != SessionState.CONNECT) {
      c.close(); // superseded: an incoming connection won, or the session went down meanwhile
      return;
    }
    adopt(c);
  }

  private void onDialFailed(int attempt, String why) {
    if (attempt != connectAttempt || state != SessionState.CONNECT) {
      return;
    }
    lastError = "connect failed: " + why;
    state = SessionState.ACTIVE;
    cancel(retryTimer);
    retryTimer = loop.schedule(speaker.timers().connectRetry() * 1000L, () -> {
      if (state == SessionState.ACTIVE && !adminStopped) {
        dial();
      }
    });
  }

  // ---- connections ----------------------------------------------------------------------------

  /** An incoming TCP connection from this peer's address (called on the loop). */
  public void accept(BgpConnection c) {
    switch (state) {
      case IDLE -> c.close(); // RFC 4271: Idle refuses connections (e.g. after a prefix-limit cease)
      case CONNECT, ACTIVE -> {
        connectAttempt++; // a dial in flight loses
        cancel(retryTimer);
        adopt(c);
      }
      case OPEN_SENT -> {
        // RFC 4271 §6.8: the peer's identifier is unknown until an OPEN arrives, so the incoming
        // connection runs alongside ours (we send our OPEN on it too) until then.
        if (conn.outgoing() && pending == null) {
          pending = c;
          c.start(this);
          c.send(BgpMessageCodec.encode(localOpen(), ctx));
          messagesSent++;
        } else {
          reject(c);
        }
      }
      case OPEN_CONFIRM -> {
        if (Integer.compareUnsigned(speaker.routerId(), peerOpen.bgpIdentifier()) < 0) {
          replaceWith(c);
        } else {
          reject(c);
        }
      }
      case ESTABLISHED -> reject(c);
    }
  }

  /**
   * An OPEN arrived while two connections race: the higher BGP identifier keeps the connection it
   * initiated. Returns true when {@code from} survived and its OPEN should be processed.
   */
  private boolean resolveCollision(BgpConnection from, BgpMessage.Open o) {
    boolean keepIncoming = Integer.compareUnsigned(speaker.routerId(), o.bgpIdentifier()) < 0;
    BgpConnection incoming = pending;
    pending = null;
    if (keepIncoming) {
      conn.send(BgpMessageCodec.encode(new BgpMessage.Notification(BgpError.CEASE_CONNECTION_COLLISION, new byte[0]), ctx));
      conn.close();
      conn = incoming;
      restartHold(speaker.timers().openHold());
    } else {
      reject(incoming);
    }
    return from == conn;
  }

  private void dropPending() {
    if (pending != null) {
      pending.close();
      pending = null;
    }
  }

  private void reject(BgpConnection c) {
    c.send(BgpMessageCodec.encode(new BgpMessage.Notification(BgpError.CEASE_CONNECTION_COLLISION, new byte[0]), ctx));
    c.close();
  }

  private void replaceWith(BgpConnection c) {
    sendNotification(BgpError.CEASE_CONNECTION_COLLISION, new byte[0]);
    conn.close();
    conn = null;
    cancelTimers();
    adopt(c);
  }

  private void adopt(BgpConnection c) {
    conn = c;
    peerOpen = null;
    c.start(this);
    send(localOpen());
    state = SessionState.OPEN_SENT;
    restartHold(speaker.timers().openHold());
  }

  BgpMessage.Open localOpen() {
    long asn = speaker.localAsn();
    List<Capability> caps = new ArrayList<>();
    caps.add(new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST));
    caps.add(new Capability.RouteRefresh());
    caps.add(new Capability.FourOctetAs(asn));
    if (speaker.timers().gracefulRestart() > 0) {
      // R and F only when coming back from a restart. F says the routes we advertise can still be
      // forwarded: they are our addressSpace and sites, rebuilt from the same manifests on the same
      // tunnels, so the peer may keep using them until our End-of-RIB (RFC 4724 §4.2). A first
      // start sends F=0, as BIRD does outside recovery.
      caps.add(new Capability.GracefulRestart(restarting, speaker.timers().gracefulRestart(),
          List.of(new Capability.GrFamily(AddressFamily.IPV4_UNICAST, restarting))));
    }
    int myAs = asn > 0xffff ? 23456 : (int) asn;
    return new BgpMessage.Open(4, myAs, speaker.timers().hold(), speaker.routerId(), caps);
  }

  // ---- events from the connection (reader thread) -----------------------------------------------

  @Override
  public void onFrame(BgpConnection from, byte[] frame) {
    loop.execute(() -> handleFrame(from, frame));
  }

  @Override
  public void onFrameError(BgpConnection from, BgpProtocolException error) {
    loop.execute(() -> {
      if (from == pending) {
        dropPending();
      } else if (from == conn) {
        fail(error);
      }
    });
  }

  @Override
  public void onClosed(BgpConnection from, String reason) {
    loop.execute(() -> {
      if (from == pending) {
        pending = null;
      } else if (from == conn) {
        drop(reason, true, speaker.timers().idleHold());
      }
    });
  }

  void handleFrame(BgpConnection from, byte[] frame) {
    if (from != conn && (from != pending || pending == null)) {
      return;
    }
    messagesReceived++;
    BgpMessage m;
    try {
      m = BgpMessageCodec.decode(frame, ctx);
    } catch (BgpProtocolException e) {
      if (from == pending) {
        dropPending();
      } else {
        fail(e);
      }
      return;
    }
    if (pending != null) {
      if (m instanceof BgpMessage.Open o) {
        if (!resolveCollision(from, o)) {
          return;
        }
      } else if (from == pending) {
        dropPending(); // anything but OPEN first on the racing connection ends it
        return;
      }
    }
    if (m instanceof BgpMessage.Notification n) {
      lastError = "received NOTIFICATION: " + (n.error() == null ? n.code() + "/" + n.subcode() : n.error().describe());
      drop(lastError, false, speaker.timers().idleHold());
      return;
    }
    try {
      switch (state) {
        case OPEN_SENT -> {
          if (!(m instanceof BgpMessage.Open o)) {
            throw new BgpProtocolException(BgpError.FSM_UNEXPECTED_IN_OPEN_SENT, "expected OPEN, got " + m.getClass().getSimpleName());
          }
          onOpen(o);
        }
        case OPEN_CONFIRM -> {
          if (!(m instanceof BgpMessage.Keepalive)) {
            throw new BgpProtocolException(BgpError.FSM_UNEXPECTED_IN_OPEN_CONFIRM, "expected KEEPALIVE, got " + m.getClass().getSimpleName());
          }
          establish();
        }
        case ESTABLISHED -> {
          restartHold(negotiatedHold);
          switch (m) {
            case BgpMessage.Update u -> {
              updatesReceived++;
              if (u.attributeError().isPresent()) {
                treatAsWithdraw++;
                lastWarning = "treat-as-withdraw (RFC 7606): " + u.attributeError().get();
                LOG.log(System.Logger.Level.WARNING, "{0}: {1}", peer.sourceId(), lastWarning);
              }
              host.onUpdate(this, u);
            }
            case BgpMessage.RouteRefresh r -> {
              refreshesReceived++;
              host.onRouteRefresh(this, r.family());
            }
            case BgpMessage.Keepalive k -> { }
            case BgpMessage.Open o -> throw new BgpProtocolException(BgpError.FSM_UNEXPECTED_IN_ESTABLISHED, "OPEN in Established");
            case BgpMessage.Notification n -> { }
          }
        }
        default -> { }
      }
    } catch (BgpProtocolException e) {
      fail(e);
    }
  }

  private void onOpen(BgpMessage.Open o) throws BgpProtocolException {
    if (o.asn() != peer.peerAsn()) {
      byte[] data = ByteBuffer.allocate(2).putShort((short) o.myAs()).array();
      throw new BgpProtocolException(BgpError.BAD_PEER_AS, "peer AS " + o.asn() + " != configured " + peer.peerAsn(), data);
    }
    if (o.bgpIdentifier() == 0 || o.bgpIdentifier() == speaker.routerId()) {
      throw new BgpProtocolException(BgpError.BAD_BGP_IDENTIFIER, "peer BGP identifier " + Ipv4Prefix.format(o.bgpIdentifier()) + " is zero or ours");
    }
    peerOpen = o;
    fourOctetAs = o.capability(Capability.FourOctetAs.class).isPresent();
    ctx = new AttributeContext(fourOctetAs, true);
    int ours = speaker.timers().hold();
    negotiatedHold = Math.min(ours, o.holdTime());
    send(new BgpMessage.Keepalive());
    state = SessionState.OPEN_CONFIRM;
    restartHold(negotiatedHold);
    startKeepalives();
  }

  private void establish() {
    state = SessionState.ESTABLISHED;
    connectedSince = loop.nowMillis();
    establishedTransitions++;
    lastError = "";
    host.onEstablished(this);
    restarting = false; // End-of-RIB went out in onEstablished: the restart is over for this peer
  }

  // ---- timers --------------------------------------------------------------------------------

  private void restartHold(int seconds) {
    cancel(holdTimer);
    holdTimer = null;
    if (seconds > 0) {
      BgpConnection c = conn;
      holdTimer = loop.schedule(seconds * 1000L, () -> {
        if (c == conn) {
          sendNotification(BgpError.HOLD_TIMER_EXPIRED, new byte[0]);
          drop("hold timer expired (" + seconds + " s without a message)", false, speaker.timers().idleHold());
        }
      });
    }
  }

  private void startKeepalives() {
    cancel(keepaliveTimer);
    keepaliveTimer = null;
    if (negotiatedHold > 0) {
      long every = Math.max(1000L, negotiatedHold * 1000L / 3);
      BgpConnection c = conn;
      keepaliveTimer = loop.schedule(every, new Runnable() {
        @Override
        public void run() {
          if (c == conn && (state == SessionState.OPEN_CONFIRM || state == SessionState.ESTABLISHED)) {
            send(new BgpMessage.Keepalive());
            keepaliveTimer = loop.schedule(every, this);
          }
        }
      });
    }
  }

  private void cancelTimers() {
    cancel(holdTimer);
    cancel(keepaliveTimer);
    cancel(retryTimer);
    holdTimer = keepaliveTimer = retryTimer = null;
  }

  private static void cancel(ControlLoop.Cancellable c) {
    if (c != null) {
      c.cancel();
    }
  }

  // ---- errors and teardown ------------------------------------------------------------------------

  private void fail(BgpProtocolException e) {
    LOG.log(System.Logger.Level.WARNING, "{0}: {1}", peer.sourceId(), e.getMessage());
    sendNotification(e.error(), e.data());
    drop("sent NOTIFICATION: " + e.getMessage(), false, speaker.timers().idleHold());
  }

  /** RFC 4486: CEASE / Maximum Number of Prefixes Reached, data AFI, SAFI, limit. */
  public void dropForPrefixLimit(int received) {
    byte[] data = ByteBuffer.allocate(7).putShort((short) 1).put((byte) 1).putInt(peer.maxPrefixes()).array();
    sendNotification(BgpError.CEASE_MAX_PREFIXES, data);
    // Idle (refusing the peer) for prefixLimitIdle: a peer that keeps announcing too much must not
    // make the session flap in a tight loop.
    drop(PREFIX_LIMIT_EXCEEDED + ": received " + received + " > limit " + peer.maxPrefixes() + " (sent CEASE); idle for "
        + speaker.timers().prefixLimitIdle() + " s before accepting the peer again", false, speaker.timers().prefixLimitIdle());
  }

  private void sendNotification(BgpError error, byte[] data) {
    if (conn != null) {
      send(new BgpMessage.Notification(error, data));
    }
  }

  private void drop(String reason, boolean tcpFailure, int restartAfterSeconds) {
    boolean wasEstablished = state == SessionState.ESTABLISHED;
    boolean keepStale = wasEstablished && tcpFailure && gracefulRestartNegotiated();
    cancelTimers();
    dropPending();
    if (conn != null) {
      conn.close();
      conn = null;
    }
    if (!reason.isEmpty()) {
      lastError = reason;
    }
    state = SessionState.IDLE;
    connectedSince = -1;
    connectAttempt++;
    if (wasEstablished) {
      host.onDown(this, keepStale);
    }
    if (!adminStopped && started) {
      retryTimer = loop.schedule(restartAfterSeconds * 1000L, () -> {
        if (state == SessionState.IDLE && !adminStopped) {
          leaveIdle();
        }
      });
    }
  }

  public boolean gracefulRestartNegotiated() {
    return speaker.timers().gracefulRestart() > 0 && peerGracefulRestart() != null
        && peerGracefulRestart().covers(AddressFamily.IPV4_UNICAST);
  }

  public Capability.GracefulRestart peerGracefulRestart() {
    return peerOpen == null ? null : peerOpen.capability(Capability.GracefulRestart.class).orElse(null);
  }

  // ---- output ----------------------------------------------------------------------------------

  public void send(BgpMessage m) {
    if (conn == null) {
      return;
    }
    conn.send(BgpMessageCodec.encode(m, ctx));
    messagesSent++;
    if (m instanceof BgpMessage.Update) {
      updatesSent++;
    }
  }

  // ---- accessors (loop thread) ----------------------------------------------------------------------

  public BgpPeerConfig peer() {
    return peer;
  }

  public BgpSpeakerConfig speaker() {
    return speaker;
  }

  public SessionState state() {
    return state;
  }

  public boolean started() {
    return started;
  }

  public boolean adminStopped() {
    return adminStopped;
  }

  public BgpMessage.Open peerOpen() {
    return peerOpen;
  }

  public int negotiatedHold() {
    return negotiatedHold;
  }

  public boolean fourOctetAs() {
    return fourOctetAs;
  }

  public AttributeContext attributeContext() {
    return ctx;
  }

  /** Our address on this session: next-hop self for eBGP. */
  public int localAddress() {
    return conn != null ? conn.localAddress() : peer.localAddress();
  }

  public long messagesSent() {
    return messagesSent;
  }

  public long messagesReceived() {
    return messagesReceived;
  }

  public long updatesReceived() {
    return updatesReceived;
  }

  public long updatesSent() {
    return updatesSent;
  }

  public long treatAsWithdrawCount() {
    return treatAsWithdraw;
  }

  public long refreshesReceived() {
    return refreshesReceived;
  }

  public long refreshesSent() {
    return refreshesSent;
  }

  public boolean restarting() {
    return restarting;
  }

  public long establishedTransitions() {
    return establishedTransitions;
  }

  public long connectedSinceMillis() {
    return connectedSince;
  }

  public String lastError() {
    return lastError;
  }

  public String lastWarning() {
    return lastWarning;
  }

  public void warn(String w) {
    lastWarning = w;
  }
}
