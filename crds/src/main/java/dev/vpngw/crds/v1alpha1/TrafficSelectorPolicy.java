package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** One custom traffic selector pair (Azure: trafficSelectorPolicies[]). */
public record TrafficSelectorPolicy(
    @Required @Size(min = 1, max = 16)
    @JsonPropertyDescription("IPv4 prefixes on the gateway side of this selector pair.")
    List<@Pattern(Patterns.IPV4_CIDR) @Size(max = 18) String> localAddressRanges,
    @Required @Size(min = 1, max = 16)
    @JsonPropertyDescription("IPv4 prefixes on the on-premises side of this selector pair.")
    List<@Pattern(Patterns.IPV4_CIDR) @Size(max = 18) String> remoteAddressRanges) {

  public TrafficSelectorPolicy {
    localAddressRanges = localAddressRanges == null ? List.of() : List.copyOf(localAddressRanges);
    remoteAddressRanges = remoteAddressRanges == null ? List.of() : List.copyOf(remoteAddressRanges);
  }
}
