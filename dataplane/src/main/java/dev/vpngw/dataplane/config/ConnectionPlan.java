package dev.vpngw.dataplane.config;

import java.util.List;

/**
 * Everything one Connection asks of this instance, derived 1:1 from the Connection, its
 * LocalNetworkGateway (or other VirtualNetworkGateway) and its Secret.
 *
 * @param connectionType     IPsec or Vnet2Vnet
 * @param remote             "LocalNetworkGateway/onprem" or "VirtualNetworkGateway/gw-west"
 * @param connectionProtocol IKEv2 or IKEv1
 * @param connectionMode     Default, InitiatorOnly or ResponderOnly (Azure's names)
 * @param remoteAddressSpace the remote prefixes (localNetworkAddressSpace / the other gateway's addressSpace)
 */
public record ConnectionPlan(
    String name,
    String connectionType,
    String remote,
    String connectionProtocol,
    Psk psk,
    Proposals proposals,
    Lifetimes lifetimes,
    int dpdTimeoutSeconds,
    String connectionMode,
    TrafficSelectors trafficSelectors,
    List<String> remoteAddressSpace,
    boolean enableBgp,
    List<TunnelPlan> tunnels,
    List<PlanWarning> warnings) {

  public ConnectionPlan {
    remoteAddressSpace = List.copyOf(remoteAddressSpace);
    tunnels = List.copyOf(tunnels);
    warnings = List.copyOf(warnings);
  }
}
