package dev.vpngw.dataplane.bgp;

import dev.vpngw.dataplane.bgp.attr.AsPath;
import dev.vpngw.dataplane.bgp.attr.Origin;
import dev.vpngw.dataplane.bgp.attr.PathAttributes;
import dev.vpngw.dataplane.bgp.session.BgpSession;
import dev.vpngw.dataplane.bgp.session.SessionState;
import dev.vpngw.dataplane.bgp.wire.AddressFamily;
import dev.vpngw.dataplane.bgp.wire.BgpMessage;
import dev.vpngw.dataplane.bgp.wire.Capability;
import dev.vpngw.dataplane.routing.ControlLoop;
import dev.vpngw.dataplane.routing.IpPrefix;
import dev.vpngw.dataplane.routing.Ipv4Prefix;
import dev.vpngw.dataplane.routing.Route;
import dev.vpngw.dataplane.routing.RouteKind;
import dev.vpngw.dataplane.routing.RoutingTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The speaker's route handling, Azure's policy: import from each peer into the shared
 * {@link RoutingTable} (AS-path loop check, own-addressSpace filter, prefix limit, graceful
 * restart), and export the table's best paths to every established peer (own addressSpace, sites'
 * static prefixes, transit routes; never a default route, never our addressSpace back from
 * learned routes, next-hop self). Runs on the control loop.
 */
public final class BgpRib implements BgpSession.Host, RoutingTable.SelectionListener {
  private static final System.Logger LOG = System.getLogger(BgpRib.class.getName());
  private final BgpSpeakerConfig config;
  private final RoutingTable table;
  private final ControlLoop loop;
  private final Map<BgpSession, PeerState> peers = new LinkedHashMap<>();

  static final class PeerState {
    final AdjRibOut out = new AdjRibOut();
    final Set<Ipv4Prefix> accepted = new HashSet<>();
    final Set<Ipv4Prefix> filtered = new HashSet<>();
    ControlLoop.Cancellable staleTimer;
    boolean awaitingEndOfRib;
    long ipv6Ignored;
  }

  public BgpRib(BgpSpeakerConfig config, RoutingTable table, ControlLoop loop) {
    this.config = config;
    this.table = table;
    this.loop = loop;
    table.addSelectionListener(this);
  }

  public void register(BgpSession s) {
    peers.put(s, new PeerState());
  }

  /** A peer removed from the configuration: everything it taught us goes, stale routes included. */
  public void unregister(BgpSession s) {
    PeerState ps = peers.remove(s);
    if (ps != null) {
      cancelStale(ps);
    }
    table.withdrawAll(s.peer().sourceId());
    table.commit();
  }

  // ---- import ----------------------------------------------------------------------------------

  @Override
  public void onUpdate(BgpSession s, BgpMessage.Update u) {
    PeerState ps = peers.get(s);
    String src = s.peer().sourceId();
    PathAttributes a = u.attributes();
    List<Ipv4Prefix> withdrawn = new ArrayList<>(u.withdrawn());
    List<Ipv4Prefix> reach = new ArrayList<>(u.nlri());
    int nextHop = a.nextHop() == null ? 0 : a.nextHop();
    if (a.mpUnreach() != null) {
      collect(a.mpUnreach().withdrawn(), withdrawn, ps);
    }
    if (a.mpReach() != null) {
      collect(a.mpReach().nlri(), reach, ps);
      byte[] nh = a.mpReach().nextHop();
      if (a.mpReach().family().afi() == AddressFamily.AFI_IPV4 && nh.length >= 4) {
        nextHop = ((nh[0] & 0xff) << 24) | ((nh[1] & 0xff) << 16) | ((nh[2] & 0xff) << 8) | (nh[3] & 0xff);
      }
    }
    for (Ipv4Prefix p : withdrawn) {
      forget(ps, p, src);
    }
    if (u.attributeError().isPresent()) {
      for (Ipv4Prefix p : reach) {
        forget(ps, p, src); // RFC 7606 treat-as-withdraw
      }
    } else if (!reach.isEmpty()) {
      String reject = importReject(a, s);
      PathAttributes kept = a.withMpReach(null).withMpUnreach(null);
      BgpPathDetail detail = new BgpPathDetail(kept); // shared by every prefix of this UPDATE
      int routerId = s.peerOpen() == null ? 0 : s.peerOpen().bgpIdentifier();
      for (Ipv4Prefix p : reach) {
        String why = reject != null ? reject : overlapsOwn(p) ? "exact or more specific prefix of our addressSpace" : null;
        if (why != null) {
          table.withdraw(p, src);
          ps.accepted.remove(p);
          ps.filtered.add(p);
          continue;
        }
        table.upsert(new Route(p, src, RouteKind.EBGP, s.peer().tunnelSlot(), nextHop, s.peer().weight(), Route.DEFAULT_LOCAL_PREF,
            kept.asPath().length(), kept.origin().code(), kept.med() == null ? 0 : kept.med(), s.peer().peerAsn(), routerId, false, detail));
        ps.filtered.remove(p);
        ps.accepted.add(p);
      }
      if (reject != null) {
        s.warn("routes rejected: " + reject);
      }
    }
    int received = ps.accepted.size() + ps.filtered.size();
    if (received > s.peer().maxPrefixes()) {
      LOG.log(System.Logger.Level.WARNING, "{0}: {1} prefixes > limit {2}, dropping session", src, received, s.peer().maxPrefixes());
      s.dropForPrefixLimit(received); // calls onDown, which withdraws everything from this peer
    } else if (u.endOfRib().filter(AddressFamily.IPV4_UNICAST::equals).isPresent() && ps.awaitingEndOfRib) {
      sweepStale(s, ps);
    }
    table.commit();
  }

