package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Observed state of one tunnel of a connection: one per gateway instance (Azure: tunnelConnectionStatus[]). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TunnelStatus(
    @JsonPropertyDescription("Gateway instance (0 or 1) that terminates this tunnel.")
    Integer instance,
    @JsonPropertyDescription("Tunnel state: Unknown, Connecting, Connected or NotConnected.")
    ConnectionState state,
    @JsonPropertyDescription("Local IKE endpoint, address:port.")
    String localEndpoint,
    @JsonPropertyDescription("Remote IKE endpoint, address:port (after NAT, as seen by the gateway).")
    String remoteEndpoint,
    @JsonPropertyDescription("Algorithms of the current IKE SA.")
    NegotiatedIke ike,
    @JsonPropertyDescription("Algorithms of the current ESP SA.")
    NegotiatedEsp esp,
    @JsonPropertyDescription("Inbound ESP SPI of the current child SA, 8 hex digits.")
    String inboundSpi,
    @JsonPropertyDescription("Outbound ESP SPI of the current child SA, 8 hex digits.")
    String outboundSpi,
    @JsonPropertyDescription("When the IKE SA was established (RFC 3339).")
    String establishedTime,
    @JsonPropertyDescription("When the child SA was last rekeyed (RFC 3339).")
    String lastRekeyTime,
    @JsonPropertyDescription("Last error on this tunnel (e.g. NO_PROPOSAL_CHOSEN, AUTHENTICATION_FAILED, DPD timeout).")
    String lastError,
    @JsonPropertyDescription("Bytes received through this tunnel.")
    Long ingressBytesTransferred,
    @JsonPropertyDescription("Bytes sent through this tunnel.")
    Long egressBytesTransferred) {}
