package dev.vpngw.dataplane.esp;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * Everything the data plane needs to run one direction of a child SA. Keys are copied in and held
 * off the log path: {@link #toString()} never prints them.
 *
 * @param tunnel     the tunnel (connection name + instance, e.g. "site-a/0") this SA carries
 * @param spi        the SPI in the ESP header (ours for inbound, the peer's for outbound)
 * @param local      our UDP endpoint (port 4500: ESP is always UDP-encapsulated, RFC 3948)
 * @param remote     the peer's UDP endpoint (after NAT detection)
 * @param replayWindow anti-replay window in packets (inbound only; 0 disables)
 * @param lifetimeBytes soft byte limit after which {@link SaEvents#softLifetimeReached} fires; 0 = none
 * @param selectors  the child SA's traffic selectors: outbound packets pick the SA that covers them,
 *                   inbound packets outside them are dropped ({@link SelectorRanges#ANY} for route-based)
 */
public record EspSaParams(
    String tunnel,
    Direction direction,
    int spi,
    EspTransform transform,
    byte[] encKey,
    byte[] integKey,
    boolean esn,
    InetSocketAddress local,
    InetSocketAddress remote,
    int replayWindow,
    long lifetimeBytes,
    SelectorRanges selectors) {

  public enum Direction { INBOUND, OUTBOUND }

  /** An SA without selectors (any ↔ any). */
  public EspSaParams(String tunnel, Direction direction, int spi, EspTransform transform, byte[] encKey, byte[] integKey,
      boolean esn, InetSocketAddress local, InetSocketAddress remote, int replayWindow, long lifetimeBytes) {
    this(tunnel, direction, spi, transform, encKey, integKey, esn, local, remote, replayWindow, lifetimeBytes,
        SelectorRanges.ANY);
  }

  public EspSaParams {
    selectors = selectors == null ? SelectorRanges.ANY : selectors;
    encKey = encKey.clone();
    integKey = integKey == null ? new byte[0] : integKey.clone();
  }

  @Override
  public String toString() {
    return "EspSa[" + tunnel + " " + direction + " spi=" + String.format("%08x", spi) + " " + transform
        + " esn=" + esn + " " + local + "<->" + remote + " ts=" + selectors + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EspSaParams p && p.spi == spi && p.direction == direction && p.tunnel.equals(tunnel)
        && Arrays.equals(p.encKey, encKey) && Arrays.equals(p.integKey, integKey);
  }

  @Override
  public int hashCode() {
    return spi * 31 + direction.hashCode();
  }
}
