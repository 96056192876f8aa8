package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The custom (APIPA) BGP addresses of one gateway instance (Azure: one bgpPeeringAddresses entry per ipConfiguration). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
    value = "self.customBgpIpAddresses.all(x, self.customBgpIpAddresses.exists_one(y, y == x))",
    message = "customBgpIpAddresses: addresses must be distinct",
    fieldPath = ".customBgpIpAddresses")
public record BgpPeeringAddress(
    @Required @Min(0) @Max(1)
    @JsonPropertyDescription("Gateway instance: 0 (Azure ipConfiguration 'default') or 1 (the second instance of an active-active gateway, Azure 'activeActive').")
    Integer instance,
    @Required @Size(min = 1, max = 4)
    @JsonPropertyDescription("APIPA BGP addresses of this instance, each in 169.254.21.0 - 169.254.22.255 (Azure's range). A Connection picks one per instance with gatewayCustomBgpIpAddresses; otherwise the first is used.")
    List<@Pattern(Patterns.APIPA_BGP) @Size(max = 15) String> customBgpIpAddresses) {

  public BgpPeeringAddress {
    customBgpIpAddresses = customBgpIpAddresses == null ? List.of() : List.copyOf(customBgpIpAddresses);
  }
}
