package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state of a Connection. */
// NON_NULL, not NON_EMPTY: an emptied list must be written as [] so a status patch clears it.
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.")
    Long observedGeneration,
   
    @JsonPropertyDescription("Connection state (Azure: connectionStatus): Connected when at least one tunnel is up.")
    ConnectionState connectionStatus,
   
    @JsonPropertyDescription("Bytes received over all tunnels of this connection.")
    Long ingressBytesTransferred,
   
    @JsonPropertyDescription("Bytes sent over all tunnels of this connection.")
    Long egressBytesTransferred,
    @JsonPropertyDescription("One entry per gateway instance: endpoints, negotiated algorithms, SPIs, times, last error.")
    List<TunnelStatus> tunnels,
    @JsonPropertyDescription("BGP sessions of this connection.")
    List<BgpPeerStatus> bgpPeers,
    @JsonPropertyDescription("Conditions: Ready (at least one tunnel up and, with BGP, a session established), plus specific ones with a CamelCase reason.")
    @SchemaFrom(type = ConditionSchema[].class)
    List<Condition> conditions) {

  public ConnectionStatus {
    tunnels = tunnels == null ? List.of() : List.copyOf(tunnels);
    bgpPeers = bgpPeers == null ? List.of() : List.copyOf(bgpPeers);
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }
}
