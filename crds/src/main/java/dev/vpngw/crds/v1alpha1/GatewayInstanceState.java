package dev.vpngw.crds.v1alpha1;

/** State of one gateway instance (pod or standalone process). */
public enum GatewayInstanceState {
  Pending, Ready, NotReady, Failed
}
