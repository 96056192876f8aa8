package dev.vpngw.dataplane.bgp.session;

/** RFC 4271 §8.2.2 states. */
public enum SessionState {
  IDLE,
  CONNECT,
  ACTIVE,
  OPEN_SENT,
  OPEN_CONFIRM,
  ESTABLISHED
}
