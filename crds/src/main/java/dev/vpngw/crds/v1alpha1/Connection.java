package dev.vpngw.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A site-to-site or VNet-to-VNet IPsec connection of a gateway (Azure: connections). */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames("vpnconn")
@Categories(Api.CATEGORY)
@AdditionalPrinterColumn(name = "Type", jsonPath = ".spec.connectionType", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Gateway", jsonPath = ".spec.virtualNetworkGateway1.name", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.connectionStatus", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Bytes In", jsonPath = ".status.ingressBytesTransferred", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Bytes Out", jsonPath = ".status.egressBytesTransferred", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = Api.READY_JSON_PATH, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Connection extends CustomResource<ConnectionSpec, ConnectionStatus> implements Namespaced {
  public static final String KIND = "Connection";

  @Override
  @JsonPropertyDescription("Desired state of the connection (Azure: Microsoft.Network/connections properties).")
  public ConnectionSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state: connection status, per-tunnel and BGP details, traffic counters, conditions.")
  public ConnectionStatus getStatus() {
    return super.getStatus();
  }
}
