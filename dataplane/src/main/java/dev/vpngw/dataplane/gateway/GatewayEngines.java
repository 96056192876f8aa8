package dev.vpngw.dataplane.gateway;

import dev.vpngw.dataplane.config.GatewayPlan;
import dev.vpngw.dataplane.config.PlanDiff;
import dev.vpngw.dataplane.status.TunnelStateSource;

/**
 * The engines behind one gateway instance: IKE daemon, ESP/TUN packet path, BGP speaker and
 * routing table. {@link GatewayRuntime} drives them from the plan; the admin endpoint's operations
 * end here. The real implementation wires {@code dataplane.ike/esp/tun/bgp/routing}; until then
 * {@link PlanOnlyEngines} stands in (and says so in status).
 *
 * <p>Calls come from the runtime's control thread and the admin endpoint's threads; implementations
 * must be thread-safe.
 */
public interface GatewayEngines {

  /**
   * Publishes the engines' meters (tunnels, bytes, drops, rekeys, IKE failures by NOTIFY, handshake
   * latency, BGP sessions) to the admin endpoint's registry. Meters are read at scrape time.
   */
  default void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {}

  /** Short name shown in status, e.g. "plan-only" or "ike+esp+bgp". */
  String name();

  /** Starts everything the plan describes (sockets, TUN, tunnels, BGP). Throws if the instance cannot serve. */
  void start(GatewayPlan plan) throws Exception;

  /**
   * Moves to a new plan: start {@code diff.added()}, tear down {@code diff.removed()}, re-negotiate
   * {@code diff.changed()} (only those), re-advertise on gateway changes; leave the rest untouched.
   */
  void apply(GatewayPlan plan, PlanDiff diff);

  /** Deletes the IKE SAs (so peers learn at once), stops BGP (NOTIFICATION Cease), closes TUN and sockets. */
  void stop();

  /** Live state for status; cheap and non-blocking. */
  TunnelStateSource state();

  /** Whether the instance can carry traffic (readiness probe). */
  boolean ready();

  /** Azure "reset connection": tear down and re-negotiate one connection. Unknown name → IllegalArgumentException. */
  String resetConnection(String connection);

  /** Azure "reset gateway" for this instance: re-negotiate all connections. */
  String resetGateway();

  /** Rekey a connection's child SAs now (and its IKE SA when {@code ike}). Unknown name → IllegalArgumentException. */
  String rekey(String connection, boolean ike);

  /**
   * BGP route refresh: {@code in} asks the peer to resend its routes (ROUTE-REFRESH), {@code out}
   * re-sends ours; {@code peer} null means all peers. Unknown peer or no BGP → IllegalArgumentException.
   */
  default String bgpRefresh(String peer, boolean in, boolean out) {
    throw new IllegalArgumentException("BGP is not running on this instance (" + name() + " engines)");
  }

  /** BGP detail for the admin endpoint's {@code /bgp} (sessions, learned routes, forwarding); JSON-serializable. */
  default Object bgpDetail() {
    return java.util.Map.of();
  }
}
