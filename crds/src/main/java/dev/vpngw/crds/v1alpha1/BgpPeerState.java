package dev.vpngw.crds.v1alpha1;

/** BGP session state (RFC 4271 finite state machine). */
public enum BgpPeerState {
  Idle, Connect, Active, OpenSent, OpenConfirm, Established
}
