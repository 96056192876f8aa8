package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state of a VirtualNetworkGateway. */
// NON_NULL, not NON_EMPTY: an emptied list must be written as [] so a status patch clears it.
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VirtualNetworkGatewayStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.")
    Long observedGeneration,
    @JsonPropertyDescription("Conditions: Ready (all instances serve), plus specific ones with a CamelCase reason (e.g. Valid=False reason SkuLimitExceeded).")
    @SchemaFrom(type = ConditionSchema[].class)
    List<Condition> conditions,
    @JsonPropertyDescription("Per-instance state: name, zone, public IP, BGP peering address and state.")
    List<GatewayInstanceStatus> instances) {

  public VirtualNetworkGatewayStatus {
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
    instances = instances == null ? List.of() : List.copyOf(instances);
  }
}
