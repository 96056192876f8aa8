package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An on-premises site: the VPN device and the prefixes behind it (Azure: localNetworkGateways). */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames("lng")
@Categories(Api.CATEGORY)
@AdditionalPrinterColumn(name = "Gateway IP", jsonPath = ".spec.gatewayIpAddress", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "FQDN", jsonPath = ".spec.fqdn", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Address Space", jsonPath = ".spec.localNetworkAddressSpace", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "ASN", jsonPath = ".spec.bgpSettings.asn", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "Ready", jsonPath = Api.READY_JSON_PATH, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class LocalNetworkGateway extends CustomResource<LocalNetworkGatewaySpec, LocalNetworkGatewayStatus>
    implements Namespaced {
  public static final String KIND = "LocalNetworkGateway";

  @Override
  @JsonPropertyDescription("Desired state of the on-premises site (Azure: Microsoft.Network/localNetworkGateways properties).")
  public LocalNetworkGatewaySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state: resolved addresses, conditions.")
  public LocalNetworkGatewayStatus getStatus() {
    return super.getStatus();
  }
}
