package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Observed state of one gateway instance. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GatewayInstanceStatus(
    @JsonPropertyDescription("Instance index: 0 or 1.")
    Integer instance,
    @JsonPropertyDescription("Name of the instance (the pod name in a cluster, the host name standalone).")
    String name,
    @JsonPropertyDescription("Zone the instance runs in (node label topology.kubernetes.io/zone), if any.")
    String zone,
    @JsonPropertyDescription("Public IPv4 address peers use to reach this instance.")
    String publicIpAddress,
    @JsonPropertyDescription("Default BGP peering address of this instance (Azure: defaultBgpIpAddresses).")
    String bgpPeeringAddress,
    @JsonPropertyDescription("State of the instance: Pending, Ready, NotReady or Failed.")
    GatewayInstanceState state) {}
