package dev.vpngw.operator.status;

import dev.vpngw.crds.v1alpha1.BgpPeerState;
import dev.vpngw.crds.v1alpha1.BgpPeerStatus;
import dev.vpngw.crds.v1alpha1.ConnectionState;
import dev.vpngw.crds.v1alpha1.ConnectionStatus;
import dev.vpngw.crds.v1alpha1.TunnelStatus;
import dev.vpngw.operator.status.GatewayObservations.Instance;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns what the active instances report about one connection into its status and Ready
 * condition. Azure semantics: Connected when at least one tunnel is up; with BGP, Ready also needs
 * an established session.
 */
public final class ConnectionStatusAggregator {
  private ConnectionStatusAggregator() {}

  public static final String TUNNELS_CONNECTED = "TunnelsConnected";
  public static final String CONNECTING = "Connecting";
  public static final String PEER_UNREACHABLE = "PeerUnreachable";
  public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";
  public static final String NO_PROPOSAL_CHOSEN = "NoProposalChosen";
  public static final String TS_UNACCEPTABLE = "TrafficSelectorsUnacceptable";
  public static final String BGP_SESSION_DOWN = "BgpSessionDown";
  /** The data plane's per-connection condition type for BGP (its reason says why a session is down). */
  static final String BGP_ESTABLISHED = "BgpEstablished";
  public static final String GATEWAY_NOT_READY = "GatewayNotReady";
  public static final String NOT_REPORTED = "NotReportedByGateway";

  /** The observed part of a status (no conditions) and the Ready condition (without lastTransitionTime). */
  public record Result(ConnectionStatus observed, Condition ready) {}

  public static Result aggregate(String connection, boolean bgp, List<Instance> active, Long generation) {
    var tunnels = new ArrayList<TunnelStatus>();
    var peers = new ArrayList<BgpPeerStatus>();
    long in = 0;
    long out = 0;
    boolean reported = false;
    List<String> unreachable = new ArrayList<>();
    var bgpDown = new ArrayList<Condition>();
    for (Instance i : active) {
      if (i.report().isEmpty()) {
        unreachable.add("instance " + i.index() + (i.error().map(e -> ": " + e).orElse("")));
        continue;
      }
      ConnectionStatus cs = i.report().get().connections().get(connection);
      if (cs == null) {
        continue;
      }
      reported = true;
      cs.conditions().stream()
          .filter(c -> BGP_ESTABLISHED.equals(c.getType()) && Conditions.FALSE.equals(c.getStatus()) && c.getReason() != null)
          .forEach(bgpDown::add);
      if (cs.tunnels().isEmpty()) {
        tunnels.add(new TunnelStatus(i.index(), cs.connectionStatus(), null, null, null, null, null, null, null, null,
            null, cs.ingressBytesTransferred(), cs.egressBytesTransferred()));
      }
      for (TunnelStatus t : cs.tunnels()) {
        tunnels.add(t.instance() != null ? t : new TunnelStatus(i.index(), t.state(), t.localEndpoint(),
            t.remoteEndpoint(), t.ike(), t.esp(), t.inboundSpi(), t.outboundSpi(), t.establishedTime(),
            t.lastRekeyTime(), t.lastError(), t.ingressBytesTransferred(), t.egressBytesTransferred()));
      }
      in += cs.ingressBytesTransferred() != null ? cs.ingressBytesTransferred()
          : cs.tunnels().stream().mapToLong(t -> t.ingressBytesTransferred() == null ? 0 : t.ingressBytesTransferred()).sum();
      out += cs.egressBytesTransferred() != null ? cs.egressBytesTransferred()
          : cs.tunnels().stream().mapToLong(t -> t.egressBytesTransferred() == null ? 0 : t.egressBytesTransferred()).sum();
      for (BgpPeerStatus p : cs.bgpPeers()) {
        peers.add(p.instance() != null ? p : new BgpPeerStatus(i.index(), p.neighbor(), p.asn(), p.state(),
            p.connectedDuration(), p.routesReceived(), p.routesAdvertised(), p.messagesSent(), p.messagesReceived()));
      }
    }
    tunnels.sort(java.util.Comparator.comparing(t -> t.instance() == null ? -1 : t.instance()));
    ConnectionState state = !reported ? ConnectionState.Unknown
        : tunnels.stream().anyMatch(t -> t.state() == ConnectionState.Connected) ? ConnectionState.Connected
        : tunnels.stream().anyMatch(t -> t.state() == ConnectionState.Connecting) ? ConnectionState.Connecting
        : ConnectionState.NotConnected;
    var observed = new ConnectionStatus(generation, state, reported ? in : null, reported ? out : null, tunnels, peers,
        List.of());
    return new Result(observed, ready(state, bgp, tunnels, peers, bgpDown, active, unreachable, generation));
  }

