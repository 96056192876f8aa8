package dev.vpngw.dataplane.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Where a tunnel's IKE peer is: a literal IPv4 address (LocalNetworkGateway gatewayIpAddress, or the
 * other gateway's instance address for Vnet2Vnet) or a DNS name (LocalNetworkGateway fqdn) the
 * runtime resolves — and re-resolves — itself; the plan never resolves names, so it stays a pure
 * function of the manifests.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = PeerEndpoint.Address.class, name = "Address"),
  @JsonSubTypes.Type(value = PeerEndpoint.Host.class, name = "Host")
})
public sealed interface PeerEndpoint {

  /** The text to show: the address or the host name. */
  String display();

  record Address(String address) implements PeerEndpoint {
    @Override
    public String display() {
      return address;
    }
  }

  record Host(String fqdn) implements PeerEndpoint {
    @Override
    public String display() {
      return fqdn;
    }
  }
}
