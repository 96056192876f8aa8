package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A reference by name to a VirtualNetworkGateway or LocalNetworkGateway in the same namespace. */
public record GatewayReference(
    @Required @Size(min = 1, max = 253) @Pattern(Patterns.OBJECT_NAME)
    @JsonPropertyDescription("Name of the referenced gateway resource, in the same namespace as the Connection.")
    String name) {}
