package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Public endpoint settings of one gateway instance (Azure: an ipConfiguration with its public IP).
 * In a cluster the operator creates one LoadBalancer Service per instance from these; standalone,
 * the data plane uses publicIpAddress as its local IKE endpoint.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GatewayInstance(
    @Pattern(Patterns.IPV4) @Size(max = 15)
    @JsonPropertyDescription("Static public IPv4 address of this instance. In a cluster it becomes the LoadBalancer Service's loadBalancerIP; standalone it is the local address IKE and ESP use. When absent in a cluster, the load balancer assigns one (see status.instances[].publicIpAddress).")
    String publicIpAddress,
    @JsonPropertyDescription("Annotations for this instance's LoadBalancer Service (cloud load-balancer settings such as a reserved IP name). Ignored standalone.")
    Map<String, String> serviceAnnotations) {

  public GatewayInstance {
    serviceAnnotations = serviceAnnotations == null
        ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(serviceAnnotations));
  }
}
