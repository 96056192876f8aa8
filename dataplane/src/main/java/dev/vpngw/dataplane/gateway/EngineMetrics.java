package dev.vpngw.dataplane.gateway;

import dev.vpngw.dataplane.esp.EspEngine;
import dev.vpngw.dataplane.esp.EspMetrics;
import dev.vpngw.dataplane.ike.IkeDaemon;
import dev.vpngw.dataplane.ike.IkeSaState;
import dev.vpngw.dataplane.ike.IkeSaStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engines' Prometheus meters. Per-tunnel meters are registered when a tunnel is configured and
 * removed with it; values are read from the IKE daemon and the ESP engine at scrape time, so the
 * packet path does no extra work. IKE failures and handshake latency are recorded by the
 * supervisor as it observes transitions.
 */
final class EngineMetrics {
  private final MeterRegistry registry;
  private final String gateway;
  private final Map<String, List<Meter>> perTunnel = new ConcurrentHashMap<>();
  private final Map<String, String> lastError = new ConcurrentHashMap<>();
  private final Timer handshake;

  EngineMetrics(MeterRegistry registry, String gateway, EspEngine engine,
      dev.vpngw.dataplane.net.EspUdpSocket udp, IkeDaemon daemon) {
    this.registry = registry;
    this.gateway = gateway;
    EspMetrics.bind(registry, engine, gateway);
    FunctionCounter.builder("vpngw_natt_keepalives_received", udp, u -> u.keepalivesReceived())
        .description("NAT-T keepalives (0xFF on UDP 4500) received from peers").tag("gateway", gateway)
        .register(registry);
    Gauge.builder("vpngw_ike_sas", daemon, IkeDaemon::ikeSaCount)
        .description("IKE SAs this instance holds, including half-open ones and rekeyed ones awaiting delete")
        .tag("gateway", gateway).register(registry);
    handshake = Timer.builder("vpngw_ike_handshake")
        .description("time from dialling a peer to an established IKE SA with its first child SA")
        .tag("gateway", gateway).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
    bindIke(daemon);
  }

  /**
   * Gateway-wide IKE meters: what a flood of IKE_SA_INIT does to us is visible here (cookies sent
   * instead of state kept, half-open SAs bounded by the cookie threshold, unknown peers dropped).
   */
  private void bindIke(IkeDaemon daemon) {
    FunctionCounter.builder("vpngw_ike_cookies_sent", daemon, IkeDaemon::cookiesSent)
        .description("stateless COOKIE replies (RFC 7296 2.6) to IKE_SA_INIT while half-open SAs were at the threshold")
        .tag("gateway", gateway).register(registry);
    Gauge.builder("vpngw_ike_half_open_sas", daemon, IkeDaemon::halfOpenCount)
        .description("responder IKE SAs that have not authenticated yet").tag("gateway", gateway).register(registry);
    FunctionCounter.builder("vpngw_ike_datagrams_dropped", daemon, IkeDaemon::unknownPeerInits)
        .description("IKE datagrams dropped without a reply").tags("gateway", gateway, "reason", "unknown_peer")
        .register(registry);
    FunctionCounter.builder("vpngw_ike_datagrams_dropped", daemon, IkeDaemon::droppedDatagrams)
        .description("IKE datagrams dropped without a reply").tags("gateway", gateway, "reason", "malformed_or_no_sa")
        .register(registry);
  }

