package dev.vpngw.crds.v1alpha1;

/** State of a connection or of one tunnel, Azure's connectionStatus values. */
public enum ConnectionState {
  Unknown, Connecting, Connected, NotConnected
}
