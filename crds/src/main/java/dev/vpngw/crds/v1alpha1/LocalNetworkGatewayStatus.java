package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state of a LocalNetworkGateway. */
// NON_NULL, not NON_EMPTY: an emptied list must be written as [] so a status patch clears it.
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LocalNetworkGatewayStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.")
    Long observedGeneration,
    @JsonPropertyDescription("Conditions: Ready, plus specific ones with a CamelCase reason (e.g. Resolved=False reason FqdnNotResolved).")
    @SchemaFrom(type = ConditionSchema[].class)
    List<Condition> conditions,
    @JsonPropertyDescription("Addresses the fqdn resolved to at the last lookup; the first is used as the peer. Equals [gatewayIpAddress] when that is set.")
    List<String> resolvedAddresses) {

  public LocalNetworkGatewayStatus {
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
    resolvedAddresses = resolvedAddresses == null ? List.of() : List.copyOf(resolvedAddresses);
  }
}
