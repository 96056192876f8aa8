package dev.vpngw.crds.v1alpha1;

/** Kind of connection, Azure's names: IPsec to a LocalNetworkGateway, Vnet2Vnet to another VirtualNetworkGateway. */
public enum ConnectionType {
  IPsec, Vnet2Vnet
}
