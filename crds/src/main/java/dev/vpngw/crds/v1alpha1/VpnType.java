package dev.vpngw.crds.v1alpha1;

/** Routing type of a gateway, Azure's names. Immutable after creation. */
public enum VpnType {
  RouteBased, PolicyBased
}