  private static Condition ready(ConnectionState state, boolean bgp, List<TunnelStatus> tunnels,
      List<BgpPeerStatus> peers, List<Condition> bgpDown, List<Instance> active, List<String> unreachable, Long generation) {
    if (active.isEmpty()) {
      return Conditions.of(Conditions.READY, false, GATEWAY_NOT_READY, "no active gateway instance is ready", generation);
    }
    if (state == ConnectionState.Unknown) {
      String why = unreachable.isEmpty() ? "the gateway instances do not report this connection yet"
          : "cannot read status from " + String.join("; ", unreachable);
      return Conditions.of(Conditions.READY, Conditions.UNKNOWN, NOT_REPORTED, why, generation);
    }
    long up = tunnels.stream().filter(t -> t.state() == ConnectionState.Connected).count();
    if (state == ConnectionState.Connected) {
      if (bgp && peers.stream().noneMatch(p -> p.state() == BgpPeerState.Established)) {
        // The data plane knows why (e.g. BgpPrefixLimitExceeded); its reason is more useful than ours.
        String reason = bgpDown.stream().map(Condition::getReason).findFirst().orElse(BGP_SESSION_DOWN);
        String why = bgpDown.stream().map(Condition::getMessage).filter(m -> m != null && !m.isBlank())
            .findFirst().map(m -> ": " + m).orElse("");
        return Conditions.of(Conditions.READY, false, reason,
            up + "/" + tunnels.size() + " tunnels connected but no BGP session is established" + why, generation);
      }
      return Conditions.of(Conditions.READY, true, TUNNELS_CONNECTED,
          up + "/" + tunnels.size() + " tunnels connected"
              + (bgp ? ", " + peers.stream().filter(p -> p.state() == BgpPeerState.Established).count()
                  + "/" + peers.size() + " BGP sessions established" : ""), generation);
    }
    String errors = String.join("; ", tunnels.stream().filter(t -> t.lastError() != null && !t.lastError().isBlank())
        .map(t -> "instance " + t.instance() + ": " + t.lastError()).toList());
    String reason = state == ConnectionState.Connecting && errors.isEmpty() ? CONNECTING : reasonOf(errors);
    return Conditions.of(Conditions.READY, false, reason,
        errors.isEmpty() ? "no tunnel is connected (" + state + ")" : errors, generation);
  }

  /** Maps a data-plane error text (IKE notify names, DPD) to a condition reason. */
  static String reasonOf(String errors) {
    String e = errors.toUpperCase(Locale.ROOT);
    if (e.contains("AUTHENTICATION_FAILED") || e.contains("AUTH")) {
      return AUTHENTICATION_FAILED;
    }
    if (e.contains("NO_PROPOSAL_CHOSEN") || e.contains("PROPOSAL")) {
      return NO_PROPOSAL_CHOSEN;
    }
    if (e.contains("TS_UNACCEPTABLE")) {
      return TS_UNACCEPTABLE;
    }
    return PEER_UNREACHABLE;
  }
}
