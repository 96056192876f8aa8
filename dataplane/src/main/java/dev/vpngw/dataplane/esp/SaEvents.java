package dev.vpngw.dataplane.esp;

/** Upcalls from the packet path to IKE (libipsec's ipsec_event_listener). */
public interface SaEvents {
  /** The SA has carried its soft byte limit: IKE should rekey the child SA. */
  void softLifetimeReached(String tunnel, EspSaParams.Direction direction, int spi);

  /** A packet arrived for an SPI we do not know (counted and dropped; IKE may send INVALID_SPI). */
  default void unknownSpi(int spi, java.net.InetSocketAddress from) {}

  /**
   * An authenticated, not replayed packet of inbound SA {@code spi} came from a UDP endpoint other
   * than the one seen before: the peer's NAT mapping may have moved (IKE decides, RFC 7296 §2.23).
   */
  default void peerEndpointChanged(String tunnel, int spi, java.net.InetSocketAddress from) {}
}
