package dev.vpngw.dataplane.routing;

/** Where a route came from, in Azure's GatewayRoute.origin vocabulary. */
public enum RouteKind {
  /** The gateway's own addressSpace: delivered locally, never into a tunnel. */
  NETWORK("Network"),
  /** localNetworkAddressSpace of a connection's LNG: into that tunnel. */
  STATIC("Static"),
  /** Learned from an external BGP peer. */
  EBGP("EBgp");

  private final String azureName;

  RouteKind(String azureName) {
    this.azureName = azureName;
  }

  public String azureName() {
    return azureName;
  }
}