  void addTunnel(String tunnel, IkeDaemon daemon, EspEngine engine) {
    List<Meter> meters = new ArrayList<>();
    meters.add(Gauge.builder("vpngw_tunnel_up", daemon, d -> up(d.status(tunnel).orElse(null)) ? 1 : 0)
        .description("1 while the tunnel's child SA is installed").tags("gateway", gateway, "tunnel", tunnel)
        .register(registry));
    meters.add(FunctionCounter.builder("vpngw_ike_rekeys", daemon,
            d -> d.status(tunnel).map(IkeSaStatus::ikeRekeys).orElse(0))
        .description("IKE SA rekeys of the current IKE SA lineage").tags("gateway", gateway, "tunnel", tunnel, "sa", "ike")
        .register(registry));
    meters.add(FunctionCounter.builder("vpngw_ike_rekeys", daemon,
            d -> d.status(tunnel).map(IkeSaStatus::childRekeys).orElse(0))
        .description("child SA rekeys of the current IKE SA lineage")
        .tags("gateway", gateway, "tunnel", tunnel, "sa", "child").register(registry));
    for (String side : List.of("local", "remote")) {
      meters.add(Gauge.builder("vpngw_tunnel_behind_nat", daemon, d -> d.status(tunnel).map(s -> s.nat() != null
                && ("local".equals(side) ? s.nat().localBehindNat() : s.nat().remoteBehindNat()) ? 1 : 0).orElse(0))
          .description("1 when NAT detection found this side (local: this gateway, remote: the peer or a peer"
              + " forcing UDP encapsulation) behind a NAT").tags("gateway", gateway, "tunnel", tunnel, "side", side)
          .register(registry));
    }
    meters.add(FunctionCounter.builder("vpngw_peer_endpoint_moves", daemon,
            d -> d.status(tunnel).map(IkeSaStatus::peerMoves).orElse(0))
        .description("times the peer's UDP endpoint moved (NAT mapping changed) and the tunnel followed it")
        .tags("gateway", gateway, "tunnel", tunnel).register(registry));
    meters.add(Gauge.builder("vpngw_child_sas", daemon, d -> d.status(tunnel).map(s -> s.children().size()).orElse(0))
        .description("child SAs of the tunnel's current IKE SA (1 normally; 2 briefly during a rekey)")
        .tags("gateway", gateway, "tunnel", tunnel).register(registry));
    perTunnel.put(tunnel, meters);
  }

  void removeTunnel(String tunnel) {
    List<Meter> meters = perTunnel.remove(tunnel);
    if (meters != null) {
      meters.forEach(registry::remove);
    }
    lastError.remove(tunnel);
  }

  /** Called by the supervisor each tick: counts each new IKE failure once, by NOTIFY type. */
  void observe(String tunnel, IkeSaStatus s) {
    if (s == null || s.lastError() == null) {
      return;
    }
    String key = s.initiatorSpi() + "/" + s.lastError();
    if (!Objects.equals(lastError.put(tunnel, key), key)) {
      String notify = s.lastErrorNotify() == null ? "NONE" : s.lastErrorNotify();
      Counter.builder("vpngw_ike_failures").description("failed IKE SAs by the NOTIFY error that ended them")
          .tags("gateway", gateway, "notify", notify).register(registry).increment();
    }
  }

  void handshakeCompleted(Duration d) {
    handshake.record(d);
  }

  void bindBgp(dev.vpngw.dataplane.bgp.BgpSpeaker bgp, List<String> neighbors) {
    for (String n : neighbors) {
      // A neighbour removed by a reload reads as down / 0 routes rather than failing the scrape.
      Gauge.builder("vpngw_bgp_session_up", bgp, b -> b.hasPeer(n) && "Established".equalsIgnoreCase(b.peerStatus(n).fsmState()) ? 1 : 0)
          .description("1 while the BGP session is Established").tags("gateway", gateway, "neighbor", n)
          .register(registry);
      Gauge.builder("vpngw_bgp_routes_received", bgp, b -> b.hasPeer(n) ? b.peerStatus(n).routesReceived() : 0)
          .description("prefixes currently received from the neighbour").tags("gateway", gateway, "neighbor", n)
          .register(registry);
    }
  }

  static boolean up(IkeSaStatus s) {
    return s != null && (s.state() == IkeSaState.ESTABLISHED || s.state() == IkeSaState.REKEYING)
        && !s.children().isEmpty();
  }
}
