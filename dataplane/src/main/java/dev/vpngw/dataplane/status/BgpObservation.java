package dev.vpngw.dataplane.status;

import dev.vpngw.crds.v1alpha1.BgpPeerStatus;

/**
 * One BGP session and the connection (tunnel) it runs over. {@code lastError} is why the session
 * last went down, in words (null when none), e.g. a prefix-limit Cease; status shows it while the
 * session is not Established.
 */
public record BgpObservation(String connection, String tunnel, BgpPeerStatus status, String lastError) {
  public BgpObservation(String connection, String tunnel, BgpPeerStatus status) {
    this(connection, tunnel, status, null);
  }

  /** True when the session is down because the peer sent more prefixes than allowed. */
  public boolean prefixLimitExceeded() {
    return lastError != null && lastError.startsWith(dev.vpngw.dataplane.bgp.session.BgpSession.PREFIX_LIMIT_EXCEEDED);
  }
}
