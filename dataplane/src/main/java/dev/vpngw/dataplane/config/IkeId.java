package dev.vpngw.dataplane.config;

/**
 * An IKE identity as the plan states it. Azure uses IP address identities (ID_IPV4_ADDR) on both
 * sides: its own public IP and, for the peer, the LocalNetworkGateway gatewayIpAddress. For a peer
 * known only by fqdn the identity is {@link Type#ANY}: the address is not known until resolution
 * and the PSK still authenticates the peer.
 */
public record IkeId(Type type, String value) {

  public enum Type { IPV4_ADDR, ANY }

  public static IkeId ipv4(String address) {
    return new IkeId(Type.IPV4_ADDR, address);
  }

  public static IkeId any() {
    return new IkeId(Type.ANY, null);
  }

  @Override
  public String toString() {
    return type == Type.ANY ? "%any" : value;
  }
}
