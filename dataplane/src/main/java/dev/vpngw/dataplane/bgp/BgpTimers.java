package dev.vpngw.dataplane.bgp;

/**
 * Protocol timers in seconds. Hold 0 disables keepalives; otherwise hold is negotiated as
 * min(local, peer) and keepalive is a third of it. {@code gracefulRestart} is the restart time
 * advertised and the longest a restarting peer's routes are kept stale; {@code staleRoutes} bounds
 * waiting for the peer's End-of-RIB after it came back.
 */
public record BgpTimers(int hold, int connectRetry, int idleHold, int openHold, int gracefulRestart, int staleRoutes, int prefixLimitIdle) {
  public static final BgpTimers DEFAULTS = new BgpTimers(90, 5, 5, 240, 120, 360, 60);

  public BgpTimers {
    if (hold != 0 && hold < 3) {
      throw new IllegalArgumentException("timers.hold must be 0 or >= 3, got " + hold);
    }
    if (hold > 65535) {
      throw new IllegalArgumentException("timers.hold must be <= 65535, got " + hold);
    }
    if (connectRetry < 1 || idleHold < 0 || openHold < 3 || staleRoutes < 1 || prefixLimitIdle < 0) {
      throw new IllegalArgumentException("timers: connectRetry >= 1, idleHold >= 0, openHold >= 3, staleRoutes >= 1, prefixLimitIdle >= 0");
    }
    if (gracefulRestart < 0 || gracefulRestart > 4095) {
      throw new IllegalArgumentException("timers.gracefulRestart must be 0..4095 (12 bits), got " + gracefulRestart);
    }
  }

  public BgpTimers withHold(int h) {
    return new BgpTimers(h, connectRetry, idleHold, openHold, gracefulRestart, staleRoutes, prefixLimitIdle);
  }

  public BgpTimers withGracefulRestart(int g) {
    return new BgpTimers(hold, connectRetry, idleHold, openHold, g, staleRoutes, prefixLimitIdle);
  }

  public BgpTimers withConnectRetry(int c) {
    return new BgpTimers(hold, c, idleHold, openHold, gracefulRestart, staleRoutes, prefixLimitIdle);
  }

  public BgpTimers withIdleHold(int i) {
    return new BgpTimers(hold, connectRetry, i, openHold, gracefulRestart, staleRoutes, prefixLimitIdle);
  }

  public BgpTimers withPrefixLimitIdle(int i) {
    return new BgpTimers(hold, connectRetry, idleHold, openHold, gracefulRestart, staleRoutes, i);
  }
}
