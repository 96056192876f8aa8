package dev.vpngw.crds.v1alpha1;

/** IKE version, Azure's names. Immutable after creation. */
public enum ConnectionProtocol {
  IKEv2, IKEv1
}
