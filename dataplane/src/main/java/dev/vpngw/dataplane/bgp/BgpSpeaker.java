package dev.vpngw.dataplane.bgp;

import dev.vpngw.dataplane.bgp.attr.PathAttributes;
import dev.vpngw.dataplane.bgp.io.BgpConnection;
import dev.vpngw.dataplane.bgp.io.SocketFactory;
import dev.vpngw.dataplane.bgp.io.TcpBgpConnection;
import dev.vpngw.dataplane.bgp.session.BgpSession;
import dev.vpngw.dataplane.bgp.session.SessionState;
import dev.vpngw.dataplane.bgp.status.BgpPeerStatus;
import dev.vpngw.dataplane.bgp.status.GatewayRoute;
import dev.vpngw.dataplane.routing.ControlLoop;
import dev.vpngw.dataplane.routing.Ipv4Prefix;
import dev.vpngw.dataplane.routing.Route;
import dev.vpngw.dataplane.routing.RouteKind;
import dev.vpngw.dataplane.routing.RoutingTable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The BGP speaker: a TCP listener (port 179), one {@link BgpSession} per configured neighbour and
 * the {@link BgpRib} feeding the shared {@link RoutingTable}. Control-plane state lives on the
 * {@link ControlLoop}; the public methods may be called from any thread.
 *
 * <pre>{@code
 * var loop = new ExecutorControlLoop("bgp");
 * var table = new RoutingTable(loop, 10);
 * var speaker = new BgpSpeaker(config, table, loop, SocketFactory.DEFAULT);
 * speaker.start();            // listens, dials ACTIVE peers
 * table.fib().lookup(dst, h); // packet path
 * speaker.peerStatus();       // Azure list-bgp-peer-status
 * }</pre>
 */
