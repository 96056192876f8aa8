package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Desired state of a LocalNetworkGateway. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
    value = "has(self.gatewayIpAddress) != has(self.fqdn)",
    message = "exactly one of gatewayIpAddress or fqdn must be set")
@ValidationRule(
    value = "!has(self.bgpSettings) || !has(self.gatewayIpAddress) || self.bgpSettings.bgpPeeringAddress != self.gatewayIpAddress",
    message = "bgpSettings.bgpPeeringAddress must differ from gatewayIpAddress (the BGP session runs inside the tunnel)",
    fieldPath = ".bgpSettings.bgpPeeringAddress")
@ValidationRule(
    value = "has(self.bgpSettings) || (has(self.localNetworkAddressSpace) && size(self.localNetworkAddressSpace) > 0)",
    message = "localNetworkAddressSpace: at least one prefix is required unless bgpSettings is set",
    fieldPath = ".localNetworkAddressSpace")
public record LocalNetworkGatewaySpec(
    @Pattern(Patterns.IPV4) @Size(max = 15)
    @JsonPropertyDescription("Public IPv4 address of the on-premises VPN device. Exactly one of gatewayIpAddress and fqdn.")
    String gatewayIpAddress,
    @Size(max = 253) @Pattern(Patterns.FQDN)
    @JsonPropertyDescription("DNS name of the on-premises VPN device, resolved by the gateway (see status.resolvedAddresses). Exactly one of gatewayIpAddress and fqdn.")
    String fqdn,
    @Size(max = 256)
    @JsonPropertyDescription("IPv4 prefixes behind the device (Azure: localNetworkAddressSpace.addressPrefixes), routed into its tunnels. May be empty with BGP; prefixes listed here become static routes next to the learned ones.")
    List<@Pattern(Patterns.IPV4_CIDR) @Size(max = 18) String> localNetworkAddressSpace,
    @JsonPropertyDescription("BGP settings of the on-premises device (asn, bgpPeeringAddress, peerWeight). Set when a Connection to this site has enableBgp.")
    LocalNetworkGatewayBgpSettings bgpSettings) {

  public LocalNetworkGatewaySpec {
    localNetworkAddressSpace = localNetworkAddressSpace == null ? List.of() : List.copyOf(localNetworkAddressSpace);
  }
}
