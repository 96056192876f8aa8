package dev.vpngw.dataplane.gateway;

import dev.vpngw.dataplane.config.GatewayPlan;
import dev.vpngw.dataplane.config.PlanDiff;
import dev.vpngw.dataplane.config.TunnelPlan;
import dev.vpngw.dataplane.status.BgpObservation;
import dev.vpngw.dataplane.status.StatusReasons;
import dev.vpngw.dataplane.status.TunnelFailure;
import dev.vpngw.dataplane.status.TunnelObservation;
import dev.vpngw.dataplane.status.TunnelPhase;
import dev.vpngw.dataplane.status.TunnelStateSource;
import java.util.List;
import java.util.Map;

/**
 * Stand-in engines that run NO tunnels: they hold the plan so status, reload and the admin
 * endpoint work end to end, and report every tunnel as Unknown with "engine not wired". Never
 * reports Connected, never ready. Replaced by the real engines once IKE/ESP/BGP are merged.
 */
public final class PlanOnlyEngines implements GatewayEngines {
  public static final String NAME = "plan-only";
  public static final String NOT_WIRED = "engine not wired";

  private volatile GatewayPlan plan;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start(GatewayPlan plan) {
    this.plan = plan;
  }

  @Override
  public void apply(GatewayPlan plan, PlanDiff diff) {
    this.plan = plan;
  }

  @Override
  public void stop() {
    plan = null;
  }

  @Override
  public boolean ready() {
    return false;
  }

  @Override
  public TunnelStateSource state() {
    GatewayPlan p = plan;
    List<TunnelObservation> tunnels = p == null ? List.of() : p.tunnels().stream().map(PlanOnlyEngines::notWired).toList();
    return new TunnelStateSource() {
      @Override
      public List<TunnelObservation> tunnels() {
        return tunnels;
      }

      @Override
      public List<BgpObservation> bgpPeers() {
        return List.of();
      }

      @Override
      public long learnedRoutes() {
        return 0;
      }

      @Override
      public Map<String, Long> drops() {
        return Map.of();
      }

      @Override
      public List<String> warnings() {
        return List.of("plan-only engines: no IKE, ESP or BGP is running (" + NOT_WIRED + ")");
      }
    };
  }

  private static TunnelObservation notWired(TunnelPlan t) {
    return new TunnelObservation(t.name(), TunnelPhase.UNKNOWN, null, null, null, null, null, null, null, null, 0, 0,
        new TunnelFailure(StatusReasons.ENGINE_NOT_WIRED, NOT_WIRED), List.of());
  }

  @Override
  public String resetConnection(String connection) {
    known(connection);
    return NOT_WIRED + ": nothing to reset for " + connection;
  }

  @Override
  public String resetGateway() {
    return NOT_WIRED + ": nothing to reset";
  }

  @Override
  public String rekey(String connection, boolean ike) {
    known(connection);
    return NOT_WIRED + ": nothing to rekey for " + connection;
  }

  private void known(String connection) {
    GatewayPlan p = plan;
    if (p == null || p.connection(connection).isEmpty()) {
      throw new IllegalArgumentException("no running connection named " + connection);
    }
  }
}