public final class BgpSpeaker implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(BgpSpeaker.class.getName());
  private final BgpSpeakerConfig config;
  private final RoutingTable table;
  private final ControlLoop loop;
  private final SocketFactory sockets;
  private final BgpRib rib;
  /** By peer address; changed only on the loop (peers come and go with reloads). */
  private final Map<Integer, BgpSession> sessions = new LinkedHashMap<>();
  private ServerSocketChannel server;
  private volatile boolean started;
  private volatile boolean closed;
  private boolean restarting;

  public BgpSpeaker(BgpSpeakerConfig config, RoutingTable table, ControlLoop loop, SocketFactory sockets) {
    this.config = config;
    this.table = table;
    this.loop = loop;
    this.sockets = sockets;
    this.rib = new BgpRib(config, table, loop);
    for (BgpPeerConfig p : config.peers()) {
      newSession(p);
    }
  }

  private BgpSession newSession(BgpPeerConfig p) {
    BgpSession s = new BgpSession(config, p, loop, rib, this::dial);
    sessions.put(p.peerAddress(), s);
    rib.register(s);
    return s;
  }

  /**
   * Before {@link #start()}: this process restarted within the graceful-restart time (see
   * {@link GracefulRestartMarker}); the configured sessions announce the Restart State until each
   * has come back once, or until the restart time is over (the peers will have flushed by then).
   */
  public void restarting(boolean r) {
    call(() -> {
      restarting = r;
      sessions.values().forEach(s -> s.restarting(r));
      if (r) {
        loop.schedule(config.timers().gracefulRestart() * 1000L, () -> sessions.values().forEach(s -> s.restarting(false)));
      }
      return null;
    });
  }

  public boolean startedAsRestart() {
    return restarting;
  }

  /** Installs our addressSpace, opens the listener and starts every session. */
  public void start() throws IOException {
    call(() -> {
      table.setNetwork(config.ownPrefixes());
      table.commit();
      return null;
    });
    server = sockets.openServer();
    server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    server.bind(new InetSocketAddress(config.port()));
    Thread.ofPlatform().daemon().name("bgp-accept").start(this::acceptLoop);
    call(() -> {
      started = true;
      sessions.values().forEach(BgpSession::start);
      return null;
    });
  }

  /**
   * Moves to a new set of neighbours (after a reload): new ones start, removed ones are stopped
   * (Cease) and their routes withdrawn, changed ones are replaced; sessions whose configuration is
   * unchanged are not touched, so their uptime and routes continue. Returns what changed.
   */
  public String reconcilePeers(List<BgpPeerConfig> desired) {
    return call(() -> {
      Map<Integer, BgpPeerConfig> want = new LinkedHashMap<>();
      desired.forEach(p -> want.put(p.peerAddress(), p));
      List<String> added = new ArrayList<>();
      List<String> removed = new ArrayList<>();
      List<String> replaced = new ArrayList<>();
      for (BgpSession s : List.copyOf(sessions.values())) {
        BgpPeerConfig w = want.get(s.peer().peerAddress());
        if (w == null || !w.equals(s.peer())) {
          remove(s);
          (w == null ? removed : replaced).add(s.peer().sourceId());
        }
      }
      for (BgpPeerConfig p : want.values()) {
        if (!sessions.containsKey(p.peerAddress())) {
          if (p.peerAsn() == config.localAsn()) {
            LOG.log(System.Logger.Level.WARNING, "peer {0}: asn {1} equals ours, not started", p.sourceId(), p.peerAsn());
            continue;
          }
          BgpSession s = newSession(p);
          if (started) {
            s.start();
          }
          if (!replaced.contains(p.sourceId())) {
            added.add(p.sourceId());
          }
        }
      }
      String summary = "BGP peers added " + added + ", removed " + removed + ", replaced " + replaced;
      if (!added.isEmpty() || !removed.isEmpty() || !replaced.isEmpty()) {
        LOG.log(System.Logger.Level.INFO, summary);
      }
      return summary;
    });
  }

  private void remove(BgpSession s) {
    sessions.remove(s.peer().peerAddress());
    s.stop();
    // After the stop (queued behind it on the loop): stale routes too go with the peer.
    loop.execute(() -> rib.unregister(s));
  }

  /** Peers configured now (on any thread). */
  public List<BgpPeerConfig> peers() {
    return call(() -> sessions.values().stream().map(BgpSession::peer).toList());
  }

  public boolean hasPeer(String peer) {
    return call(() -> sessions.containsKey(Ipv4Prefix.parseAddress(peer)));
  }

  /**
   * The tunnel in {@code tunnelSlot} went down: its sessions end now and their routes leave the
   * FIB, so ECMP flows move to the remaining tunnels without waiting for the hold timer.
   */
  public void tunnelDown(int tunnelSlot, String tunnel) {
    loop.execute(() -> sessions.values().stream().filter(s -> s.peer().tunnelSlot() == tunnelSlot)
        .forEach(s -> s.tunnelDown(tunnel)));
  }

  /**
   * Route refresh from our side: {@code in} asks the peer to resend its routes (RFC 2918
   * ROUTE-REFRESH), {@code out} sends ours again. {@code peer} null means every peer.
   */
  public String refresh(String peer, boolean in, boolean out) {
    return call(() -> {
      List<BgpSession> targets = peer == null ? List.copyOf(sessions.values()) : List.of(session(peer));
      List<String> done = new ArrayList<>();
      for (BgpSession s : targets) {
        List<String> what = new ArrayList<>();
        if (s.state() != SessionState.ESTABLISHED) {
          done.add(s.peer().sourceId() + ": not established (" + s.state() + ")");
          continue;
        }
        if (in) {
          what.add(s.requestRefresh() ? "ROUTE-REFRESH sent" : "peer lacks route refresh");
        }
        if (out) {
          rib.onRouteRefresh(s, dev.vpngw.dataplane.bgp.wire.AddressFamily.IPV4_UNICAST);
          what.add(rib.advertised(s).size() + " routes re-sent");
        }
        done.add(s.peer().sourceId() + ": " + String.join(", ", what));
      }
      if (done.isEmpty()) {
        throw new IllegalArgumentException("no BGP peers on this instance");
      }
      return String.join("; ", done);
    });
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.log(System.Logger.Level.ERROR, "BGP listener failed", e);
        }
        return;
      }
      try {
        TcpBgpConnection c = new TcpBgpConnection(ch, false);
        loop.execute(() -> {
          BgpSession s = sessions.get(c.remoteAddress());
          if (s == null) {
            LOG.log(System.Logger.Level.WARNING, "refusing BGP connection from unconfigured {0}", Ipv4Prefix.format(c.remoteAddress()));
            c.close();
          } else {
            s.accept(c);
          }
        });
      } catch (IOException e) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // nothing to do
        }
      }
    }
  }

  private void dial(int local, int remote, int port, Consumer<BgpConnection> ok, Consumer<String> failed) {
    Thread.ofVirtual().name("bgp-dial-" + Ipv4Prefix.format(remote)).start(() -> {
      SocketChannel ch = null;
      try {
        ch = sockets.openClient();
        ch.bind(new InetSocketAddress(InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(local).array()), 0));
        ch.socket().connect(new InetSocketAddress(InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(remote).array()), port), 5000);
        ok.accept(new TcpBgpConnection(ch, true));
      } catch (IOException e) {
        if (ch != null) {
          try {
            ch.close();
          } catch (IOException ignored) {
            // already failed
          }
        }
        failed.accept(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      }
    });
  }

  /** Runs {@code task} on the control loop and waits for its result. */
  private <T> T call(Supplier<T> task) {
    if (loop.inLoop()) {
      return task.get();
    }
    CompletableFuture<T> f = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        f.complete(task.get());
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r; // e.g. "peer 192.0.2.9 is not configured" reaches the caller as it is
      }
      throw new IllegalStateException("control loop task failed", e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("control loop did not answer", e);
    }
  }

  public BgpSpeakerConfig config() {
    return config;
  }

  public RoutingTable table() {
    return table;
  }

  public SessionState state(String peer) {
    return call(() -> session(peer).state());
  }

  /** Sends ROUTE-REFRESH to the peer; false if the session is not up or the peer lacks it. */
  public boolean requestRefresh(String peer) {
    return call(() -> session(peer).requestRefresh());
  }

  public void stopPeer(String peer) {
    call(() -> session(peer)).stop();
  }

  public void startPeer(String peer) {
    call(() -> session(peer)).start();
  }

  private BgpSession session(String peer) {
    BgpSession s = sessions.get(Ipv4Prefix.parseAddress(peer));
    if (s == null) {
      throw new IllegalArgumentException("peer " + peer + " is not configured");
    }
    return s;
  }

  // ---- status (Azure shapes) ---------------------------------------------------------------------

  public List<BgpPeerStatus> peerStatus() {
    return call(() -> {
      List<BgpPeerStatus> out = new ArrayList<>();
      for (BgpSession s : sessions.values()) {
        out.add(status(s));
      }
      return out;
    });
  }

  public BgpPeerStatus peerStatus(String peer) {
    return call(() -> status(session(peer)));
  }

  private BgpPeerStatus status(BgpSession s) {
    String azure;
    if (!s.started()) {
      azure = "Unknown";
    } else if (s.adminStopped()) {
      azure = "Stopped";
    } else {
      azure = switch (s.state()) {
        case IDLE -> "Idle";
        case CONNECT, ACTIVE, OPEN_SENT, OPEN_CONFIRM -> "Connecting";
        case ESTABLISHED -> "Connected";
      };
    }
    long since = s.connectedSinceMillis();
    String src = s.peer().sourceId();
    return new BgpPeerStatus(Ipv4Prefix.format(s.localAddress()), src, s.peer().peerAsn(), azure,
        since < 0 ? "" : BgpPeerStatus.timeSpan(loop.nowMillis() - since), rib.routesReceived(s), s.messagesSent(),
        s.messagesReceived(), s.state().name(), s.negotiatedHold(), s.state() == SessionState.ESTABLISHED && s.fourOctetAs(),
        s.gracefulRestartNegotiated(), table.staleCountFrom(src), s.treatAsWithdrawCount(), s.refreshesReceived(), s.lastError(),
        s.lastWarning(), s.updatesReceived(), s.updatesSent(), s.refreshesSent(), s.establishedTransitions(), s.restarting());
  }

  /** Azure's list-learned-routes: every candidate route, static and own included. */
  public List<GatewayRoute> learnedRoutes() {
    return call(() -> {
      List<GatewayRoute> out = new ArrayList<>();
      for (Route r : table.allRoutes()) {
        BgpSession s = r.kind() == RouteKind.EBGP ? sessions.get(Ipv4Prefix.parseAddress(r.sourceId())) : null;
        String local = s != null ? Ipv4Prefix.format(s.localAddress()) : localAddressOf(r);
        String nextHop = r.kind() == RouteKind.EBGP ? Ipv4Prefix.format(r.nextHop()) : "";
        String source = r.kind() == RouteKind.EBGP ? r.sourceId() : local;
        String path = r.detail() == null ? "" : r.detail().asPathText();
        out.add(new GatewayRoute(local, r.prefix().toString(), nextHop, source, r.kind().azureName(), path, r.weight()));
      }
      return out;
    });
  }

  /** Azure reports the gateway's BGP address: the one on the route's tunnel, else the first. */
  private String localAddressOf(Route r) {
    for (BgpSession s : sessions.values()) {
      if (r.kind() == RouteKind.STATIC && s.peer().tunnelSlot() == r.tunnelSlot()) {
        return Ipv4Prefix.format(s.peer().localAddress());
      }
    }
    return sessions.isEmpty() ? Ipv4Prefix.format(config.routerId())
        : Ipv4Prefix.format(sessions.values().iterator().next().peer().localAddress());
  }

  /** One prefix of the forwarding table: the ECMP set, best first, as next hops and tunnel slots. */
  public record ForwardingEntry(String prefix, String origin, List<String> nextHops, List<Integer> tunnelSlots) {}

  /** What the FIB forwards by (selected routes with a tunnel; our own addressSpace is left out). */
  public List<ForwardingEntry> forwarding() {
    return call(() -> {
      List<ForwardingEntry> out = new ArrayList<>();
      table.selectedRoutes().forEach((p, sel) -> {
        if (sel.isEmpty() || sel.getFirst().kind() == RouteKind.NETWORK) {
          return;
        }
        out.add(new ForwardingEntry(p.toString(), sel.getFirst().kind().azureName(),
            sel.stream().map(r -> r.kind() == RouteKind.EBGP ? Ipv4Prefix.format(r.nextHop()) : "static").toList(),
            sel.stream().map(Route::tunnelSlot).toList()));
      });
      out.sort(java.util.Comparator.comparing(ForwardingEntry::prefix));
      return out;
    });
  }

  /** Azure's list-advertised-routes for one peer. */
  public List<GatewayRoute> advertisedRoutes(String peer) {
    return call(() -> {
      BgpSession s = session(peer);
      String local = Ipv4Prefix.format(s.localAddress());
      List<GatewayRoute> out = new ArrayList<>();
      Map<Ipv4Prefix, PathAttributes> adv = rib.advertised(s);
      adv.keySet().stream().sorted().forEach(p -> {
        PathAttributes a = adv.get(p);
        List<Route> sel = table.selected(p);
        Route best = sel.isEmpty() ? null : sel.getFirst();
        String origin = best == null ? RouteKind.EBGP.azureName() : best.kind().azureName();
        String source = best == null || best.kind() != RouteKind.EBGP ? local : best.sourceId();
        out.add(new GatewayRoute(local, p.toString(), Ipv4Prefix.format(a.nextHop()), source, origin, a.asPath().azureString(), 0));
      });
      return out;
    });
  }

  @Override
  public void close() {
    closed = true;
    List.copyOf(sessions.values()).forEach(BgpSession::stop);
    try {
      if (server != null) {
        server.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
  }
}
