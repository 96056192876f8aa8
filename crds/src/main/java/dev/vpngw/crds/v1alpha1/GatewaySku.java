package dev.vpngw.crds.v1alpha1;

/**
 * Gateway SKU, Azure's names. The SKU sets the site-to-site tunnel limit and which features are
 * allowed (Basic: no BGP, no active-active, no custom IPsec policy).
 */
public enum GatewaySku {
  Basic(10), VpnGw1(30), VpnGw2(30), VpnGw3(30), VpnGw4(100), VpnGw5(100),
  VpnGw1AZ(30), VpnGw2AZ(30), VpnGw3AZ(30), VpnGw4AZ(100), VpnGw5AZ(100);

  private final int maxSiteToSiteTunnels;

  GatewaySku(int maxSiteToSiteTunnels) {
    this.maxSiteToSiteTunnels = maxSiteToSiteTunnels;
  }

  /** Azure's "S2S/VNet-to-VNet tunnels" limit for this SKU. */
  public int maxSiteToSiteTunnels() {
    return maxSiteToSiteTunnels;
  }

  /** Whether this is a zone-redundant (AZ) SKU. */
  public boolean zoneRedundant() {
    return name().endsWith("AZ");
  }
}
