package dev.vpngw.dataplane.status;

import dev.vpngw.crds.v1alpha1.ConnectionState;

/** Where one tunnel is, as the engines report it; maps onto Azure's connectionStatus values. */
public enum TunnelPhase {
  /** The engines say nothing about it (not started, or no engine wired). */
  UNKNOWN(ConnectionState.Unknown),
  /** Configured but not negotiating: waiting for the peer (ResponderOnly), or a standby instance. */
  IDLE(ConnectionState.NotConnected),
  /** IKE_SA_INIT/IKE_AUTH or CREATE_CHILD_SA under way, no child SA installed yet. */
  NEGOTIATING(ConnectionState.Connecting),
  /** The child SA is installed in the ESP engine: traffic can flow. */
  ESTABLISHED(ConnectionState.Connected),
  /** The last attempt failed; see the tunnel's failure. Retries may be pending. */
  FAILED(ConnectionState.NotConnected);

  private final ConnectionState state;

  TunnelPhase(ConnectionState state) {
    this.state = state;
  }

  public ConnectionState connectionState() {
    return state;
  }
}
