package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A VPN gateway: an active-standby or active-active pair of IPsec/BGP instances (Azure: virtualNetworkGateways). */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames("vng")
@Categories(Api.CATEGORY)
@AdditionalPrinterColumn(name = "SKU", jsonPath = ".spec.sku", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Type", jsonPath = ".spec.vpnType", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Active-Active", jsonPath = ".spec.activeActive", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "BGP", jsonPath = ".spec.enableBgp", type = AdditionalPrinterColumn.Type.BOOLEAN, priority = 1)
@AdditionalPrinterColumn(name = "ASN", jsonPath = ".spec.bgpSettings.asn", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = Api.READY_JSON_PATH, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class VirtualNetworkGateway extends CustomResource<VirtualNetworkGatewaySpec, VirtualNetworkGatewayStatus>
    implements Namespaced {
  public static final String KIND = "VirtualNetworkGateway";

  @Override
  @JsonPropertyDescription("Desired state of the VPN gateway (Azure: Microsoft.Network/virtualNetworkGateways properties, gatewayType Vpn).")
  public VirtualNetworkGatewaySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state: per-instance endpoints and state, conditions.")
  public VirtualNetworkGatewayStatus getStatus() {
    return super.getStatus();
  }
}
