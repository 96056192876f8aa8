package dev.vpngw.dataplane.config;

/**
 * One BGP session over one tunnel.
 *
 * @param localAddress  this instance's BGP address for the session (custom APIPA or default)
 * @param peerAddress   the neighbor (LocalNetworkGateway bgpSettings.bgpPeeringAddress, or the other
 *                      gateway instance's BGP address for Vnet2Vnet)
 * @param peerWeight    Azure peerWeight added to routes learned from this neighbor (0 when unset)
 * @param passive       true when the gateway must not dial: Azure does not initiate BGP toward an
 *                      APIPA (169.254.x.x) peer, the on-premises device opens the session
 */
public record BgpNeighborPlan(String localAddress, String peerAddress, long peerAsn, int peerWeight, boolean passive) {}
