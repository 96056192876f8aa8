package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** BGP settings of the on-premises device (Azure: localNetworkGateways bgpSettings). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
    value = "!(self.asn in [0, 8074, 8075, 12076, 23456, 65515, 65517, 65518, 65519, 65520, 4294967295]"
        + " || (self.asn >= 64496 && self.asn <= 64511) || (self.asn >= 65535 && self.asn <= 65551))",
    message = "bgpSettings.asn is reserved (8074, 8075, 12076, 65515, 65517-65520, 23456, 64496-64511, 65535-65551, 4294967295 and 0 cannot be used on-premises)",
    fieldPath = ".asn")
public record LocalNetworkGatewayBgpSettings(
    @Required @Min(0) @Max(4294967295L)
    @JsonPropertyDescription("Autonomous system number of the on-premises device (2- or 4-byte, decimal). Must differ from the gateway's ASN.")
    Long asn,
    @Required @Pattern(Patterns.IPV4) @Size(max = 15)
    @JsonPropertyDescription("BGP peer address of the on-premises device, reached through the tunnel (the gateway adds a /32 route to it). Must differ from gatewayIpAddress. An APIPA address (169.254.x.x) needs custom APIPA addresses on the gateway; the device then opens the BGP session.")
    String bgpPeeringAddress,
    @Min(0) @Max(100)
    @JsonPropertyDescription("Weight added to routes learned from this peer (Azure: peerWeight). Higher wins.")
    Integer peerWeight) {

  /** Whether the peer address is link-local (169.254.0.0/16), i.e. an Azure APIPA BGP peer. */
  public boolean apipaPeer() {
    return bgpPeeringAddress != null && bgpPeeringAddress.startsWith("169.254.");
  }
}
