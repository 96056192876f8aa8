package dev.vpngw.dataplane.config;

import java.util.List;

/**
 * This instance of the VirtualNetworkGateway.
 *
 * @param role              Active, or Standby for instance 1 of an active-standby gateway: it holds
 *                          the same plan as instance 0 (same public address and BGP address, which
 *                          move to it on failover, as in Azure) and should start tunnels only when promoted
 * @param publicAddress     spec.instances[i].publicIpAddress (instance 0's for a standby), or null;
 *                          the local IKE identity
 * @param bindAddress       the address IKE/ESP bind to: {@code --local-address} or publicAddress
 * @param bgpAddress        the instance's default BGP address (see {@link GatewayPlanner}), null when
 *                          the first addressSpace prefix is too small to hold one
 * @param customBgpAddresses the instance's APIPA addresses (bgpSettings.bgpPeeringAddresses)
 */
public record LocalGatewayPlan(
    String namespace,
    String name,
    int instance,
    Role role,
    String sku,
    String vpnType,
    boolean activeActive,
    boolean enableBgp,
    String publicAddress,
    String bindAddress,
    long asn,
    String bgpAddress,
    List<String> customBgpAddresses,
    List<String> addressSpace) {

  public enum Role { Active, Standby }

  public LocalGatewayPlan {
    customBgpAddresses = List.copyOf(customBgpAddresses);
    addressSpace = List.copyOf(addressSpace);
  }

  /** The IKE identity of this instance: its public address, else the bind address. */
  public IkeId identity() {
    return IkeId.ipv4(publicAddress != null ? publicAddress : bindAddress);
  }
}
