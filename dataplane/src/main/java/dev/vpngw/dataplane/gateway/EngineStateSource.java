package dev.vpngw.dataplane.gateway;

import dev.vpngw.crds.v1alpha1.BgpPeerState;
import dev.vpngw.crds.v1alpha1.BgpPeerStatus;
import dev.vpngw.crds.v1alpha1.NegotiatedEsp;
import dev.vpngw.crds.v1alpha1.NegotiatedIke;
import dev.vpngw.dataplane.bgp.BgpSpeaker;
import dev.vpngw.dataplane.config.ConnectionPlan;
import dev.vpngw.dataplane.config.GatewayPlan;
import dev.vpngw.dataplane.config.TunnelPlan;
import dev.vpngw.dataplane.esp.Drop;
import dev.vpngw.dataplane.esp.EspEngine;
import dev.vpngw.dataplane.esp.EspSaParams.Direction;
import dev.vpngw.dataplane.esp.SaManager.SaStats;
import dev.vpngw.dataplane.ike.ChildSaStatus;
import dev.vpngw.dataplane.ike.IkeDaemon;
import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.IkeSaStatus;
import dev.vpngw.dataplane.ike.NatTraversal;
import dev.vpngw.dataplane.status.BgpObservation;
import dev.vpngw.dataplane.status.ChildSaObservation;
import dev.vpngw.dataplane.status.StatusReasons;
import dev.vpngw.dataplane.status.TunnelFailure;
import dev.vpngw.dataplane.status.TunnelObservation;
import dev.vpngw.dataplane.status.TunnelPhase;
import dev.vpngw.dataplane.status.TunnelStateSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A snapshot of the engines in the status vocabulary (the CRs' status shapes). */
final class EngineStateSource implements TunnelStateSource {
  private final GatewayPlan plan;
  private final IkeDaemon daemon;
  private final EspEngine engine;
  private final BgpSpeaker bgp;
  private final boolean standby;

  EngineStateSource(GatewayPlan plan, IkeDaemon daemon, EspEngine engine, BgpSpeaker bgp, boolean standby) {
    this.standby = standby;
    this.plan = plan;
    this.daemon = daemon;
    this.engine = engine;
    this.bgp = bgp;
  }

  @Override
  public List<TunnelObservation> tunnels() {
    if (plan == null || daemon == null) {
      return List.of();
    }
    List<TunnelObservation> out = new ArrayList<>();
    for (TunnelPlan t : plan.tunnels()) {
      out.add(daemon.status(t.name()).map(s -> observe(t, s)).orElseGet(() -> standby
          ? new TunnelObservation(t.name(), TunnelPhase.IDLE, null, null, null, null, null, null, null, null, 0, 0,
              new TunnelFailure(StatusReasons.WAITING_FOR_PEER, "standby instance: takes over when the active one is lost"),
              List.of())
          : TunnelObservation.unknown(t.name(), "not negotiated yet")));
    }
    return out;
  }

  private TunnelObservation observe(TunnelPlan t, IkeSaStatus s) {
    ChildSaStatus child = s.children().isEmpty() ? null : s.children().getLast();
    TunnelPhase phase = switch (s.state()) {
      case ESTABLISHED, REKEYING, REKEYED -> child != null ? TunnelPhase.ESTABLISHED : TunnelPhase.NEGOTIATING;
      case CREATED, CONNECTING -> TunnelPhase.NEGOTIATING;
      case FAILED, DELETING, DESTROYED -> s.lastError() != null ? TunnelPhase.FAILED : TunnelPhase.IDLE;
    };
    long bytesIn = 0;
    long bytesOut = 0;
    for (ChildSaStatus c : s.children()) {
      bytesIn += engine.query(Direction.INBOUND, c.inboundSpi()).map(SaStats::bytes).orElse(0L);
      bytesOut += engine.query(Direction.OUTBOUND, c.outboundSpi()).map(SaStats::bytes).orElse(0L);
    }
    TunnelFailure failure = s.lastError() == null ? null
        : new TunnelFailure(StatusReasons.forIkeNotify(s.lastErrorNotify()),
            (s.lastErrorNotify() == null ? "" : s.lastErrorNotify() + ": ") + s.lastError());
    List<String> weak = new ArrayList<>(s.weakAlgorithms());
    if (child != null) {
      child.weakAlgorithms().stream().filter(w -> !weak.contains(w)).forEach(weak::add);
    }
    return new TunnelObservation(t.name(), phase, endpoint(s.local()), endpoint(s.remote()), ike(s.algorithms()),
        child == null ? null : esp(child.algorithms()),
        child == null ? null : child.inboundSpiHex(), child == null ? null : child.outboundSpiHex(),
        s.state() == IkeSaState.FAILED ? null : s.establishedAt(), null, bytesIn, bytesOut, failure, weak,
        s.nat() == null || s.nat() == NatTraversal.NONE || phase != TunnelPhase.ESTABLISHED ? null
            : s.nat().describe() + (s.peerMoves() > 0 ? "; peer endpoint moved " + s.peerMoves() + " time(s)" : ""));
  }

  /** InetSocketAddress.toString() gives "/198.18.0.1:4500" (no host name): show "198.18.0.1:4500". */
  private static String endpoint(Object address) {
    if (address == null) {
      return null;
    }
    String s = address.toString();
    return s.startsWith("/") ? s.substring(1) : s;
  }

  /** "aes256-sha256-prfsha256-modp2048" / "aes256gcm16-prfsha256-ecp256" → fields. */
  static NegotiatedIke ike(String algorithms) {
    if (algorithms == null || algorithms.isBlank()) {
      return null;
    }
    String enc = null;
    String integ = null;
    String prf = null;
    String dh = null;
    for (String part : algorithms.split("-")) {
      if (part.startsWith("prf")) {
        prf = part;
      } else if (part.startsWith("modp") || part.startsWith("ecp") || part.startsWith("curve")) {
        dh = part;
      } else if (enc == null) {
        enc = part;
      } else {
        integ = part;
      }
    }
    return new NegotiatedIke(enc, integ, prf, dh);
  }

  static NegotiatedEsp esp(String algorithms) {
    if (algorithms == null || algorithms.isBlank()) {
      return null;
    }
    String[] parts = algorithms.split("-");
    String enc = parts[0];
    String integ = null;
    String pfs = null;
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].startsWith("modp") || parts[i].startsWith("ecp")) {
        pfs = parts[i];
      } else {
        integ = parts[i];
      }
    }
    return new NegotiatedEsp(enc, integ, pfs);
  }

  @Override
  public List<BgpObservation> bgpPeers() {
    if (bgp == null || plan == null) {
      return List.of();
    }
    List<BgpObservation> out = new ArrayList<>();
    for (ConnectionPlan c : plan.connections()) {
      for (TunnelPlan t : c.tunnels()) {
        if (t.bgpNeighbor() == null) {
          continue;
        }
        if (!bgp.hasPeer(t.bgpNeighbor().peerAddress())) {
          continue; // a reload is adding it right now
        }
        var s = bgp.peerStatus(t.bgpNeighbor().peerAddress());
        long advertised = bgp.advertisedRoutes(t.bgpNeighbor().peerAddress()).size();
        out.add(new BgpObservation(c.name(), t.name(), new BgpPeerStatus(plan.gateway().instance(),
            s.neighbor(), s.asn(), state(s.fsmState()), s.connectedDuration(), s.routesReceived(), advertised,
            s.messagesSent(), s.messagesReceived()), s.lastError() == null || s.lastError().isEmpty() ? null : s.lastError()));
      }
    }
    return out;
  }

  private static BgpPeerState state(String fsm) {
    if (fsm == null) {
      return BgpPeerState.Idle;
    }
    for (BgpPeerState s : BgpPeerState.values()) {
      if (s.name().toLowerCase(Locale.ROOT).equals(fsm.toLowerCase(Locale.ROOT).replace("_", ""))) {
        return s;
      }
    }
    return BgpPeerState.Idle;
  }

  @Override
  public long learnedRoutes() {
    return bgp == null ? 0 : bgp.learnedRoutes().stream().filter(r -> !"Network".equals(r.origin())).count();
  }

  @Override
  public Map<String, Long> drops() {
    Map<String, Long> out = new LinkedHashMap<>();
    if (engine != null) {
      for (Map.Entry<Drop, Long> e : engine.dropCounts().entrySet()) {
        if (e.getValue() > 0) {
          out.put(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue());
        }
      }
    }
    return out;
  }

  /** Why each BGP session that is not Established went down (e.g. a prefix-limit Cease), for the CLI table. */
  @Override
  public List<ChildSaObservation> childSas() {
    if (plan == null || daemon == null) {
      return List.of();
    }
    List<ChildSaObservation> out = new ArrayList<>();
    for (TunnelPlan t : plan.tunnels()) {
      daemon.status(t.name()).ifPresent(s -> s.children().forEach(c -> out.add(new ChildSaObservation(t.name(),
          c.state(), c.inboundSpiHex(), c.outboundSpiHex(), c.algorithms(), c.localTs(), c.remoteTs(),
          engine.query(Direction.INBOUND, c.inboundSpi()).map(SaStats::bytes).orElse(0L),
          engine.query(Direction.OUTBOUND, c.outboundSpi()).map(SaStats::bytes).orElse(0L),
          String.valueOf(c.establishedAt())))));
    }
    return out;
  }

  @Override
  public List<String> warnings() {
    List<String> out = new ArrayList<>();
    for (BgpObservation b : bgpPeers()) {
      if (b.lastError() != null && b.status().state() != BgpPeerState.Established) {
        out.add("BGP " + b.status().neighbor() + " (" + b.connection() + ") " + b.status().state() + ": " + b.lastError());
      }
    }
    return out;
  }

}
