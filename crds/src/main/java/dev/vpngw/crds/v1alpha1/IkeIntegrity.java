package dev.vpngw.crds.v1alpha1;

/** IKE (Main Mode / phase 1) integrity (and PRF for IKEv2), Azure's names. */
public enum IkeIntegrity {
  MD5, SHA1, SHA256, SHA384, GCMAES128, GCMAES256
}
