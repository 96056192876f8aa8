package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Which APIPA address one gateway instance uses for this connection's BGP session (Azure: gatewayCustomBgpIpAddresses[]). */
public record GatewayCustomBgpIpAddress(
    @Required @Min(0) @Max(1)
    @JsonPropertyDescription("Gateway instance: 0 or 1 (Azure: ipConfigurationId of 'default' or 'activeActive').")
    Integer instance,
    @Required @Pattern(Patterns.APIPA_BGP) @Size(max = 15)
    @JsonPropertyDescription("One of that instance's bgpSettings.bgpPeeringAddresses[].customBgpIpAddresses on the VirtualNetworkGateway, in 169.254.21.0 - 169.254.22.255.")
    String customBgpIpAddress) {}
