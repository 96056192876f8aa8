package dev.vpngw.dataplane.status;

import dev.vpngw.crds.v1alpha1.Api;
import dev.vpngw.crds.v1alpha1.BgpPeerState;
import dev.vpngw.crds.v1alpha1.BgpPeerStatus;
import dev.vpngw.crds.v1alpha1.ConnectionState;
import dev.vpngw.crds.v1alpha1.ConnectionStatus;
import dev.vpngw.crds.v1alpha1.TunnelStatus;
import dev.vpngw.dataplane.config.ConnectionPlan;
import dev.vpngw.dataplane.config.ExcludedConnection;
import dev.vpngw.dataplane.config.GatewayPlan;
import dev.vpngw.dataplane.config.PlanWarning;
import dev.vpngw.dataplane.config.TunnelPlan;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Plan + engine state → {@link InstanceStatus}. Per connection: Connected when at least one of its
 * tunnels has its child SA installed (Azure: "Connected when at least one tunnel is up"), else
 * Connecting while one negotiates, else NotConnected (with the failure as lastError and as the
 * Ready condition's reason: AuthenticationFailed, NoProposalChosen, PeerUnreachable …), else
 * Unknown. Conditions: {@code Ready} (reason TunnelsConnected when up; with BGP also needs an
 * Established session), {@code BgpEstablished} for BGP connections and {@code WeakCryptography}
 * when the policy or the negotiated SAs use deprecated algorithms.
 *
 * <p>Stateful only to keep each condition's lastTransitionTime across calls while its status
 * does not change, as Kubernetes expects.
 */
public final class StatusAggregator {
  private final Map<String, Condition> previous = new HashMap<>();

  public synchronized InstanceStatus aggregate(GatewayPlan plan, String engine, Instant startedAt,
      TunnelStateSource source, Instant now) {
    Map<String, TunnelObservation> byTunnel = source.tunnels().stream()
        .collect(Collectors.toMap(TunnelObservation::tunnel, Function.identity(), (a, b) -> b));
    List<BgpObservation> bgp = source.bgpPeers();
    // Grouped once: a gateway with thousands of BGP connections must not rescan every peer per connection.
    Map<String, List<BgpObservation>> bgpByConnection = bgp.stream().collect(Collectors.groupingBy(
        BgpObservation::connection));
    int instance = plan.gateway().instance();
    var connections = new ArrayList<InstanceStatus.NamedConnectionStatus>();
    var warnings = new ArrayList<String>();
    for (ConnectionPlan c : plan.connections()) {
      List<TunnelObservation> obs = c.tunnels().stream()
          .map(t -> byTunnel.getOrDefault(t.name(), TunnelObservation.unknown(t.name(), "no state from the engines")))
          .toList();
      List<BgpObservation> mine = bgpByConnection.getOrDefault(c.name(), List.of());
      List<BgpPeerStatus> peers = mine.stream().map(BgpObservation::status).toList();
      ConnectionStatus s = connectionStatus(c, plan.gateway().bindAddress(), instance, obs, peers, now.toString());
      s = withBgpDownReason(s, mine, now.toString());
      connections.add(new InstanceStatus.NamedConnectionStatus(c.name(), track(c.name(), s)));
      for (PlanWarning w : c.warnings()) {
        warnings.add(c.name() + ": " + w.reason() + ": " + w.message());
      }
    }
    for (ExcludedConnection x : plan.excluded()) {
      connections.add(new InstanceStatus.NamedConnectionStatus(x.name(), track(x.name(), excluded(x, now.toString()))));
      warnings.add(x.name() + " not running: " + x.reason() + ": " + x.message());
    }
    warnings.addAll(source.warnings());
    var names = connections.stream().map(InstanceStatus.NamedConnectionStatus::name).collect(Collectors.toSet());
    previous.keySet().removeIf(k -> !names.contains(k.substring(0, k.indexOf('\u0000'))));
    return new InstanceStatus(plan.gateway().name(), instance, plan.gateway().role().name(), engine,
        startedAt.toString(), connections, bgp.stream().map(BgpObservation::status).toList(), source.learnedRoutes(),
        source.drops(), warnings, null, source.childSas());
  }

  /**
   * The status of one running connection on this instance. Pure; conditions carry {@code now}.
   * {@code tunnels} are in the order of {@code plan.tunnels()}; a tunnel without endpoints yet shows
   * the planned ones (local address, peer address or host name, without port).
   */
  public static ConnectionStatus connectionStatus(ConnectionPlan plan, String localAddress, int instance,
      List<TunnelObservation> tunnels, List<BgpPeerStatus> bgpPeers, String now) {
    var tunnelStatus = new ArrayList<TunnelStatus>();
    long in = 0;
    long out = 0;
    for (int i = 0; i < tunnels.size(); i++) {
      TunnelObservation t = tunnels.get(i);
      String plannedPeer = i < plan.tunnels().size() ? plan.tunnels().get(i).peer().display() : null;
      tunnelStatus.add(new TunnelStatus(instance, t.phase().connectionState(),
          t.localEndpoint() != null ? t.localEndpoint() : localAddress,
          t.remoteEndpoint() != null ? t.remoteEndpoint() : plannedPeer,
          t.ike(), t.esp(), t.inboundSpi(), t.outboundSpi(), str(t.established()), str(t.lastRekey()),
          t.failure() == null ? null : t.failure().message(), t.bytesIn(), t.bytesOut()));
      in += t.bytesIn();
      out += t.bytesOut();
    }
    ConnectionState state = overall(tunnels);
    var conditions = new ArrayList<Condition>();
    conditions.add(ready(plan, state, tunnels, bgpPeers, now));
    if (plan.enableBgp()) {
      boolean up = bgpPeers.stream().anyMatch(b -> b.state() == BgpPeerState.Established);
      conditions.add(condition(StatusReasons.CONDITION_BGP_ESTABLISHED, up,
          up ? StatusReasons.BGP_SESSIONS_ESTABLISHED : StatusReasons.BGP_SESSION_NOT_ESTABLISHED, bgpMessage(plan, bgpPeers),
          now));
    }
    var weak = new ArrayList<String>();
    plan.warnings().stream().filter(w -> w.reason().equals(PlanWarning.WEAK_CRYPTOGRAPHY))
        .forEach(w -> weak.add(w.message() + " (" + String.join(", ", w.fields()) + ")"));
    tunnels.stream().filter(t -> !t.weakAlgorithms().isEmpty())
        .forEach(t -> weak.add(t.tunnel() + " negotiated " + String.join(", ", t.weakAlgorithms())));
    List<String> nat = tunnels.stream().filter(t -> t.nat() != null)
        .map(t -> t.tunnel() + " to " + t.remoteEndpoint() + ": " + t.nat()).toList();
    if (!nat.isEmpty()) {
      conditions.add(condition(StatusReasons.CONDITION_NAT_TRAVERSAL, true, StatusReasons.NAT_DETECTED,
          String.join("; ", nat), now));
    }
    if (!weak.isEmpty()) {
      conditions.add(condition(StatusReasons.CONDITION_WEAK_CRYPTOGRAPHY, true, StatusReasons.WEAK_CRYPTOGRAPHY,
          String.join("; ", weak), now));
    }
    return new ConnectionStatus(null, state, in, out, tunnelStatus, bgpPeers, conditions);
  }

  /**
   * While no session of the connection is Established, the BgpEstablished condition says why the
   * sessions went down (the speaker's last error), with its own reason for a prefix-limit Cease.
   */
  static ConnectionStatus withBgpDownReason(ConnectionStatus s, List<BgpObservation> peers, String now) {
    List<BgpObservation> down = peers.stream()
        .filter(b -> b.lastError() != null && b.status().state() != BgpPeerState.Established).toList();
    if (down.isEmpty() || peers.stream().anyMatch(b -> b.status().state() == BgpPeerState.Established)) {
      return s;
    }
    String reason = down.stream().anyMatch(BgpObservation::prefixLimitExceeded) ? StatusReasons.BGP_PREFIX_LIMIT_EXCEEDED
        : StatusReasons.BGP_SESSION_NOT_ESTABLISHED;
    String message = down.stream().map(b -> "BGP " + b.status().neighbor() + " " + b.status().state() + ": " + b.lastError())
        .collect(Collectors.joining("; "));
    List<Condition> conditions = s.conditions().stream().map(c -> StatusReasons.CONDITION_BGP_ESTABLISHED.equals(c.getType())
        || Api.CONDITION_READY.equals(c.getType()) && StatusReasons.BGP_SESSION_NOT_ESTABLISHED.equals(c.getReason())
        ? condition(c.getType(), false, reason, message, now) : c).toList();
    return new ConnectionStatus(s.observedGeneration(), s.connectionStatus(), s.ingressBytesTransferred(),
        s.egressBytesTransferred(), s.tunnels(), s.bgpPeers(), conditions);
  }

  /** A connection that does not run: NotConnected, Ready=False with the planner's reason. */
  public static ConnectionStatus excluded(ExcludedConnection x, String now) {
    return new ConnectionStatus(null, ConnectionState.NotConnected, 0L, 0L, List.of(), List.of(),
        List.of(condition(Api.CONDITION_READY, false, x.reason(), x.message(), now)));
  }

  static ConnectionState overall(List<TunnelObservation> tunnels) {
    for (ConnectionState s : List.of(ConnectionState.Connected, ConnectionState.Connecting, ConnectionState.NotConnected)) {
      if (tunnels.stream().anyMatch(t -> t.phase().connectionState() == s)) {
        return s;
      }
    }
    return ConnectionState.Unknown;
  }

  private static Condition ready(ConnectionPlan plan, ConnectionState state, List<TunnelObservation> tunnels,
      List<BgpPeerStatus> bgpPeers, String now) {
    long up = tunnels.stream().filter(t -> t.phase() == TunnelPhase.ESTABLISHED).count();
    return switch (state) {
      case Connected -> {
        if (plan.enableBgp() && bgpPeers.stream().noneMatch(b -> b.state() == BgpPeerState.Established)) {
          yield condition(Api.CONDITION_READY, false, StatusReasons.BGP_SESSION_NOT_ESTABLISHED,
              up + " of " + tunnels.size() + " tunnels connected but " + bgpMessage(plan, bgpPeers), now);
        }
        yield condition(Api.CONDITION_READY, true, StatusReasons.TUNNELS_CONNECTED,
            up + " of " + tunnels.size() + " tunnels connected", now);
      }
      case Connecting -> condition(Api.CONDITION_READY, false, StatusReasons.CONNECTING,
          "negotiating with " + peers(plan), now);
      case NotConnected -> {
        TunnelFailure f = firstFailure(tunnels);
        yield f != null ? condition(Api.CONDITION_READY, false, f.reason(), f.message(), now)
            : condition(Api.CONDITION_READY, false, StatusReasons.WAITING_FOR_PEER,
                "waiting for " + peers(plan) + " to connect", now);
      }
      case Unknown -> {
        TunnelFailure f = firstFailure(tunnels);
        yield condition(Api.CONDITION_READY, false, f != null ? f.reason() : StatusReasons.UNKNOWN,
            f != null ? f.message() : "tunnel state unknown", now);
      }
    };
  }

  private static TunnelFailure firstFailure(List<TunnelObservation> tunnels) {
    return tunnels.stream().map(TunnelObservation::failure).filter(f -> f != null).findFirst().orElse(null);
  }

  private static String peers(ConnectionPlan plan) {
    return plan.tunnels().stream().map(t -> t.peer().display()).distinct().collect(Collectors.joining(", "));
  }

  private static String bgpMessage(ConnectionPlan plan, List<BgpPeerStatus> peers) {
    List<String> planned = plan.tunnels().stream().map(TunnelPlan::bgpNeighbor).filter(n -> n != null)
        .map(n -> n.peerAddress()).distinct().toList();
    if (peers.isEmpty()) {
      return "no BGP session with " + String.join(", ", planned) + " yet";
    }
    return peers.stream().map(p -> "BGP " + p.neighbor() + " " + p.state()).collect(Collectors.joining(", "));
  }

  static Condition condition(String type, boolean status, String reason, String message, String now) {
    return new ConditionBuilder().withType(type).withStatus(status ? "True" : "False").withReason(reason)
        .withMessage(message).withLastTransitionTime(now).build();
  }

  private static String str(Instant i) {
    return i == null ? null : i.toString();
  }

  /** Keeps a condition's lastTransitionTime while its status is unchanged. */
  private ConnectionStatus track(String connection, ConnectionStatus s) {
    var conditions = new ArrayList<Condition>();
    for (Condition c : s.conditions()) {
      String key = connection + "\u0000" + c.getType();
      Condition before = previous.get(key);
      Condition kept = c;
      if (before != null && before.getStatus().equals(c.getStatus())) {
        kept = new ConditionBuilder(c).withLastTransitionTime(before.getLastTransitionTime()).build();
      }
      previous.put(key, kept);
      conditions.add(kept);
    }
    return new ConnectionStatus(s.observedGeneration(), s.connectionStatus(), s.ingressBytesTransferred(),
        s.egressBytesTransferred(), s.tunnels(), s.bgpPeers(), conditions);
  }
}
