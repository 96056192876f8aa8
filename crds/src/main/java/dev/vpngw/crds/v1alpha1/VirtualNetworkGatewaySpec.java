package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Desired state of a VirtualNetworkGateway. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
    value = "self.sku != 'Basic' || !has(self.activeActive) || !self.activeActive",
    message = "activeActive: the Basic SKU does not support active-active",
    fieldPath = ".activeActive")
@ValidationRule(
    value = "self.sku != 'Basic' || !has(self.enableBgp) || !self.enableBgp",
    message = "enableBgp: the Basic SKU does not support BGP",
    fieldPath = ".enableBgp")
@ValidationRule(
    value = "!has(self.vpnType) || self.vpnType != 'PolicyBased' || self.sku == 'Basic'",
    message = "vpnType: PolicyBased gateways exist only on the Basic SKU (use RouteBased with usePolicyBasedTrafficSelectors on the Connection instead)",
    fieldPath = ".vpnType")
@ValidationRule(
    value = "!has(self.instances) || size(self.instances) <= 1 || (has(self.activeActive) && self.activeActive)",
    message = "instances: a second instance endpoint needs activeActive: true (an active-standby gateway has one public endpoint)",
    fieldPath = ".instances")
@ValidationRule(
    value = "!has(self.bgpSettings) || !has(self.bgpSettings.bgpPeeringAddresses) || (has(self.activeActive) && self.activeActive)"
        + " || self.bgpSettings.bgpPeeringAddresses.all(p, p.instance == 0)",
    message = "bgpSettings.bgpPeeringAddresses: instance 1 exists only when activeActive is true",
    fieldPath = ".bgpSettings.bgpPeeringAddresses")
@ValidationRule(
    value = "!has(self.instances) || self.instances.all(a, !has(a.publicIpAddress)"
        + " || self.instances.exists_one(b, has(b.publicIpAddress) && b.publicIpAddress == a.publicIpAddress))",
    message = "instances: each instance needs its own publicIpAddress",
    fieldPath = ".instances")
@ValidationRule(
    value = "!has(self.zones) || self.zones.all(x, self.zones.exists_one(y, y == x))",
    message = "zones: zone names must be distinct",
    fieldPath = ".zones")
@ValidationRule(
    value = "(has(self.vpnType) ? self.vpnType : 'RouteBased') == (has(oldSelf.vpnType) ? oldSelf.vpnType : 'RouteBased')",
    message = "vpnType is immutable: delete and recreate the gateway to change it",
    fieldPath = ".vpnType")
public record VirtualNetworkGatewaySpec(
    @Required
    @JsonPropertyDescription("Gateway SKU (Azure: sku.name). Sets the site-to-site tunnel limit (Basic 10, VpnGw1-3(AZ) 30, VpnGw4-5(AZ) 100) and the allowed features. AZ SKUs spread the instances over zones.")
    GatewaySku sku,
    @Default("RouteBased")
    @JsonPropertyDescription("Routing type (Azure: vpnType). RouteBased (default) routes by prefix over any-to-any tunnels; PolicyBased (Basic SKU only) uses IKEv1 prefix-pair selectors. Immutable.")
    VpnType vpnType,
   
    @JsonPropertyDescription("Run both instances active, each with its own public IP and its own tunnel per connection (Azure: activeActive). Needs a RouteBased, non-Basic gateway. When false, instance 1 is a standby.")
    boolean activeActive,
    @JsonPropertyDescription("Run BGP on this gateway (Azure: enableBgp). Not on Basic or PolicyBased gateways. Each Connection still opts in with its own enableBgp.")
    boolean enableBgp,
    @JsonPropertyDescription("BGP settings: the gateway ASN and optional per-instance APIPA peering addresses (Azure: bgpSettings).")
    VirtualNetworkGatewayBgpSettings bgpSettings,
    @Required @Size(min = 1, max = 64)
    @JsonPropertyDescription("IPv4 prefixes behind this gateway (Azure: the virtual network's addressSpace.addressPrefixes). They are the local side of every tunnel and are advertised over BGP; they must not overlap any connected site's localNetworkAddressSpace.")
    List<@Pattern(Patterns.IPV4_CIDR) @Size(max = 18) String> addressSpace,
    @Size(max = 2)
    @JsonPropertyDescription("Public endpoint settings per instance: entry 0 is instance 0, entry 1 instance 1 (active-active only). Azure: the ipConfigurations and their public IPs.")
    List<GatewayInstance> instances,
    @Size(max = 3)
    @JsonPropertyDescription("Availability zones (node label topology.kubernetes.io/zone) to spread the instances over; instance i runs in zones[i mod len(zones)]. Empty: no zone pinning.")
    List<@Pattern(Patterns.ZONE) @Size(max = 63) String> zones) {

  public VirtualNetworkGatewaySpec {
    vpnType = vpnType == null ? VpnType.RouteBased : vpnType;
    addressSpace = addressSpace == null ? List.of() : List.copyOf(addressSpace);
    instances = instances == null ? List.of() : List.copyOf(instances);
    zones = zones == null ? List.of() : List.copyOf(zones);
  }

  /** The BGP settings, or Azure's defaults (ASN 65515, no APIPA addresses) when absent. */
  public VirtualNetworkGatewayBgpSettings effectiveBgpSettings() {
    return bgpSettings != null ? bgpSettings : new VirtualNetworkGatewayBgpSettings(null, null);
  }

  /** Number of instances that terminate tunnels: 2 when active-active, else 1. */
  public int activeInstanceCount() {
    return activeActive ? 2 : 1;
  }
}
