package dev.vpngw.dataplane.esp;

import java.util.Optional;

/**
 * The IKE side's only door into the packet path (strongSwan libipsec's ipsec_sa_mgr, as a Java
 * interface): IKE negotiates, this installs. Implementations: the real ESP engine, and an in-memory
 * test double for exchange tests.
 *
 * <p>Make-before-break: during a rekey the new inbound SA is added first, then the outbound SA of
 * the tunnel is switched with {@link #switchOutbound}, then the old pair is deleted.
 */
public interface SaManager {

  /** Installs one direction of a child SA. An inbound SA starts accepting packets at once. */
  void addSa(EspSaParams params);

  /** Makes {@code spi} (an already added OUTBOUND SA) the one used for the tunnel's traffic. */
  void switchOutbound(String tunnel, int spi);

  /**
   * Points the tunnel's outbound SAs at the peer's new UDP endpoint (its NAT mapping moved, RFC 7296
   * §2.23). IKE decides; the default ignores it (test doubles without a packet path).
   */
  default void updateRemote(String tunnel, java.net.InetSocketAddress remote) {}

  /** Removes an SA; unknown SPIs are ignored (delete is idempotent). */
  void deleteSa(EspSaParams.Direction direction, int spi);

  /** Removes every SA of a tunnel (tunnel reset / IKE SA gone). */
  void deleteTunnel(String tunnel);

  /** Counters for one SA, empty if not installed. */
  Optional<SaStats> query(EspSaParams.Direction direction, int spi);

  /** Receives lifetime and error events from the packet path (called off the packet thread's hot loop). */
  void setEventListener(SaEvents listener);

  record SaStats(long packets, long bytes, long replayDrops, long authDrops, long lastUsedNanos) {}
}
