/**
 * The runtime shell of one gateway instance.
 *
 * <p>Wiring real engines: implement {@link dev.vpngw.dataplane.gateway.GatewayEngines} over the IKE
 * daemon, ESP/TUN and BGP/routing (start from the {@link dev.vpngw.dataplane.config.GatewayPlan}:
 * one IKE connection per {@link dev.vpngw.dataplane.config.TunnelPlan}, PSK from
 * {@code ConnectionPlan.psk().bytes()}, proposals from {@code ConnectionPlan.proposals()}; static
 * routes and BGP neighbors per tunnel), expose its live state as a
 * {@link dev.vpngw.dataplane.status.TunnelStateSource}, and register a
 * {@link dev.vpngw.dataplane.gateway.GatewayEnginesFactory} in
 * {@code META-INF/services/dev.vpngw.dataplane.gateway.GatewayEnginesFactory}. {@code vpngw run}
 * then uses it instead of {@link dev.vpngw.dataplane.gateway.PlanOnlyEngines}; in-process users call
 * {@link dev.vpngw.dataplane.gateway.GatewayRuntime#start} with the engines directly.
 */
package dev.vpngw.dataplane.gateway;
