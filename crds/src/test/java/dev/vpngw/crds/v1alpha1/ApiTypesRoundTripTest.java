package dev.vpngw.crds.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiTypesRoundTripTest {

  @Test
  void connectionReadsFromYamlWithDefaultsApplied() {
    var yaml = """
        apiVersion: vpngw.dev/v1alpha1
        kind: Connection
        metadata: {name: to-site, namespace: ns}
        spec:
          connectionType: IPsec
          virtualNetworkGateway1: {name: gw}
          localNetworkGateway2: {name: site}
          sharedKey: {secretKeyRef: {name: psk, key: sharedKey}}
          ipsecPolicies:
          - {saLifeTimeSeconds: 27000, saDataSizeKilobytes: 102400000, ipsecEncryption: GCMAES256,
             ipsecIntegrity: GCMAES256, ikeEncryption: AES256, ikeIntegrity: SHA384, dhGroup: DHGroup24, pfsGroup: None}
        """;
    Connection c = Serialization.unmarshal(yaml, Connection.class);
    assertThat(c.getMetadata().getName()).isEqualTo("to-site");
    ConnectionSpec spec = c.getSpec();
    assertThat(spec.connectionType()).isEqualTo(ConnectionType.IPsec);
    assertThat(spec.connectionProtocol()).isEqualTo(ConnectionProtocol.IKEv2);
    assertThat(spec.dpdTimeoutSeconds()).isEqualTo(45);
    assertThat(spec.connectionMode()).isEqualTo(ConnectionMode.Default);
    assertThat(spec.enableBgp()).isFalse();
    assertThat(spec.customPolicy()).get().extracting(IpsecPolicy::ipsecEncryption).isEqualTo(IpsecEncryption.GCMAES256);
    assertThat(spec.sharedKey().secretKeyRef().key()).isEqualTo("sharedKey");
    assertThat(spec.trafficSelectorPolicies()).isEmpty();
  }

  @Test
  void statusRoundTripsThroughJson() {
    var vng = new VirtualNetworkGateway();
    vng.setSpec(new VirtualNetworkGatewaySpec(GatewaySku.VpnGw2AZ, null, true, true,
        new VirtualNetworkGatewayBgpSettings(65010L, List.of(new BgpPeeringAddress(0, List.of("169.254.21.1")))),
        List.of("198.18.0.0/16"), List.of(), List.of("1", "2")));
    vng.setStatus(new VirtualNetworkGatewayStatus(3L,
        List.of(new ConditionBuilder().withType("Ready").withStatus("True").withReason("AllInstancesReady").build()),
        List.of(new GatewayInstanceStatus(0, "gw-0", "1", "203.0.113.10", "198.18.255.4", GatewayInstanceState.Ready))));
    String json = Serialization.asJson(vng);
    assertThat(json).doesNotContain("null").contains("\"sku\":\"VpnGw2AZ\"").contains("\"vpnType\":\"RouteBased\"");
    VirtualNetworkGateway back = Serialization.unmarshal(json, VirtualNetworkGateway.class);
    assertThat(back.getSpec()).isEqualTo(vng.getSpec());
    assertThat(back.getStatus()).isEqualTo(vng.getStatus());
    assertThat(back.getSpec().activeInstanceCount()).isEqualTo(2);
    assertThat(GatewaySku.VpnGw4AZ.maxSiteToSiteTunnels()).isEqualTo(100);
  }

  @Test
  void emptiedStatusListsAreWrittenSoAPatchClearsThem() {
    var status = new ConnectionStatus(2L, ConnectionState.NotConnected, 0L, 0L, List.of(), null, null);
    assertThat(Serialization.asJson(status)).contains("\"tunnels\":[]", "\"bgpPeers\":[]", "\"conditions\":[]");
  }
}
