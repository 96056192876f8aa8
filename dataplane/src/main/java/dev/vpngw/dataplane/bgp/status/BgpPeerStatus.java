package dev.vpngw.dataplane.bgp.status;

/**
 * One row of Azure's list-bgp-peer-status ({@code state}: Unknown, Stopped, Idle, Connecting,
 * Connected; {@code connectedDuration} as a .NET TimeSpan "hh:mm:ss.fffffff"), plus detail Azure
 * lacks: the RFC 4271 FSM state, the negotiated hold time, graceful restart, RFC 7606 events and
 * the last error in words, UPDATE and ROUTE-REFRESH counts, how often the session came up, and
 * whether we still announce the RFC 4724 Restart State to it.
 */
public record BgpPeerStatus(
    String localAddress,
    String neighbor,
    long asn,
    String state,
    String connectedDuration,
    long routesReceived,
    long messagesSent,
    long messagesReceived,
    String fsmState,
    int holdTimeSeconds,
    boolean fourOctetAs,
    boolean gracefulRestart,
    long staleRoutes,
    long treatAsWithdraw,
    long routeRefreshesReceived,
    String lastError,
    String lastWarning,
    long updatesReceived,
    long updatesSent,
    long routeRefreshesSent,
    long establishedTransitions,
    boolean restarting) {

  public static String timeSpan(long millis) {
    if (millis < 0) {
      return "";
    }
    long h = millis / 3_600_000;
    long m = millis / 60_000 % 60;
    long s = millis / 1000 % 60;
    long ticks = (millis % 1000) * 10_000;
    return String.format("%02d:%02d:%02d.%07d", h, m, s, ticks);
  }
}
