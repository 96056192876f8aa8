package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Observed state of one BGP session of a connection (Azure: Get-AzVirtualNetworkGatewayBGPPeerStatus). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record BgpPeerStatus(
    @JsonPropertyDescription("Gateway instance (0 or 1) the session runs on.")
    Integer instance,
    @JsonPropertyDescription("Neighbor address.")
    String neighbor,
    @JsonPropertyDescription("Neighbor ASN.")
    Long asn,
    @JsonPropertyDescription("Session state: Idle, Connect, Active, OpenSent, OpenConfirm, Established.")
    BgpPeerState state,
    @JsonPropertyDescription("Time in Established state, as an ISO-8601 duration (e.g. PT1H2M3S).")
    String connectedDuration,
    @JsonPropertyDescription("Prefixes received from the neighbor.")
    Long routesReceived,
    @JsonPropertyDescription("Prefixes advertised to the neighbor.")
    Long routesAdvertised,
    @JsonPropertyDescription("BGP messages sent.")
    Long messagesSent,
    @JsonPropertyDescription("BGP messages received.")
    Long messagesReceived) {}
