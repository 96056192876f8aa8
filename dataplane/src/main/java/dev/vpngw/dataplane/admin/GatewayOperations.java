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

  /** Starts a child SA rekey (and IKE SA rekey when {@code ike}) on one connection now. */
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
