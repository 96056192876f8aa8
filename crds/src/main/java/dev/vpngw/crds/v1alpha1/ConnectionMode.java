package dev.vpngw.crds.v1alpha1;

/** Who starts the initial IKE exchange, Azure's names: Default (either side), InitiatorOnly (the gateway dials), ResponderOnly (the on-premises device dials). Rekeys may come from either side. */
public enum ConnectionMode {
  Default, InitiatorOnly, ResponderOnly
}
