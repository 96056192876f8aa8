package dev.vpngw.dataplane.admin;

/**
 * The write side of the admin endpoint, matching Azure's verbs. Each call returns quickly with what
 * was started; the effect shows in status. Unknown names raise {@link IllegalArgumentException}
 * whose message is returned to the caller (404).
 */
public interface GatewayOperations {
  /** Tears down and re-negotiates one connection (Azure "reset connection"); other tunnels untouched. */
  String resetConnection(String connection);

  /** Re-negotiates every connection of this instance (Azure "reset gateway" for one instance). */
  String resetGateway();

  /**
   * Starts a rekey on one connection now: its child SAs, or with {@code ike} its IKE SA alone (the
   * child SAs move to the new IKE SA unchanged, as {@code swanctl --rekey --ike} does).
   */
  String rekey(String connection, boolean ike);

  /** Re-reads the manifests; only connections whose inputs changed are re-negotiated. */
  String reload();

  /**
   * BGP route refresh with one peer ({@code null}: all): {@code in} sends ROUTE-REFRESH (RFC 2918)
   * so the peer resends its routes, {@code out} re-sends ours. Sessions stay up.
   */
  default String bgpRefresh(String peer, boolean in, boolean out) {
    throw new IllegalArgumentException("BGP route refresh is not supported here");
  }
}