  private static void collect(List<IpPrefix> from, List<Ipv4Prefix> into, PeerState ps) {
    for (IpPrefix p : from) {
      if (p instanceof Ipv4Prefix v4) {
        into.add(v4);
      } else {
        ps.ipv6Ignored++; // IPv6 NLRI are decoded; the IPv6 FIB comes with IPv6 tunnels
      }
    }
  }

  private void forget(PeerState ps, Ipv4Prefix p, String src) {
    table.withdraw(p, src);
    ps.accepted.remove(p);
    ps.filtered.remove(p);
  }

  private String importReject(PathAttributes a, BgpSession s) {
    AsPath path = a.asPath();
    if (path.contains(config.localAsn())) {
      return "AS path " + path + " contains our ASN " + config.localAsn() + " (loop)";
    }
    if (path.firstAs() != s.peer().peerAsn()) {
      return "AS path " + path + " does not start with the peer's ASN " + s.peer().peerAsn();
    }
    return null;
  }

  /** Azure drops learned prefixes equal to (or inside) its own addressSpace; supersets pass. */
  private boolean overlapsOwn(Ipv4Prefix p) {
    for (Ipv4Prefix own : config.ownPrefixes()) {
      if (own.covers(p)) {
        return true;
      }
    }
    return false;
  }

  // ---- session lifecycle ----------------------------------------------------------------------------

  @Override
  public void onEstablished(BgpSession s) {
    PeerState ps = peers.get(s);
    ps.out.clear();
    String src = s.peer().sourceId();
    if (table.staleCountFrom(src) > 0) {
      cancelStale(ps);
      Capability.GracefulRestart gr = s.peerGracefulRestart();
      if (gr != null && gr.preservedForwarding(AddressFamily.IPV4_UNICAST)) {
        ps.awaitingEndOfRib = true;
        ps.staleTimer = loop.schedule(config.timers().staleRoutes() * 1000L, () -> {
          sweepStale(s, ps);
          table.commit();
        });
      } else {
        sweepStale(s, ps); // RFC 4724 §4.2: F bit clear, the peer lost forwarding state
        table.commit();
      }
    }
    table.selectedRoutes().forEach((p, sel) -> ps.out.want(p, export(sel.getFirst(), s)));
    sendAll(s, ps.out.drain(s.attributeContext()));
    if (s.peerGracefulRestart() != null) {
      s.send(new BgpMessage.Update(List.of(), PathAttributes.EMPTY, List.of())); // End-of-RIB
    }
  }

  @Override
  public void onRouteRefresh(BgpSession s, AddressFamily family) {
    if (family.equals(AddressFamily.IPV4_UNICAST)) {
      sendAll(s, peers.get(s).out.full(s.attributeContext()));
    }
  }

