package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** BGP settings of a VirtualNetworkGateway (Azure: bgpSettings). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
    value = "!has(self.asn) || !(self.asn in [0, 8074, 8075, 12076, 23456, 65517, 65518, 65519, 65520, 4294967295]"
        + " || (self.asn >= 64496 && self.asn <= 64511) || (self.asn >= 65535 && self.asn <= 65551))",
    message = "bgpSettings.asn is reserved (8074, 8075, 12076, 65517-65520, 23456, 64496-64511, 65535-65551, 4294967295 and 0 cannot be used; 65515 is the gateway default)",
    fieldPath = ".asn")
@ValidationRule(
    value = "!has(self.bgpPeeringAddresses) || self.bgpPeeringAddresses.all(a, self.bgpPeeringAddresses.exists_one(b, b.instance == a.instance))",
    message = "bgpSettings.bgpPeeringAddresses: at most one entry per instance",
    fieldPath = ".bgpPeeringAddresses")
@ValidationRule(
    value = "!has(self.bgpPeeringAddresses) || self.bgpPeeringAddresses.all(a, self.bgpPeeringAddresses.all(b,"
        + " a.instance == b.instance || !has(a.customBgpIpAddresses) || !has(b.customBgpIpAddresses)"
        + " || !a.customBgpIpAddresses.exists(x, x in b.customBgpIpAddresses)))",
    message = "bgpSettings.bgpPeeringAddresses.customBgpIpAddresses: each APIPA address may belong to only one instance",
    fieldPath = ".bgpPeeringAddresses")
public record VirtualNetworkGatewayBgpSettings(
    @Default("65515") @Min(0) @Max(4294967295L)
    @JsonPropertyDescription("Autonomous system number of the gateway (2- or 4-byte, decimal). Default 65515 as in Azure. Must differ from every peer's ASN.")
    Long asn,
    @Size(max = 2)
    @JsonPropertyDescription("Per-instance custom (APIPA) BGP peering addresses (Azure: bgpPeeringAddresses[].customBgpIpAddresses). Needed when an on-premises BGP peer uses an APIPA (169.254.x.x) address. Instance 1 exists only on active-active gateways.")
    List<BgpPeeringAddress> bgpPeeringAddresses) {

  /** Azure's default gateway ASN. */
  public static final long DEFAULT_ASN = 65515L;

  public VirtualNetworkGatewayBgpSettings {
    asn = asn == null ? DEFAULT_ASN : asn;
    bgpPeeringAddresses = bgpPeeringAddresses == null ? List.of() : List.copyOf(bgpPeeringAddresses);
  }
}
