package dev.vpngw.dataplane.esp;

/** Upcalls from the packet path to IKE (libipsec's ipsec_event_listener). */
public interface SaEvents {
  /** The SA has carried its soft byte limit: IKE should rekey the child SA. */
  void softLifetimeReached(String tunnel, EspSaParams.Direction direction, int spi);

  /** A packet arrived for an SPI we do not know (counted and dropped; IKE may send INVALID_SPI). */
  default void unknownSpi(int spi, java.net.InetSocketAddress from) {}
}