  @Override
  public void onDown(BgpSession s, boolean keepStale) {
    PeerState ps = peers.get(s);
    ps.out.clear();
    String src = s.peer().sourceId();
    cancelStale(ps);
    ps.awaitingEndOfRib = false;
    if (keepStale) {
      table.markStale(src);
      int restart = Math.min(s.peerGracefulRestart().restartTimeSeconds(), config.timers().gracefulRestart());
      LOG.log(System.Logger.Level.INFO, "{0}: session lost, keeping {1} routes stale for {2} s (graceful restart)",
          src, table.countFrom(src), restart);
      ps.staleTimer = loop.schedule(restart * 1000L, () -> {
        sweepStale(s, ps);
        table.commit();
      });
    } else {
      table.withdrawAll(src);
      ps.accepted.clear();
      ps.filtered.clear();
    }
    table.commit();
  }

  private void sweepStale(BgpSession s, PeerState ps) {
    cancelStale(ps);
    ps.awaitingEndOfRib = false;
    String src = s.peer().sourceId();
    int n = table.sweepStale(src);
    ps.accepted.retainAll(table.prefixesFrom(src));
    if (n > 0) {
      LOG.log(System.Logger.Level.INFO, "{0}: removed {1} stale routes", src, n);
    }
  }

  private static void cancelStale(PeerState ps) {
    if (ps.staleTimer != null) {
      ps.staleTimer.cancel();
      ps.staleTimer = null;
    }
  }

  // ---- export ----------------------------------------------------------------------------------

  @Override
  public void onSelectionChanged(List<RoutingTable.SelectionChange> changes) {
    for (var e : peers.entrySet()) {
      BgpSession s = e.getKey();
      if (s.state() != SessionState.ESTABLISHED) {
        continue;
      }
      AdjRibOut out = e.getValue().out;
      for (RoutingTable.SelectionChange c : changes) {
        out.want(c.prefix(), c.selected().isEmpty() ? null : export(c.selected().getFirst(), s));
      }
      sendAll(s, out.drain(s.attributeContext()));
    }
  }

  /** The attributes to advertise {@code best} with to {@code to}, or null to not advertise it. */
  PathAttributes export(Route best, BgpSession to) {
    Ipv4Prefix p = best.prefix();
    BgpPeerConfig pc = to.peer();
    if (p.length() == 0) {
      return null; // never a default route
    }
    if (best.sourceId().equals(pc.sourceId())) {
      return null; // split horizon
    }
    int nh = to.localAddress();
    AsPath own = AsPath.sequence(config.localAsn());
    return switch (best.kind()) {
      case NETWORK -> new PathAttributes(Origin.IGP, own, nh, null, null, List.of(), null, null, null, List.of());
      case STATIC -> best.tunnelSlot() == pc.tunnelSlot() ? null
          : new PathAttributes(Origin.IGP, own, nh, null, null, List.of(), null, null, null, List.of());
      case EBGP -> {
        if (overlapsOwnAny(p) || !(best.detail() instanceof BgpPathDetail d)) {
          yield null;
        }
        PathAttributes a = d.attributes();
        if (a.asPath().contains(pc.peerAsn())) {
          yield null; // the peer would drop it as a loop
        }
        // MED is not passed to a third AS (RFC 4271 §5.1.4); LOCAL_PREF never goes to eBGP peers.
        yield new PathAttributes(a.origin(), a.asPath().prepend(config.localAsn()), nh, null, null, a.communities(), null, null, null, a.others());
      }
    };
  }

  private boolean overlapsOwnAny(Ipv4Prefix p) {
    for (Ipv4Prefix own : config.ownPrefixes()) {
      if (own.overlaps(p)) {
        return true;
      }
    }
    return false;
  }

  private static void sendAll(BgpSession s, List<BgpMessage.Update> updates) {
    for (BgpMessage.Update u : updates) {
      s.send(u);
    }
  }

  // ---- status ----------------------------------------------------------------------------------

  public int routesReceived(BgpSession s) {
    PeerState ps = peers.get(s);
    return ps.accepted.size() + ps.filtered.size();
  }

  public Map<Ipv4Prefix, PathAttributes> advertised(BgpSession s) {
    return peers.get(s).out.advertised();
  }

  public long ipv6Ignored(BgpSession s) {
    return peers.get(s).ipv6Ignored;
  }
}
