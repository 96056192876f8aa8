package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Optional;

/** Desired state of a Connection. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
    value = "self.connectionType != 'IPsec' || (has(self.localNetworkGateway2) && !has(self.virtualNetworkGateway2))",
    message = "localNetworkGateway2: connectionType IPsec requires localNetworkGateway2 and no virtualNetworkGateway2",
    fieldPath = ".localNetworkGateway2")
@ValidationRule(
    value = "self.connectionType != 'Vnet2Vnet' || (has(self.virtualNetworkGateway2) && !has(self.localNetworkGateway2))",
    message = "virtualNetworkGateway2: connectionType Vnet2Vnet requires virtualNetworkGateway2 and no localNetworkGateway2",
    fieldPath = ".virtualNetworkGateway2")
@ValidationRule(
    value = "!has(self.virtualNetworkGateway2) || self.virtualNetworkGateway2.name != self.virtualNetworkGateway1.name",
    message = "virtualNetworkGateway2 must name a different gateway than virtualNetworkGateway1",
    fieldPath = ".virtualNetworkGateway2.name")
@ValidationRule(
    value = "!((has(self.usePolicyBasedTrafficSelectors) && self.usePolicyBasedTrafficSelectors)"
        + " || (has(self.trafficSelectorPolicies) && size(self.trafficSelectorPolicies) > 0))"
        + " || (has(self.ipsecPolicies) && size(self.ipsecPolicies) > 0)",
    message = "ipsecPolicies: usePolicyBasedTrafficSelectors and trafficSelectorPolicies require a custom IPsec policy",
    fieldPath = ".ipsecPolicies")
@ValidationRule(
    value = "!has(self.connectionMode) || self.connectionMode == 'Default' || !has(self.connectionProtocol) || self.connectionProtocol == 'IKEv2'",
    message = "connectionMode: InitiatorOnly and ResponderOnly require connectionProtocol IKEv2",
    fieldPath = ".connectionMode")
@ValidationRule(
    value = "!has(self.gatewayCustomBgpIpAddresses) || size(self.gatewayCustomBgpIpAddresses) == 0 || (has(self.enableBgp) && self.enableBgp)",
    message = "gatewayCustomBgpIpAddresses: requires enableBgp: true",
    fieldPath = ".gatewayCustomBgpIpAddresses")
@ValidationRule(
    value = "!has(self.gatewayCustomBgpIpAddresses) || self.gatewayCustomBgpIpAddresses.all(a,"
        + " self.gatewayCustomBgpIpAddresses.exists_one(b, b.instance == a.instance))",
    message = "gatewayCustomBgpIpAddresses: at most one entry per instance",
    fieldPath = ".gatewayCustomBgpIpAddresses")
@ValidationRule(
    value = "self.connectionType == oldSelf.connectionType",
    message = "connectionType is immutable: delete and recreate the connection to change it",
    fieldPath = ".connectionType")
@ValidationRule(
    value = "(has(self.connectionProtocol) ? self.connectionProtocol : 'IKEv2') == (has(oldSelf.connectionProtocol) ? oldSelf.connectionProtocol : 'IKEv2')",
    message = "connectionProtocol is immutable: delete and recreate the connection to change it",
    fieldPath = ".connectionProtocol")
public record ConnectionSpec(
    @Required
    @JsonPropertyDescription("IPsec (site-to-site, to localNetworkGateway2) or Vnet2Vnet (to virtualNetworkGateway2; create one Connection per direction). Immutable.")
    ConnectionType connectionType,
    @Required
    @JsonPropertyDescription("The VirtualNetworkGateway (same namespace) that terminates this connection.")
    GatewayReference virtualNetworkGateway1,
    @JsonPropertyDescription("The LocalNetworkGateway (same namespace) at the other end; required for connectionType IPsec.")
    GatewayReference localNetworkGateway2,
    @JsonPropertyDescription("The other VirtualNetworkGateway (same namespace); required for connectionType Vnet2Vnet.")
    GatewayReference virtualNetworkGateway2,
    @Required
    @JsonPropertyDescription("Pre-shared key, by reference to a Secret key in the same namespace (never inline).")
    SharedKey sharedKey,
    @Default("IKEv2")
    @JsonPropertyDescription("IKE version: IKEv2 (default) or IKEv1. Immutable.")
    ConnectionProtocol connectionProtocol,
    @JsonPropertyDescription("Run BGP over this connection (Azure: enableBgp). The gateway and the LocalNetworkGateway need BGP settings.")
    boolean enableBgp,
    @JsonPropertyDescription("Negotiate one prefix-pair traffic selector per (addressSpace x localNetworkAddressSpace) combination, for policy-based devices; no transit routing for such sites. Requires a custom policy in ipsecPolicies.")
    boolean usePolicyBasedTrafficSelectors,
    @Size(max = 16)
    @JsonPropertyDescription("Custom traffic selectors proposed when the gateway initiates (the peer's proposals are accepted in every mode). Requires a custom policy in ipsecPolicies.")
    List<TrafficSelectorPolicy> trafficSelectorPolicies,
    @Size(max = 1)
    @JsonPropertyDescription("At most one custom IPsec/IKE policy replacing the default proposals; all eight fields required. Not on the Basic SKU.")
    List<IpsecPolicy> ipsecPolicies,
    @Default("45") @Min(9) @Max(3600)
    @JsonPropertyDescription("Dead peer detection timeout in seconds, 9-3600 (default 45; 30-45 recommended).")
    Integer dpdTimeoutSeconds,
    @Default("Default")
    @JsonPropertyDescription("Who starts the initial IKE exchange: Default (either side), InitiatorOnly (gateway dials), ResponderOnly (on-premises device dials). Other than Default only with IKEv2 on a RouteBased gateway.")
    ConnectionMode connectionMode,
    @Size(max = 2)
    @JsonPropertyDescription("Per-instance choice of the gateway's APIPA BGP address for this connection (Azure: gatewayCustomBgpIpAddresses). Requires enableBgp.")
    List<GatewayCustomBgpIpAddress> gatewayCustomBgpIpAddresses) {

  public static final int DEFAULT_DPD_TIMEOUT_SECONDS = 45;

  public ConnectionSpec {
    connectionProtocol = connectionProtocol == null ? ConnectionProtocol.IKEv2 : connectionProtocol;
    connectionMode = connectionMode == null ? ConnectionMode.Default : connectionMode;
    dpdTimeoutSeconds = dpdTimeoutSeconds == null ? DEFAULT_DPD_TIMEOUT_SECONDS : dpdTimeoutSeconds;
    trafficSelectorPolicies = trafficSelectorPolicies == null ? List.of() : List.copyOf(trafficSelectorPolicies);
    ipsecPolicies = ipsecPolicies == null ? List.of() : List.copyOf(ipsecPolicies);
    gatewayCustomBgpIpAddresses = gatewayCustomBgpIpAddresses == null ? List.of() : List.copyOf(gatewayCustomBgpIpAddresses);
  }

  /** The custom policy, if one is given. */
  public Optional<IpsecPolicy> customPolicy() {
    return ipsecPolicies.isEmpty() ? Optional.empty() : Optional.of(ipsecPolicies.getFirst());
  }

  /** Whether prefix-pair (policy-based) selectors are in use: the flag or custom trafficSelectorPolicies. */
  public boolean policyBasedSelectors() {
    return usePolicyBasedTrafficSelectors || !trafficSelectorPolicies.isEmpty();
  }
}
